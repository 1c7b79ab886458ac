"""Solve and check from the command line, as a planner's script would, on both back-ends."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from deployer.cli import main as cli
from deployer.domain.roster import Assignment, Plan
from deployer.domain.staff import Absence
from deployer.services import demo
from deployer.services.rostering import check_plan, solve_operation
from deployer.solver.engine import SolveParameters
from deployer.store.database import Database

SIZE = demo.DemoSize(staff=120, days=3, cities=2, sites=3, seed=8)


@pytest.fixture
def demo_db(db: Database) -> Database:
    demo.load(db, SIZE)
    return db


def test_solve_saves_a_plan_and_prints_json(demo_db: Database, capsys) -> None:  # type: ignore[no-untyped-def]
    code = cli(
        ["solve", "--db", demo_db.url, "--operation", SIZE.operation_name, "--time-limit", "4", "--json"]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["plan_id"] >= 1 and out["assignments"] > 0
    assert set(out) >= {"status", "objective", "bound", "gap", "wall_seconds", "unfilled", "breakdown"}
    check = check_plan(demo_db, out["plan_id"])
    assert [b for b in check.breaches if not b.is_shortfall and not b.soft] == []
    assert check.score.total == pytest.approx(out["objective"])


def test_check_exits_1_and_lists_each_breach(demo_db: Database, capsys) -> None:  # type: ignore[no-untyped-def]
    with demo_db.unit_of_work() as uow:
        op = uow.operations.get(SIZE.operation_name)
        number = uow.staff.all()[0].service_number
        bad = Plan(op.name, 1, tuple(Assignment(s.key, number) for s in op.shifts[:3]))
        plan_id = uow.plans.add(bad)
    code = cli(["check", "--db", demo_db.url, "--plan", str(plan_id), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert {"one_shift_per_day", "coverage"} <= {b["rule"] for b in out["breaches"]}


def test_reroster_keeps_most_of_the_plan(demo_db: Database) -> None:
    first = solve_operation(demo_db, SIZE.operation_name, SolveParameters(time_limit=4))
    with demo_db.unit_of_work() as uow:
        withdrawn = uow.staff.get(first.result.assignments[0].service_number)
        op = uow.operations.get(SIZE.operation_name)
        uow.staff.save(replace(withdrawn, absences=(Absence(op.first_day, op.last_day),)))
    second = solve_operation(
        demo_db, SIZE.operation_name, SolveParameters(time_limit=4), reroster_of=first.plan_id
    )
    check = check_plan(demo_db, second.plan_id)
    assert [b for b in check.breaches if not b.is_shortfall] == []
    assert 1 <= second.result.changes < len(first.result.assignments) // 4
    assert "Re-roster of version 1" in check.plan.note


def test_unknown_operation_is_a_clear_error(demo_db: Database, capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli(["solve", "--db", demo_db.url, "--operation", "Nope", "--time-limit", "1"]) == 2
    assert "operation 'Nope': name does not exist" in capsys.readouterr().err
