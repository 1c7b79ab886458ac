"""Importing planners' files: check everything, show what would change, then save it all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from deployer.interchange.register_import import Register, StaffChanges, read_leave, read_skills, read_staff
from deployer.interchange.tables import ImportRejected, Table, read_tables
from deployer.store.database import Database
from deployer.store.unit_of_work import UnitOfWork

__all__ = ["ImportKind", "ImportPreview", "ImportRejected", "apply_import", "preview_import"]


class ImportKind(StrEnum):
    """What a file holds; each kind has a template in ``resources/templates/``."""

    STAFF = "staff"
    SKILLS = "skills"
    LEAVE = "leave"


_READERS: dict[ImportKind, Callable[[list[Table], Register], StaffChanges]] = {
    ImportKind.STAFF: read_staff,
    ImportKind.SKILLS: read_skills,
    ImportKind.LEAVE: read_leave,
}


@dataclass(frozen=True)
class ImportPreview:
    """A checked file and what importing it would do; nothing is saved yet."""

    kind: ImportKind
    path: Path
    changes: StaffChanges


def preview_import(db: Database, kind: ImportKind, path: Path, sheet: str | None = None) -> ImportPreview:
    """Read and check ``path`` against the register; raises ImportRejected listing every problem."""
    tables = read_tables(path, sheet)
    with db.unit_of_work() as uow:
        register = _register(uow)
    return ImportPreview(kind, path, _READERS[kind](tables, register))


def apply_import(db: Database, preview: ImportPreview) -> str:
    """Save a previewed import in one transaction; returns a one-line summary."""
    changes = preview.changes
    with db.unit_of_work() as uow:
        uow.staff.add_many(changes.added)
        for person in changes.changed:
            uow.staff.save(person)
    return f"{preview.path.name}: {changes.summary()}"


def _register(uow: UnitOfWork) -> Register:
    return Register(
        catalogue=uow.catalogue.load(),
        locations={loc.code: loc for loc in uow.locations.all()},
        staff={p.service_number: p for p in uow.staff.all()},
    )
