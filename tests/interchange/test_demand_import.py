"""Importing operation demand: a new operation, then more demand for it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from deployer.domain.operations import DemandLine, SkillNeed
from deployer.services.imports import ImportKind, ImportRejected, apply_import, preview_import
from deployer.store.database import Database
from tests.interchange.conftest import write

HEADER = "operation,site,date,start,end,label,count,min_rank,skills,agencies\n"


def test_new_operation_then_more_demand(register: Database, tmp_path: Path) -> None:
    first = write(
        tmp_path,
        "demand.csv",
        HEADER + "Games,GEE-KP,2027-03-08,07:00,15:00,D,4,,GD,VICPOL\n"
        "Games,GEE-KP,2027-03-08,07:00,15:00,D,1,SGT,PO:2,\n"
        "Games,GEE-KP,2027-03-08,23:00,07:00,N,2,,,\n",
    )
    preview = preview_import(register, ImportKind.DEMAND, first)
    assert preview.changes.summary() == "1 to add, 0 to change, 0 unchanged"
    apply_import(register, preview)
    with register.unit_of_work() as uow:
        op = uow.operations.get("Games")
    assert (op.first_day, op.last_day, op.sites, op.cities) == (
        date(2027, 3, 8),
        date(2027, 3, 8),
        ("GEE-KP",),
        ("GEE",),
    )
    day, night = op.shifts
    assert day.demand == (
        DemandLine(4, None, frozenset({SkillNeed("GD")}), frozenset({"VICPOL"})),
        DemandLine(1, "SGT", frozenset({SkillNeed("PO", 2)})),
    )
    assert night.end - night.start == timedelta(hours=8) and night.end.date() == date(2027, 3, 9)
    more = write(
        tmp_path,
        "more.csv",
        HEADER
        + "Games,GEE-KP,2027-03-08,07:00,15:00,D,6,,GD,VICPOL\nGames,BAL-MS,2027-03-09,07:00,15:00,D,3,,,\n",
    )
    assert (
        preview_import(register, ImportKind.DEMAND, more).changes.summary()
        == "0 to add, 1 to change, 0 unchanged"
    )
    apply_import(register, preview_import(register, ImportKind.DEMAND, more))
    with register.unit_of_work() as uow:
        op = uow.operations.get("Games")
    shifts = {s.key: s for s in op.shifts}
    assert op.last_day == date(2027, 3, 9) and set(op.cities) == {"GEE", "BAL"}
    assert shifts["GEE-KP/2027-03-08/D"].demand == (
        DemandLine(6, None, frozenset({SkillNeed("GD")}), frozenset({"VICPOL"})),
    )
    assert shifts["GEE-KP/2027-03-08/N"].demand == (DemandLine(2),)
    assert shifts["BAL-MS/2027-03-09/D"].demand == (DemandLine(3),)
    assert preview_import(register, ImportKind.DEMAND, more).changes.unchanged == 1


def test_demand_problems_are_placed(register: Database, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.csv",
        HEADER + "Games,GEE,2027-03-08,07:00,15:00,D,4,,,\n"
        "Games,GEE-KP,2027-03-08,7am,15:00,D,4,,,\n"
        "Games,GEE-KP,2027-03-08,07:00,15:00,D,-1,,,\n"
        "Games,GEE-KP,2027-03-08,07:00,15:00,D,1,CHIEF,XX:2;PO:high,AFP\n",
    )
    with pytest.raises(ImportRejected) as rejected:
        preview_import(register, ImportKind.DEMAND, path)
    assert [(p.row, p.column) for p in rejected.value.problems] == [
        (2, "site"),
        (3, "start"),
        (4, "count"),
        (5, "min_rank"),
        (5, "skills"),
        (5, "skills"),
        (5, "agencies"),
    ]
    with register.unit_of_work() as uow:
        assert uow.operations.names() == []
