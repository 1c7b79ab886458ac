"""Reliability fixtures: a demo office database of the size each test module asks for."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from deployer.services import demo
from deployer.store.database import Database


@pytest.fixture
def demo_office(tmp_path: Path) -> Iterator[Callable[[demo.DemoSize], Database]]:
    """Opens a fresh SQLite file holding a demo of the given size (acting as "planner")."""
    opened: list[Database] = []

    def open_office(size: demo.DemoSize) -> Database:
        db = Database(f"sqlite:///{tmp_path / 'office.sqlite'}", actor="planner")
        demo.load(db, size)
        opened.append(db)
        return db

    yield open_office
    for db in opened:
        db.close()
