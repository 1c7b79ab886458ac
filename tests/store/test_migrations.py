"""Migrations build the schema: from empty to head, down and up again, and match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from deployer.store import migrations
from deployer.store.database import Database, make_engine
from deployer.store.models import Base


def test_upgrade_from_empty_creates_every_table(database_url: str) -> None:
    engine = make_engine(database_url)
    assert migrations.current_revision(engine) is None
    migrations.upgrade_to_head(engine)
    assert migrations.current_revision(engine) == migrations.head_revision(engine)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_models_and_migrations_agree(database_url: str) -> None:
    engine = make_engine(database_url)
    migrations.upgrade_to_head(engine)
    with engine.connect() as connection:
        diff = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata
        )
    engine.dispose()
    assert diff == []


def test_downgrade_to_base_and_upgrade_again(database_url: str) -> None:
    engine = make_engine(database_url)
    migrations.upgrade_to_head(engine)
    migrations.downgrade(engine, "base")
    assert migrations.current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrations.upgrade(engine, "head")
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_opening_a_database_upgrades_it(database_url: str) -> None:
    db = Database(database_url)
    assert migrations.current_revision(db.engine) == migrations.head_revision(db.engine)
    db.close()
