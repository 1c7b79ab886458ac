"""Staff, skills and leave from planners' tables, checked against the register before anything is saved.

Each reader turns tables into the people the register should hold afterwards, keyed by service
number, and reports every problem at once (``ImportRejected``). Re-importing a file updates people
instead of duplicating them: a staff file sets their details and keeps their skills and leave, a
skills file sets the skills of the people it names, a leave file adds the absences not yet known.
The column names are documented in ``resources/templates/`` (one template per kind).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from deployer.domain.catalogue import Catalogue
from deployer.domain.errors import DomainError
from deployer.domain.locations import Location
from deployer.domain.staff import Absence, AbsenceKind, EmploymentLimits, Qualification, StaffMember
from deployer.interchange.tables import ImportRejected, Row, Table

STAFF_REQUIRED = ("service_number", "family_name", "rank", "agency", "home_station")
STAFF_COLUMNS = (
    *STAFF_REQUIRED,
    "given_name",
    "contracted_hours_per_week",
    "max_hours_per_week",
    "max_shifts",
    "can_deploy_away",
)
SKILL_REQUIRED = ("service_number", "skill")
SKILL_COLUMNS = (*SKILL_REQUIRED, "level", "expires")
LEAVE_REQUIRED = ("service_number", "first_day", "last_day")
LEAVE_COLUMNS = (*LEAVE_REQUIRED, "kind", "note")

T = TypeVar("T")
K = TypeVar("K")


@dataclass(frozen=True)
class Register:
    """What the rows are checked against: the catalogue, the places, and the people already known."""

    catalogue: Catalogue
    locations: dict[str, Location]
    staff: dict[str, StaffMember]


@dataclass(frozen=True)
class Changes(Generic[T]):
    """The records an import would add or change (new versions), and how many it leaves as they are."""

    added: tuple[T, ...]
    changed: tuple[T, ...]
    unchanged: int

    def summary(self) -> str:
        return f"{len(self.added)} to add, {len(self.changed)} to change, {self.unchanged} unchanged"


StaffChanges = Changes[StaffMember]


def changes(tables: list[Table], new: Mapping[K, T], old: Mapping[K, T]) -> Changes[T]:
    """What replacing ``old`` records by ``new`` ones (same keys) would do; raises ImportRejected
    when any table recorded a problem, so that nothing is imported."""
    problems = [p for t in tables for p in t.problems]
    if problems:
        raise ImportRejected(problems)
    added = tuple(record for key, record in new.items() if key not in old)
    changed = tuple(record for key, record in new.items() if key in old and old[key] != record)
    return Changes(added, changed, len(new) - len(added) - len(changed))


def rows(tables: list[Table], required: tuple[str, ...], known: tuple[str, ...]) -> Iterator[Row]:
    """Every data row of the tables whose columns can be read; none at all is a problem (wrong file?)."""
    found = 0
    for table in tables:
        if table.require_columns(required, known):
            for row in table.rows():
                found += 1
                yield row
    if not found and tables and not any(t.problems for t in tables):
        tables[0].problem(None, None, "has no data rows: nothing to import (is it the right file?)")


def read_staff(tables: list[Table], register: Register) -> StaffChanges:
    """People's details; their skills and leave already in the register are kept."""
    people: dict[str, StaffMember] = {}
    seen: dict[str, int] = {}
    for row in rows(tables, STAFF_REQUIRED, STAFF_COLUMNS):
        number = row.text("service_number", required=True)
        if number and duplicate(seen, number, row):
            continue
        seen[number] = row.number
        rank, agency = row.text("rank", required=True), row.text("agency", required=True)
        station = row.text("home_station", required=True)
        known(row, "rank", rank, register.catalogue.ranks)
        known(row, "agency", agency, register.catalogue.agencies)
        if station and station not in register.locations:
            row.table.problem(row.number, "home_station", f"{station!r} is not a known location")
        contracted, most = (
            _weekly_hours(row, "contracted_hours_per_week"),
            _weekly_hours(row, "max_hours_per_week"),
        )
        limit = row.integer("max_shifts")
        away = row.flag("can_deploy_away", default=True)
        before = register.staff.get(number)
        limits = replace(
            before.limits if before else EmploymentLimits(),
            can_deploy_away=away,
            max_shifts=limit if limit is not None else (before.limits.max_shifts if before else None),
        )
        if contracted is not None:
            limits = replace(limits, contracted_minutes_per_week=round(contracted * 60))
        if most is not None:
            limits = replace(limits, max_minutes_per_week=round(most * 60))
        _build(
            row,
            people,
            service_number=number,
            given_name=row.text("given_name"),
            family_name=row.text("family_name", required=True),
            rank=rank,
            agency=agency,
            home_station=station,
            qualifications=before.qualifications if before else (),
            absences=before.absences if before else (),
            limits=limits,
        )
    return changes(tables, people, register.staff)


