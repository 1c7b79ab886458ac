"""Importing locations and measured travel legs."""

from __future__ import annotations

from pathlib import Path

import pytest

from deployer.domain.locations import Leg, LocationKind
from deployer.services.imports import ImportKind, ImportRejected, apply_import, preview_import
from deployer.store.database import Database
from tests.interchange.conftest import write

HEADER = "code,name,kind,latitude,longitude,city,site_kind\n"


def test_locations_are_added_and_updated_by_code(register: Database, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "places.csv",
        HEADER + "SHEP,Shepparton,city,-36.38,145.40,,\n"
        "SHEP-SC,Showgrounds,site,-36.37,145.41,SHEP,relief centre\n"
        "GEE-KP,GMHBA Stadium,site,-38.158,144.3547,GEE,venue\n",
    )
    preview = preview_import(register, ImportKind.LOCATIONS, path)
    assert preview.changes.summary() == "2 to add, 1 to change, 0 unchanged"
    apply_import(register, preview)
    with register.unit_of_work() as uow:
        found = {loc.code: loc for loc in uow.locations.all()}
    assert found["GEE-KP"].name == "GMHBA Stadium"
    assert found["SHEP-SC"].city == "SHEP" and found["SHEP"].kind is LocationKind.CITY
    assert (
        preview_import(register, ImportKind.LOCATIONS, path).changes.summary()
        == "0 to add, 0 to change, 3 unchanged"
    )


def test_location_problems(register: Database, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.csv",
        HEADER + "X1,Nowhere,site,95,145,GEE,\n"
        "X2,Lost,site,-36,145,ATLANTIS,\n"
        "X3,Odd,moon,-36,145,GEE,\n"
        "X1,Again,city,-36,145,,\n",
    )
    with pytest.raises(ImportRejected) as rejected:
        preview_import(register, ImportKind.LOCATIONS, path)
    assert {(p.row, p.column) for p in rejected.value.problems} == {
        (2, "latitude"),
        (3, "city"),
        (4, "kind"),
        (5, "code"),
    }


def test_travel_legs_replace_estimates_both_ways(register: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "travel.csv", "origin,destination,minutes,km\nSTN-GEE,BAL-MS,95,88.4\n")
    apply_import(register, preview_import(register, ImportKind.TRAVEL, path))
    with register.unit_of_work() as uow:
        matrix = uow.locations.travel_matrix()
    assert matrix.leg("STN-GEE", "BAL-MS") == Leg(95, 88.4)
    assert matrix.leg("BAL-MS", "STN-GEE") == Leg(95, 88.4)
    faster = write(
        tmp_path, "faster.csv", "origin,destination,minutes,km,one_way\nSTN-GEE,BAL-MS,80,88.4,yes\n"
    )
    assert (
        preview_import(register, ImportKind.TRAVEL, faster).changes.summary()
        == "0 to add, 1 to change, 0 unchanged"
    )
    apply_import(register, preview_import(register, ImportKind.TRAVEL, faster))
    with register.unit_of_work() as uow:
        matrix = uow.locations.travel_matrix()
    assert matrix.leg("STN-GEE", "BAL-MS").minutes == 80 and matrix.leg("BAL-MS", "STN-GEE").minutes == 95


def test_travel_problems(register: Database, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "travel.csv",
        "origin,destination,minutes,km\nSTN-GEE,NOPE,10,5\nGEE,GEE,1,1\nGEE,BAL,-3,80\nGEE,BAL,90,lots\n",
    )
    with pytest.raises(ImportRejected) as rejected:
        preview_import(register, ImportKind.TRAVEL, path)
    assert [(p.row, p.column) for p in rejected.value.problems] == [
        (2, "destination"),
        (3, "destination"),
        (4, "minutes"),
        (5, "km"),
    ]
