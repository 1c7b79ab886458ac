"""The Curtois & Qu shift-scheduling benchmark format, read into an ordinary roster problem.

Every rule of the format maps onto the engine's own rules, so instances are solved and checked
by the same code as any operation:

| format                          | Deployer                                                      |
|---------------------------------|---------------------------------------------------------------|
| shift type, length              | a shift per day and type, starting 08:00 UTC, label = type ID |
| NotFollowedBy                   | ``FatiguePolicy.forbidden_successions``                       |
| MaxShifts per type              | ``EmploymentLimits.max_shifts_by_label``                      |
| Min/MaxTotalMinutes             | ``EmploymentLimits.min_total_minutes`` / ``max_total_minutes`` |
| Max/MinConsecutiveShifts        | ``EmploymentLimits.max_consecutive_days`` / ``min_consecutive_days`` |
| MinConsecutiveDaysOff           | ``EmploymentLimits.min_consecutive_days_off``                 |
| MaxWeekends                     | ``EmploymentLimits.max_weekends`` (day 0 is a Monday)         |
| days off                        | one-day absences                                              |
| shift on/off requests           | ``StaffRequest`` SHIFT_ON / SHIFT_OFF with their weights      |
| cover, under/over weights       | one demand line per shift with ``under_cost`` / ``over_cost`` |

Fatigue, travel and hour-window rules are switched off (the format has none), and the objective
weights count only requests (weight 1) and cover, which is exactly the published penalty.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from deployer.domain.catalogue import Agency, Catalogue, Rank
from deployer.domain.errors import DomainError
from deployer.domain.locations import Location, LocationKind, SiteKind, TravelMatrix
from deployer.domain.operations import DemandLine, Operation, OperationKind, Shift
from deployer.domain.policy import FatiguePolicy
from deployer.domain.problem import ObjectiveWeights, RosterProblem
from deployer.domain.requests import RequestKind, StaffRequest
from deployer.domain.roster import Assignment
from deployer.domain.staff import Absence, EmploymentLimits, StaffMember

FIRST_DAY = date(2024, 1, 1)  # a Monday, as the format requires of day 0
START = time(8)
SITE, CITY, STATION = "WARD", "HOSPITAL", "HOME"
SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)


@dataclass(frozen=True)
class Instance:
    """A parsed instance: the problem plus the orders the roster file format needs."""

    name: str
    problem: RosterProblem
    staff_order: tuple[str, ...]
    days: int


def _sections(path: Path) -> dict[str, list[list[str]]]:
    sections: dict[str, list[list[str]]] = defaultdict(list)
    current = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            if line not in SECTIONS:
                raise DomainError(f"{path.name} line {number}", "section", f"{line!r} is not a known section")
            current = line
            continue
        if current is None:
            raise DomainError(f"{path.name} line {number}", "section", "data before the first section")
        sections[current].append([cell.strip() for cell in line.split(",")])
    return sections


def _int(path: Path, where: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise DomainError(f"{path.name} {where}", "value", f"{text!r} is not a whole number") from None


def read_instance(path: Path) -> Instance:
    """Parse ``path`` into a roster problem; malformed content names the section and row."""
    s = _sections(path)
    if not s["SECTION_HORIZON"]:
        raise DomainError(path.name, "SECTION_HORIZON", "is missing")
    days = _int(path, "horizon", s["SECTION_HORIZON"][0][0])
    lengths: dict[str, int] = {}
    forbidden: list[tuple[str, str]] = []
    for row in s["SECTION_SHIFTS"]:
        lengths[row[0]] = _int(path, f"shift {row[0]}", row[1])
        forbidden += [(row[0], other) for other in (row[2].split("|") if len(row) > 2 else []) if other]
    staff, order = [], []
    for row in s["SECTION_STAFF"]:
        where = f"staff {row[0]}"
        caps = tuple(
            (k, _int(path, where, v)) for k, v in (item.split("=") for item in row[1].split("|") if item)
        )
        staff.append(
            StaffMember(
                service_number=row[0],
                given_name="",
                family_name=row[0],
                rank="STAFF",
                agency="WARD",
                home_station=STATION,
                limits=EmploymentLimits(
                    contracted_minutes_per_week=0,
                    max_shifts_by_label=caps,
                    max_total_minutes=_int(path, where, row[2]),
                    min_total_minutes=_int(path, where, row[3]),
                    max_consecutive_days=_int(path, where, row[4]),
                    min_consecutive_days=_int(path, where, row[5]),
                    min_consecutive_days_off=_int(path, where, row[6]),
                    max_weekends=_int(path, where, row[7]),
                ),
            )
        )
        order.append(row[0])
    off: dict[str, list[int]] = defaultdict(list)
    for row in s["SECTION_DAYS_OFF"]:
        off[row[0]] += [_int(path, f"days off of {row[0]}", d) for d in row[1:] if d]
    staff = [_with_days_off(p, off.get(p.service_number, [])) for p in staff]
    requests = [
        StaffRequest(
            row[0],
            kind,
            day=FIRST_DAY + timedelta(days=_int(path, "request", row[1])),
            shift_label=row[2],
            weight=_int(path, "request", row[3]),
        )
        for section, kind in (
            ("SECTION_SHIFT_ON_REQUESTS", RequestKind.SHIFT_ON),
            ("SECTION_SHIFT_OFF_REQUESTS", RequestKind.SHIFT_OFF),
        )
        for row in s[section]
    ]
    utc = ZoneInfo("UTC")
    shifts = []
    for row in s["SECTION_COVER"]:
        day, label = _int(path, "cover", row[0]), row[1]
        if label not in lengths:
            raise DomainError(f"{path.name} cover day {day}", "shift", f"{label!r} is not a shift type")
        start = datetime.combine(FIRST_DAY + timedelta(days=day), START, tzinfo=utc)
        shifts.append(
            Shift(
                f"{day}/{label}",
                SITE,
                start,
                start + timedelta(minutes=lengths[label]),
                label,
                (
                    DemandLine(
                        _int(path, "cover", row[2]),
                        under_cost=_int(path, "cover", row[3]),
                        over_cost=_int(path, "cover", row[4]),
                    ),
                ),
            )
        )
    longest = max(lengths.values(), default=60)
    policy = FatiguePolicy(
        name="Curtois & Qu",
        max_shift_minutes=longest,
        max_duty_minutes=longest,
        min_rest_minutes=0,
        long_shift_minutes=24 * 60,
        min_rest_after_long_shift_minutes=0,
        max_consecutive_days=days,
        max_consecutive_nights=days,
        night_min_minutes=24 * 60,
        max_minutes_per_7_days=7 * 24 * 60,
        max_minutes_per_14_days=14 * 24 * 60,
        max_commute_minutes=24 * 60,
        max_deployment_days=days,
        rest_days_after_deployment=0,
        forbidden_successions=tuple(forbidden),
    )
    operation = Operation(
        name=path.stem,
        kind=OperationKind.EVENT,
        first_day=FIRST_DAY,
        last_day=FIRST_DAY + timedelta(days=days - 1),
        cities=(CITY,),
        sites=(SITE,),
        shifts=tuple(shifts),
        policy=policy,
        timezone="UTC",
    )
    locations = [
        Location(CITY, "Hospital", LocationKind.CITY, 0.0, 0.0),
        Location(STATION, "Home", LocationKind.STATION, 0.0, 0.0, city=CITY),
        Location(SITE, "Ward", LocationKind.SITE, 0.0, 0.0, city=CITY, site_kind=SiteKind.VENUE),
    ]
    problem = RosterProblem(
        operation=operation,
        staff=tuple(staff),
        catalogue=Catalogue.of([Agency("WARD", "Ward staff")], [Rank("STAFF", "Staff", "staff", 1)], []),
        travel=TravelMatrix({loc.code: loc for loc in locations}),
        requests=tuple(requests),
        weights=ObjectiveWeights.only(request=1),
    )
    return Instance(path.stem, problem, tuple(order), days)


def _with_days_off(person: StaffMember, days: list[int]) -> StaffMember:
    if not days:
        return person
    absences = tuple(
        Absence(FIRST_DAY + timedelta(days=d), FIRST_DAY + timedelta(days=d)) for d in sorted(set(days))
    )
    return StaffMember(**{**{f: getattr(person, f) for f in person.__slots__}, "absences": absences})  # type: ignore[attr-defined]


def roster_text(instance: Instance, assignments: list[Assignment] | tuple[Assignment, ...]) -> str:
    """One line per employee in the instance's order: the ID, then the shift ID or '-' per day."""
    grid = {sn: ["-"] * instance.days for sn in instance.staff_order}
    for a in assignments:
        day, label = a.shift_key.split("/")
        grid[a.service_number][int(day)] = label
    return "".join("\t".join([sn, *grid[sn]]) + "\n" for sn in instance.staff_order)