def _weekly_hours(row: Row, column: str) -> float | None:
    """Hours a week, from 0 to the 168 a week has."""
    hours = row.decimal(column)
    if hours is not None and not 0 <= hours <= 168:
        row.table.problem(row.number, column, f"{hours:g} is not between 0 and 168 hours a week")
        return None
    return hours


def read_skills(tables: list[Table], register: Register) -> StaffChanges:
    """Skills and certifications: the people named get exactly the skills listed for them."""
    skills: dict[str, dict[str, Qualification]] = {}
    for row in rows(tables, SKILL_REQUIRED, SKILL_COLUMNS):
        number, code = row.text("service_number", required=True), row.text("skill", required=True)
        level = row.integer("level", minimum=1) or 1
        expires = row.day("expires")
        if number and number not in register.staff:
            row.table.problem(row.number, "service_number", f"{number!r} is not in the register")
        if code and known(row, "skill", code, register.catalogue.skills):
            top = register.catalogue.skills[code].max_level
            if level > top:
                row.table.problem(row.number, "level", f"{level} is above {code}'s highest level ({top})")
        held = skills.setdefault(number, {})
        if code in held:
            row.table.problem(row.number, "skill", f"{code!r} is listed twice for {number}")
        held[code] = Qualification(code, level, expires)
    people = {
        number: replace(register.staff[number], qualifications=tuple(held.values()))
        for number, held in skills.items()
        if number in register.staff
    }
    return changes(tables, people, register.staff)


def read_leave(tables: list[Table], register: Register) -> StaffChanges:
    """Leave and unavailability, added to what each person already has (known absences are kept once)."""
    absences: dict[str, list[Absence]] = {}
    kinds = {k.value: k for k in AbsenceKind}
    for row in rows(tables, LEAVE_REQUIRED, LEAVE_COLUMNS):
        number = row.text("service_number", required=True)
        first, last = row.day("first_day", required=True), row.day("last_day", required=True)
        kind = row.text("kind").lower() or AbsenceKind.LEAVE.value
        if number and number not in register.staff:
            row.table.problem(row.number, "service_number", f"{number!r} is not in the register")
        if kind not in kinds:
            row.table.problem(row.number, "kind", f"{kind!r} is not one of {', '.join(kinds)}")
        elif first and last:
            if last < first:
                row.table.problem(row.number, "last_day", f"{last} is before the first day {first}")
            else:
                absences.setdefault(number, []).append(Absence(first, last, kinds[kind], row.text("note")))
    people = {}
    for number, new in absences.items():
        if number in register.staff:
            before = register.staff[number]
            merged = tuple(dict.fromkeys((*before.absences, *new)))
            people[number] = replace(before, absences=merged)
    return changes(tables, people, register.staff)


def duplicate(seen: Mapping[str, object], key: str, row: Row, column: str = "service_number") -> bool:
    """True (and a problem recorded) when ``key`` was already read from an earlier row."""
    if key in seen:
        row.table.problem(row.number, column, f"{key!r} appears more than once")
        return True
    return False


def known(row: Row, column: str, code: str, known: Mapping[str, object]) -> bool:
    if code and code not in known:
        row.table.problem(row.number, column, f"{code!r} is not in the catalogue")
        return False
    return bool(code)


def _build(row: Row, people: dict[str, StaffMember], **fields: Any) -> None:
    """Build one person, turning the domain's own checks into problems of this row."""
    before = len(row.table.problems)
    try:
        person = StaffMember(**fields)
    except DomainError as error:
        row.table.problem(row.number, error.field.replace(" ", "_"), error.problem)
        return
    if len(row.table.problems) == before:
        people[person.service_number] = person
