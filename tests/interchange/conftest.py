"""Shared set-up for the import tests: a register with catalogue and places, and file writing."""

from __future__ import annotations

from pathlib import Path

import pytest

from deployer.domain.catalogue import Agency, Rank, Skill
from deployer.domain.locations import Location
from deployer.store.database import Database


@pytest.fixture
def register(
    db: Database, agencies: list[Agency], ranks: list[Rank], skills: list[Skill], places: list[Location]
) -> Database:
    """A database (each back-end) holding the catalogue and places every import refers to."""
    with db.unit_of_work() as uow:
        uow.catalogue.add(agencies, ranks, skills)
        uow.locations.add_many(places)
    return db


def write(tmp_path: Path, name: str, text: str) -> Path:
    """Write ``text`` as a UTF-8 file named ``name`` in ``tmp_path``."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
