"""Opening a database: the default SQLite file, any SQLAlchemy URL, migrations to head."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from deployer.store.migrations import upgrade_to_head
from deployer.store.unit_of_work import UnitOfWork

ENV_VARIABLE = "DEPLOYER_DB"


def default_database_url() -> str:
    """``$DEPLOYER_DB`` if set, else ``deployer.sqlite`` in the user's data folder."""
    if url := os.environ.get(ENV_VARIABLE):
        return url
    folder = Path(platformdirs.user_data_dir("Deployer", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'deployer.sqlite'}"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, WAL and a busy timeout on every connect."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    in_memory = parsed.database in (None, "", ":memory:")
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


class Database:
    """One database: the engine, a session factory and units of work over it.

    Opening upgrades the schema to the newest migration, so every start runs on a current schema.
    """

    def __init__(self, url: str | None = None, *, migrate: bool = True, actor: str | None = None) -> None:
        self.url = url or default_database_url()
        self.actor = actor or os.environ.get("DEPLOYER_USER") or getpass.getuser()
        """Who the changes made through this database are recorded as (in the audit trail)."""
        self.engine = make_engine(self.url)
        if migrate:
            upgrade_to_head(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def display_name(self) -> str:
        """The URL without any password, for status bars and logs."""
        return make_url(self.url).render_as_string(hide_password=True)

    def unit_of_work(self) -> UnitOfWork:
        """A new unit of work: use it in a ``with`` block; it commits or rolls back as a whole."""
        return UnitOfWork(self._sessions(), self.actor)

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()
