"""Store fixtures: a database holding a small catalogue and locations."""

from __future__ import annotations

import pytest

from deployer.store.database import Database


@pytest.fixture
def stocked(db: Database, agencies, ranks, skills, places) -> Database:  # type: ignore[no-untyped-def]
    """``db`` with the small catalogue and locations from the root conftest."""
    with db.unit_of_work() as uow:
        uow.catalogue.add(agencies, ranks, skills)
        uow.locations.add_many(places)
    return db
