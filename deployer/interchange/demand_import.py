"""Operation demand from planners' tables: one row per demand line of a shift.

Rows with the same operation, site, date and shift label make one shift; its demand lines keep
the rows' order. A new operation is created with the standard fatigue policy; for a known one,
the shifts named get the file's demand, new shifts are added, and others stay as they are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from deployer.domain.catalogue import Catalogue
from deployer.domain.errors import DomainError
from deployer.domain.locations import Location, LocationKind
from deployer.domain.operations import (
    DEFAULT_TIMEZONE,
    DemandLine,
    Operation,
    OperationKind,
    Shift,
    SkillNeed,
)
from deployer.interchange.register_import import Changes, changes, known, rows
from deployer.interchange.tables import Row, Table

DEMAND_REQUIRED = ("operation", "site", "date", "start", "end", "label", "count")
DEMAND_COLUMNS = (
    *DEMAND_REQUIRED,
    "min_rank",
    "skills",
    "agencies",
    "under_cost",
    "over_cost",
    "kind",
    "timezone",
)


@dataclass
class _ShiftRows:
    site: str
    day: date
    start: time
    end: time
    label: str
    lines: list[DemandLine] = field(default_factory=list)


def read_demand(
    tables: list[Table],
    catalogue: Catalogue,
    locations: dict[str, Location],
    operations: dict[str, Operation],
) -> Changes[Operation]:
    """The operations as they would be after the import (new ones, or known ones with this demand)."""
    shifts: dict[str, dict[tuple[str, date, str], _ShiftRows]] = defaultdict(dict)
    settings: dict[str, tuple[str, str]] = {}
    for row in rows(tables, DEMAND_REQUIRED, DEMAND_COLUMNS):
        name = row.text("operation", required=True)
        site = row.text("site", required=True)
        day, start, end = (
            row.day("date", required=True),
            row.clock("start", required=True),
            row.clock("end", required=True),
        )
        label = row.text("label", required=True)
        line = _line(row, catalogue)
        if site and (site not in locations or locations[site].kind is not LocationKind.SITE):
            row.table.problem(row.number, "site", f"{site!r} is not a known site")
            site = ""  # reported; the row makes no shift
        settings.setdefault(
            name, (row.text("kind").lower() or OperationKind.EVENT.value, row.text("timezone"))
        )
        if not (name and site and day and start and end and label and line):
            continue
        group = shifts[name].setdefault((site, day, label), _ShiftRows(site, day, start, end, label))
        if (group.start, group.end) != (start, end):
            row.table.problem(row.number, "start", f"differs from the first row of {site} {day} {label}")
        group.lines.append(line)
    result = {}
    for name, groups in shifts.items():
        kind, zone = settings[name]
        operation = _operation(tables[0], name, kind, zone, groups, locations, operations.get(name))
        if operation is not None:
            result[name] = operation
    return changes(tables, result, operations)


def _line(row: Row, catalogue: Catalogue) -> DemandLine | None:
    count = row.integer("count", required=True)
    rank = row.text("min_rank")
    known(row, "min_rank", rank, catalogue.ranks)
    needs = []
    for item in filter(None, (part.strip() for part in row.text("skills").split(";"))):
        code, _, level = item.partition(":")
        if known(row, "skills", code.strip(), catalogue.skills):
            if level and not level.strip().isdigit():
                row.table.problem(row.number, "skills", f"level {level!r} of {code} is not a whole number")
                continue
            needs.append(SkillNeed(code.strip(), int(level or 1)))
    agencies = [a.strip() for a in row.text("agencies").split(";") if a.strip()]
    for agency in agencies:
        known(row, "agencies", agency, catalogue.agencies)
    under, over = row.integer("under_cost"), row.integer("over_cost")
    if count is None:
        return None
    return DemandLine(count, rank or None, frozenset(needs), frozenset(agencies), under, over)


def _operation(
    table: Table,
    name: str,
    kind: str,
    zone: str,
    groups: dict[tuple[str, date, str], _ShiftRows],
    locations: dict[str, Location],
    before: Operation | None,
) -> Operation | None:
    """The operation with these shifts: a new one, or ``before`` with its demand replaced."""
    timezone = before.timezone if before else (zone or DEFAULT_TIMEZONE)
    try:
        tz = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
        table.problem(None, "timezone", f"{timezone!r} of operation {name!r} is not a known time zone")
        return None
    if kind not in {k.value for k in OperationKind}:
        table.problem(None, "kind", f"{kind!r} of operation {name!r} is neither event nor emergency")
        return None
    days = [g.day for g in groups.values()]
    sites = tuple(dict.fromkeys(g.site for g in groups.values()))
    cities = tuple(dict.fromkeys(locations[s].city or s for s in sites))
    try:
        new_shifts = {}
        for g in groups.values():
            start = datetime.combine(g.day, g.start, tzinfo=tz)
            end = datetime.combine(g.day + timedelta(days=g.end <= g.start), g.end, tzinfo=tz)
            key = f"{g.site}/{g.day.isoformat()}/{g.label}"
            new_shifts[key] = Shift(key, g.site, start, end, g.label, tuple(g.lines))
        if before is None:
            return Operation(
                name,
                OperationKind(kind),
                min(days),
                max(days),
                cities,
                sites,
                tuple(new_shifts.values()),
                timezone=timezone,
            )
        merged = {s.key: s for s in before.shifts} | new_shifts
        return replace(
            before,
            first_day=min(before.first_day, *days),
            last_day=max(before.last_day, *days),
            cities=tuple(dict.fromkeys((*before.cities, *cities))),
            sites=tuple(dict.fromkeys((*before.sites, *sites))),
            shifts=tuple(merged.values()),
        )
    except (DomainError, ValueError, OverflowError) as error:
        table.problem(None, "operation", f"{name!r}: {error}")
        return None
