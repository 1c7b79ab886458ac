"""Importing planners' files: check everything, show what would change, then save it all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from deployer.domain.staff import StaffMember
from deployer.interchange.demand_import import read_demand
from deployer.interchange.places_import import read_locations, read_travel
from deployer.interchange.register_import import Changes, Register, read_leave, read_skills, read_staff
from deployer.interchange.tables import ImportRejected, Table, read_tables
from deployer.store.database import Database

__all__ = ["ImportKind", "ImportPreview", "ImportRejected", "apply_import", "preview_import"]


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


def preview_import(db: Database, kind: ImportKind, path: Path, sheet: str | None = None) -> ImportPreview:
    """Read and check ``path`` against the register; raises ImportRejected listing every problem."""
    tables = read_tables(path, sheet)
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
    return ImportPreview(kind, path, found)


def apply_import(db: Database, preview: ImportPreview) -> str:
    """Save a previewed import in one transaction; returns a one-line summary."""
    changes = preview.changes
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
    return f"{preview.path.name}: {changes.summary()}"


_STAFF_KINDS: dict[ImportKind, Callable[[list[Table], Register], Changes[StaffMember]]] = {
    ImportKind.STAFF: read_staff,
    ImportKind.SKILLS: read_skills,
    ImportKind.LEAVE: read_leave,
}
