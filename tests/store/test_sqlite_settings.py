"""The default SQLite file runs with WAL and enforced foreign keys; the default path is the user's."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from deployer.store.database import Database, default_database_url


def test_sqlite_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'x.sqlite'}")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        with pytest.raises(IntegrityError):
            connection.execute(
                text("INSERT INTO qualifications (staff_id, skill_id, level) VALUES (999, 999, 1)")
            )
    db.close()


def test_default_url_is_a_file_in_the_user_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    url = default_database_url()
    assert url.startswith("sqlite:///") and url.endswith("deployer.sqlite")
    assert str(tmp_path) in url


def test_environment_variable_chooses_the_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEPLOYER_DB", "postgresql+psycopg://planner@db.example/deployer")
    assert default_database_url() == "postgresql+psycopg://planner@db.example/deployer"
