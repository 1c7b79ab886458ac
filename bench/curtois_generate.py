"""Write a random instance in the Curtois & Qu format, shaped like the published large ones.

Usage: python bench/curtois_generate.py --staff 150 --days 364 --shifts 32 [--seed 1] --out FILE

The published set has instances the shared folder does not hold (up to 150 staff over 52 weeks
with 32 shift types). This writes instances of any such size with the same structure, so the
engine can be measured on them: early, day, late and night shift types of 8, 10 and 12 hours
where a later type may not be followed by an earlier one (and a 12-hour one not by its own
kind), people allowed about 60 % of the types, yearly hours held within a narrow band, runs of
2 to 5 or 6 days, two days off in a row, every other weekend at most, blocks of days off (about
a tenth of the days), shift on and off requests on about 18 % and 8 % of person-days, and cover
near what the staff can give.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

CLASSES = "adpn"
"""Shift kinds in the order they start in a day: early, day, late, night."""
LENGTHS = (480, 480, 600, 720)
WEEKLY_MINUTES = 2160


def generate(staff: int, days: int, shifts: int, seed: int) -> str:
    """The text of one instance."""
    rng = random.Random(seed)
    types = []
    for k in range(shifts):
        kind = CLASSES[k * len(CLASSES) // shifts]
        types.append((f"{kind}{k + 1}", kind, LENGTHS[k % len(LENGTHS)]))
    lines = ["SECTION_HORIZON", str(days), "", "SECTION_SHIFTS"]
    for name, kind, length in types:
        banned = [
            other
            for other, other_kind, _ in types
            if CLASSES.index(other_kind) < CLASSES.index(kind) or (length == 720 and other_kind == kind)
        ]
        lines.append(f"{name},{length},{'|'.join(banned)}")
    weeks = days // 7
    most = weeks * WEEKLY_MINUTES
    names = [_name(n) for n in range(staff)]
    lines += ["", "SECTION_STAFF"]
    allowed: dict[str, list[str]] = {}
    eight_hours = [t for t, _, length in types if length == 480]
    for name in names:
        allowed[name] = [t for t, _, _ in types if rng.random() < 0.6]
        if not set(allowed[name]) & set(eight_hours):
            # Every published person may work some type without a cap: their minimum can be met.
            allowed[name].append(rng.choice(eight_hours))
        caps = "|".join(f"{t}={_cap(length, days) if t in allowed[name] else 0}" for t, _, length in types)
        lines.append(f"{name},{caps},{most},{most - 960},{rng.choice((5, 6))},2,2,{weeks // 2}")
    lines += ["", "SECTION_DAYS_OFF"]
    for name in names:
        off: set[int] = set()
        # Three to six blocks of up to eleven days a year, as in the published files (about a
        # tenth of the days); a shorter horizon has as many per day (one or two in four weeks).
        for _ in range(max(1, round(rng.randint(3, 6) * days / 364))):
            start = rng.randrange(days)
            off.update(range(start, min(days, start + rng.randint(1, max(1, min(11, days // 14))))))
        lines.append(",".join([name, *map(str, sorted(off))]))
    for section, share in (("SECTION_SHIFT_ON_REQUESTS", 0.18), ("SECTION_SHIFT_OFF_REQUESTS", 0.08)):
        lines += ["", section]
        for name in names:
            for day in rng.sample(range(days), int(share * days)):
                lines.append(f"{name},{day},{rng.choice(allowed[name])},{rng.randint(1, 3)}")
    lines += ["", "SECTION_COVER"]
    average = sum(length for _, _, length in types) / len(types)
    per_day = staff * most / average / days
    for day in range(days):
        weights = [rng.random() for _ in types]
        for (name, _, _), weight in zip(types, weights, strict=True):
            lines.append(f"{day},{name},{round(per_day * weight / sum(weights))},100,1")
    return "\n".join(lines) + "\n"


def _name(n: int) -> str:
    """A, B, ..., Z, AA, AB, ... as in the published files."""
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cap(length: int, days: int) -> int:
    """Most shifts of a type a year: any number of 8-hour ones, fewer of the longer ones."""
    return days if length == 480 else days * 149 // 364 if length == 600 else days * 78 // 364


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=150)
    parser.add_argument("--days", type=int, default=364, help="a whole number of weeks")
    parser.add_argument("--shifts", type=int, default=32)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.write_text(generate(args.staff, args.days, args.shifts, args.seed))


if __name__ == "__main__":
    main()
