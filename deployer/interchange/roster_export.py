"""Writing a plan's roster as CSV, Excel, iCalendar and PDF files.

Everything written comes from ``RosterSheet`` (plain domain lines), so the formats agree. Text
cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return) are written with a leading apostrophe: a register entry can never execute.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from icalendar import Calendar, Event

from deployer.domain.roster_lines import CoverageLine, RosterLine

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class RosterSheet:
    """What an export needs to know about one plan version."""

    operation: str
    version: int
    status: str
    note: str
    timezone: str
    days: tuple[date, ...]
    lines: tuple[RosterLine, ...]
    coverage: tuple[CoverageLine, ...]
    approval: str = ""
    """Who approved it and when, once approved (empty otherwise)."""

    @property
    def title(self) -> str:
        return f"{self.operation} — plan version {self.version}"


def safe(value: object) -> object:
    """``value``, with a leading apostrophe when a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def assignment_frame(sheet: RosterSheet) -> pd.DataFrame:
    """One row per assignment (the CSV layout)."""
    rows = [
        {
            "service_number": line.service_number,
            "name": line.name,
            "rank": line.rank,
            "agency": line.agency,
            "skills_used": ";".join(line.skills_used),
            "city": line.city_name,
            "site": line.site_name,
            "site_code": line.site,
            "shift": line.label,
            "start": line.start.isoformat(),
            "end": line.end.isoformat(),
            "travel_minutes_before": line.travel_minutes,
            "travel_minutes_after": line.travel_minutes,
            "lodging": "yes" if line.lodged else "no",
        }
        for line in sheet.lines
    ]
    columns = [
        "service_number", "name", "rank", "agency", "skills_used", "city", "site", "site_code",
        "shift", "start", "end", "travel_minutes_before", "travel_minutes_after", "lodging",
    ]  # fmt: skip
    return _safe_frame(pd.DataFrame(rows, columns=columns))


def coverage_frame(sheet: RosterSheet) -> pd.DataFrame:
    rows = [
        {
            "city": c.city,
            "site": c.site_name,
            "shift": c.label,
            "start": c.start.isoformat(),
            "end": c.end.isoformat(),
            "required": c.required,
            "filled": c.filled,
            "short": c.short,
        }
        for c in sheet.coverage
    ]
    columns = ["city", "site", "shift", "start", "end", "required", "filled", "short"]
    return _safe_frame(pd.DataFrame(rows, columns=columns))


def _safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.apply(lambda column: column.map(safe)) if len(frame) else frame


def write_csv(sheet: RosterSheet, path: Path) -> None:
    """One assignment per row, times in ISO 8601 with their UTC offset; UTF-8 with a BOM for Excel."""
    assignment_frame(sheet).to_csv(path, index=False, encoding="utf-8-sig")


def write_xlsx(sheet: RosterSheet, path: Path) -> None:
    """A sheet per city (people by day), a coverage sheet, and every assignment."""
    by_city: dict[str, list[RosterLine]] = defaultdict(list)
    for line in sheet.lines:
        by_city[line.city_name].append(line)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for city, lines in sorted(by_city.items()):
            _grid(lines, sheet.days).to_excel(writer, sheet_name=_sheet_name(city), index=False)
        coverage_frame(sheet).to_excel(writer, sheet_name="Coverage", index=False)
        assignment_frame(sheet).to_excel(writer, sheet_name="Assignments", index=False)


def _grid(lines: list[RosterLine], days: tuple[date, ...]) -> pd.DataFrame:
    """People (rows) by day (columns); a cell names the site and shift worked."""
    people: dict[str, dict[str, object]] = {}
    for line in sorted(lines, key=lambda r: (r.name, r.service_number)):
        row = people.setdefault(
            line.service_number,
            {"service_number": line.service_number, "name": line.name, "rank": line.rank},
        )
        row[line.start.date().isoformat()] = (
            f"{line.site_name} {line.label} {line.start:%H:%M}-{line.end:%H:%M}"
        )
    columns = ["service_number", "name", "rank", *(d.isoformat() for d in days)]
    return _safe_frame(pd.DataFrame(list(people.values()), columns=columns).fillna(""))


def _sheet_name(name: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet name."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'")
    return cleaned[:31] or "Roster"


def write_ics(sheet: RosterSheet, path: Path, person: str | None = None, site: str | None = None) -> int:
    """Calendar events, one per shift, for one person, one site's team, or everyone; returns the count."""
    calendar = Calendar()
    calendar.add("prodid", "-//Deployer//Roster export//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", sheet.title)
    count = 0
    for line in sheet.lines:
        if (person and line.service_number != person) or (site and line.site != site):
            continue
        event = Event()
        event.add(
            "uid", f"{sheet.operation}-v{sheet.version}-{line.shift_key}-{line.service_number}@deployer"
        )
        event.add("summary", f"{line.site_name} {line.label} shift — {line.name}")
        event.add("dtstart", line.start)
        event.add("dtend", line.end)
        event.add("location", ", ".join(p for p in (line.site_name, line.address) if p))
        travel = f"Travel {line.travel_minutes} min each way" + (", lodging provided" if line.lodged else "")
        event.add(
            "description", f"{sheet.title} ({sheet.status}). {line.rank} {line.service_number}. {travel}."
        )
        calendar.add_component(event)
        count += 1
    path.write_bytes(calendar.to_ical())
    return count
