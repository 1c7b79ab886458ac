"""Choosing and preparing the database the application works on."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from deployer.services import demo
from deployer.store.database import Database


def demo_database_url() -> str:
    """The demo database: ``demo.sqlite`` in the user's data folder."""
    folder = Path(platformdirs.user_data_dir("Deployer", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'demo.sqlite'}"


def is_empty(db: Database) -> bool:
    """True when the database holds no staff and no operation."""
    with db.unit_of_work() as uow:
        return uow.staff.count() == 0 and not uow.operations.names()


def fill_demo_if_empty(db: Database, size: demo.DemoSize | None = None) -> str | None:
    """Load the default demo into an empty database; returns the operation name, or None."""
    if not is_empty(db):
        return None
    return demo.load(db, size or demo.DemoSize())
