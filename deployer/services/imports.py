"""Importing planners' files: check everything, show what would change, then save it all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from deployer.domain.locations import Location
from deployer.domain.operations import Operation
from deployer.domain.staff import StaffMember
from deployer.interchange.demand_import import read_demand
from deployer.interchange.places_import import TravelLeg, read_locations, read_travel
from deployer.interchange.register_import import Changes, Register, read_leave, read_skills, read_staff
from deployer.interchange.tables import ImportRejected, Table, copy_table, read_tables
from deployer.services.resources import RESOURCES
from deployer.store.database import Database

__all__ = [
    "ImportCancelled",
    "ImportKind",
    "ImportPreview",
    "ImportRejected",
    "apply_import",
    "preview_import",
    "save_template",
]

Report = Callable[[int, str], None]
"""Progress: percent done and what is happening."""


class ImportCancelled(Exception):
    """The user cancelled; nothing was saved."""


class ImportKind(StrEnum):
    """What a file holds; each kind has a template in ``resources/templates/``."""

    STAFF = "staff"
    SKILLS = "skills"
    LEAVE = "leave"
    LOCATIONS = "locations"
    TRAVEL = "travel"
    DEMAND = "demand"


@dataclass(frozen=True)
class ImportPreview:
    """A checked file and what importing it would do; nothing is saved yet."""

    kind: ImportKind
    path: Path
    changes: Changes[Any]

    def rows(self) -> list[tuple[str, str, str]]:
        """(add or change, key, details) for each record, as a preview table shows them."""
        return [("add", *_describe(r)) for r in self.changes.added] + [
            ("change", *_describe(r)) for r in self.changes.changed
        ]


def _describe(record: object) -> tuple[str, str]:
    if isinstance(record, StaffMember):
        return record.service_number, f"{record.name}, {record.rank}, {record.home_station}"
    if isinstance(record, Location):
        return record.code, f"{record.name} ({record.kind})"
    if isinstance(record, TravelLeg):
        return f"{record.origin} → {record.destination}", f"{record.leg.minutes} min, {record.leg.km:g} km"
    if isinstance(record, Operation):
        return record.name, f"{len(record.shifts)} shifts, {record.first_day} to {record.last_day}"
    return str(record), ""


def preview_import(
    db: Database,
    kind: ImportKind,
    path: Path,
    sheet: str | None = None,
    report: Report | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> ImportPreview:
    """Read and check ``path`` against the register; raises ImportRejected listing every problem."""
    step = report or (lambda percent, text: None)
    step(0, f"Reading {path.name}")
    tables = read_tables(path, sheet)
    _check_cancel(cancelled)
    step(40, "Checking rows against the register")
    with db.unit_of_work() as uow:
        register = Register(
            catalogue=uow.catalogue.load(),
            locations={loc.code: loc for loc in uow.locations.all()},
            staff={p.service_number: p for p in uow.staff.all()} if kind in _STAFF_KINDS else {},
        )
        measured = uow.locations.legs() if kind is ImportKind.TRAVEL else {}
        operations = (
            {n: uow.operations.get(n) for n in uow.operations.names()} if kind is ImportKind.DEMAND else {}
        )
    if kind is ImportKind.DEMAND:
        found: Changes[Any] = read_demand(tables, register.catalogue, register.locations, operations)
    elif kind is ImportKind.LOCATIONS:
        found = read_locations(tables, register.locations)
    elif kind is ImportKind.TRAVEL:
        found = read_travel(tables, register.locations, measured)
    else:
        found = _STAFF_KINDS[kind](tables, register)
    _check_cancel(cancelled)
    step(100, found.summary())
    return ImportPreview(kind, path, found)


def apply_import(
    db: Database,
    preview: ImportPreview,
    report: Report | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> str:
    """Save a previewed import in one transaction; returns a one-line summary.

    A cancel before the commit rolls everything back (``ImportCancelled``).
    """
    changes = preview.changes
    (report or (lambda percent, text: None))(0, f"Saving {changes.summary()}")
    with db.unit_of_work() as uow:
        if preview.kind is ImportKind.DEMAND:
            for operation in changes.added:
                uow.operations.add(operation)
            for operation in changes.changed:
                uow.operations.update_demand(operation)
        elif preview.kind is ImportKind.LOCATIONS:
            uow.locations.add_many(list(changes.added))
            uow.locations.update_many(list(changes.changed))
        elif preview.kind is ImportKind.TRAVEL:
            uow.locations.set_legs(
                {(t.origin, t.destination): t.leg for t in changes.added + changes.changed}
            )
        else:
            uow.staff.add_many(changes.added)
            for person in changes.changed:
                uow.staff.save(person)
        _check_cancel(cancelled)
    return f"{preview.path.name}: {changes.summary()}"


def _check_cancel(cancelled: Callable[[], bool]) -> None:
    if cancelled():
        raise ImportCancelled("Import cancelled; nothing was saved.")


def save_template(kind: ImportKind, path: Path) -> None:
    """Write the template of ``kind`` to ``path``, as CSV or (for .xlsx) an Excel sheet."""
    copy_table(RESOURCES / "templates" / f"{kind.value}.csv", path, kind.value)


_STAFF_KINDS: dict[ImportKind, Callable[[list[Table], Register], Changes[StaffMember]]] = {
    ImportKind.STAFF: read_staff,
    ImportKind.SKILLS: read_skills,
    ImportKind.LEAVE: read_leave,
}
