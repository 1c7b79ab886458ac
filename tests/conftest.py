"""Fixtures shared by the whole suite: databases on both back-ends and small domain records."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text

from deployer.domain.catalogue import Agency, AgencyKind, Rank, Skill
from deployer.domain.locations import Location, LocationKind, SiteKind
from deployer.store.database import Database
from tests import postgres_server

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Property tests run a modest number of cases in `make test`; `make fuzz` selects the long profile.
settings.register_profile("default", max_examples=40, deadline=None)
settings.register_profile("fuzz", max_examples=1500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
MELBOURNE = ZoneInfo("Australia/Melbourne")
_database_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user's data folder or settings from a test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("DEPLOYER_DB", raising=False)


@pytest.fixture(scope="session")
def postgres_base_url() -> Iterator[str]:
    """A real PostgreSQL server on loopback for the whole session (skipped where absent)."""
    reason = postgres_server.missing_reason()
    if reason:
        pytest.skip(reason)
    with postgres_server.running_server() as url:
        yield url


def new_postgres_database(base_url: str) -> str:
    """Create an empty database on the test server and return its URL."""
    name = f"deployer_test_{next(_database_numbers)}"
    admin = create_engine(f"{base_url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{base_url}/{name}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """An empty database URL on each back-end: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    return new_postgres_database(request.getfixturevalue("postgres_base_url"))


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """A migrated, empty database on each back-end."""
    database = Database(database_url)
    yield database
    database.close()


# -- small domain records ------------------------------------------------------------------


@pytest.fixture
def agencies() -> list[Agency]:
    return [
        Agency("VICPOL", "Victoria Police"),
        Agency("VICSES", "Victoria State Emergency Service", AgencyKind.PARTNER),
    ]


@pytest.fixture
def ranks() -> list[Rank]:
    return [
        Rank("CONST", "Constable", "police", 1),
        Rank("SGT", "Sergeant", "police", 4),
        Rank("SES-MBR", "SES Member", "ses", 1),
    ]


@pytest.fixture
def skills() -> list[Skill]:
    return [
        Skill("GD", "General duties"),
        Skill("PO", "Public order", expires=True, max_level=3),
        Skill("FA", "First aid", "medical", expires=True),
    ]


@pytest.fixture
def places() -> list[Location]:
    return [
        Location("GEE", "Geelong", LocationKind.CITY, -38.1499, 144.3617, "Barwon"),
        Location("BAL", "Ballarat", LocationKind.CITY, -37.5622, 143.8503, "Grampians"),
        Location("STN-GEE", "Geelong Police Station", LocationKind.STATION, -38.148, 144.36, city="GEE"),
        Location("STN-BAL", "Ballarat Police Station", LocationKind.STATION, -37.561, 143.856, city="BAL"),
        Location(
            "GEE-KP",
            "Kardinia Park",
            LocationKind.SITE,
            -38.158,
            144.3547,
            city="GEE",
            site_kind=SiteKind.VENUE,
        ),
        Location(
            "BAL-MS",
            "Mars Stadium",
            LocationKind.SITE,
            -37.5393,
            143.8358,
            city="BAL",
            site_kind=SiteKind.VENUE,
        ),
    ]


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A Melbourne local datetime, for building shifts in tests."""
    return datetime.combine(day, time(hour, minute), tzinfo=MELBOURNE)
