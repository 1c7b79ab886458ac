"""Alembic, driven from code: the schema comes from the migrations in ``db/``, never create_all."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_FOLDER = Path(__file__).resolve().parents[2] / "db"


def alembic_config(engine: Engine) -> Config:
    """An Alembic config that runs the ``db/`` scripts on ``engine``'s connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_FOLDER))
    config.set_main_option(
        "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
    )
    return config


def _run(engine: Engine, action, revision: str) -> None:  # type: ignore[no-untyped-def]
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        action(config, revision)


def upgrade_to_head(engine: Engine) -> None:
    """Bring the schema to the newest revision (no-op when already there)."""
    if current_revision(engine) != head_revision(engine):
        _run(engine, command.upgrade, "head")


def upgrade(engine: Engine, revision: str) -> None:
    """Upgrade to ``revision``."""
    _run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Downgrade to ``revision`` ('base' removes every table)."""
    _run(engine, command.downgrade, revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, None when empty."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    """The newest revision in ``db/versions``."""
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
