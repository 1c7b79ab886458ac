"""Solves in their own process: progress, stop, a memory limit, and a killed search recovered."""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import replace

import pytest
from sqlalchemy import text

from deployer.cli import main as cli
from deployer.domain.roster import Assignment
from deployer.domain.validator import hard_breaches
from deployer.services import demo
from deployer.services.recovery import discard_solve, interrupted_solves, recover_solve
from deployer.services.rostering import check_plan
from deployer.services.solve_process import SolveFailed, SolveJob, failure, solve_in_process
from deployer.solver.engine import Progress, SolveParameters
from deployer.store.database import Database

SIZE = demo.DemoSize(staff=120, days=5, cities=2, sites=3, seed=12)


@pytest.fixture
def office(demo_office) -> Database:  # type: ignore[no-untyped-def]
    return demo_office(SIZE)  # type: ignore[no-any-return]


def _job(db: Database, **changes: object) -> SolveJob:
    job = SolveJob(db.url, db.actor, SIZE.operation_name, SolveParameters(time_limit=4, workers=1))
    return replace(job, **changes)  # type: ignore[arg-type]


def _integrity(db: Database) -> str:
    with db.engine.connect() as connection:
        return str(connection.execute(text("PRAGMA integrity_check")).scalar())


def test_a_solve_in_its_own_process_relays_progress_and_saves_a_valid_plan(office: Database) -> None:
    seen: list[Progress] = []
    solved = solve_in_process(_job(office), seen.append)
    assert seen and all(p.roster is None for p in seen), "rosters stay in the solving process"
    assert solved.plan_id is not None
    check = check_plan(office, solved.plan_id)
    assert hard_breaches(check.breaches) == []
    assert check.score.total == pytest.approx(solved.result.objective)
    assert interrupted_solves(office) == []
    with office.unit_of_work() as uow:
        assert uow.checkpoints.all() == [], "the checkpoint went with the plan's save"


def test_stop_ends_the_search_and_keeps_the_best_roster(office: Database) -> None:
    stop = threading.Event()
    solved = solve_in_process(_job(office, params=SolveParameters(time_limit=120, workers=1)),
                              lambda progress: stop.set(), stop)  # fmt: skip
    assert solved.result.stopped and solved.result.wall_seconds < 60
    assert solved.plan_id is not None


def test_a_solve_over_its_memory_limit_fails_clearly_and_the_next_one_runs(office: Database) -> None:
    with pytest.raises(SolveFailed, match="memory it may use") as failed:
        solve_in_process(_job(office, memory_limit=350 * 2**20))
    assert "No plan was saved" in str(failed.value)
    assert _integrity(office) == "ok"
    with office.unit_of_work() as uow:
        assert uow.plans.list() == []
        left = uow.checkpoints.all()
    assert left == interrupted_solves(office), "a roster found before the limit is offered back"
    assert solve_in_process(_job(office)).plan_id is not None


def test_a_thread_refused_under_the_memory_limit_is_reported_as_memory() -> None:
    # Under a limit on address space the solve may first fail to start a thread (its stack does
    # not fit) rather than to allocate an object: the planner is told the same either way.
    refused = RuntimeError("can't start new thread")
    assert "memory it may use" in failure(refused, 350 * 2**20)
    assert "memory it may use" in failure(MemoryError(), None)
    assert "can't start new thread" in failure(refused, None)
    assert "memory" not in failure(ValueError("bad value"), 350 * 2**20)


def test_a_killed_search_leaves_its_best_roster_to_recover(office: Database) -> None:
    def kill_the_solver(progress: Progress) -> None:
        for child in multiprocessing.active_children():
            if child.name == "deployer-solve" and child.pid:
                os.kill(child.pid, signal.SIGKILL)

    with pytest.raises(SolveFailed, match="killed by signal 9") as failed:
        solve_in_process(_job(office, checkpoint_every=0.0), kill_the_solver)
    assert "can be recovered" in str(failed.value)
    assert _integrity(office) == "ok"
    [interrupted] = interrupted_solves(office)
    assert interrupted.operation == SIZE.operation_name and interrupted.started_by == "planner"
    assert interrupted.assignments
    plan_id = recover_solve(office, interrupted.id)
    check = check_plan(office, plan_id)
    assert Counter(check.plan.assignments) == Counter(interrupted.assignments)
    assert hard_breaches(check.breaches) == [], "a checkpoint holds a roster that keeps every rule"
    assert check.plan.note.startswith("Recovered from a solve interrupted")
    assert interrupted_solves(office) == []


def test_a_discarded_checkpoint_is_gone_and_audited(office: Database) -> None:
    with pytest.raises(SolveFailed):
        solve_in_process(
            _job(office, checkpoint_every=0.0),
            lambda progress: [os.kill(c.pid or 0, signal.SIGKILL) for c in multiprocessing.active_children()
                              if c.name == "deployer-solve"],
        )  # fmt: skip
    [interrupted] = interrupted_solves(office)
    discard_solve(office, interrupted.id)
    assert interrupted_solves(office) == []
    with office.unit_of_work() as uow:
        assert uow.audit.entries()[-1].action == "discard"


def test_recover_from_the_command_line(office: Database, capsys) -> None:  # type: ignore[no-untyped-def]
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    with office.unit_of_work() as uow:
        op = uow.operations.get(SIZE.operation_name)
        roster = (Assignment(op.shifts[0].key, uow.staff.all()[0].service_number),)
        checkpoint = uow.checkpoints.start(SIZE.operation_name, "planner", socket.gethostname(), gone.pid)
        uow.checkpoints.save(checkpoint, 42.0, roster)
    assert cli(["recover", "--db", office.url]) == 0
    listed = capsys.readouterr().out
    assert listed.startswith(f"{checkpoint}: {SIZE.operation_name}") and "1 assignments" in listed
    assert cli(["recover", "--db", office.url, "--keep", str(checkpoint)]) == 0
    plan_id = int(capsys.readouterr().out.split()[-1])
    assert check_plan(office, plan_id).plan.assignments == roster
    assert cli(["recover", "--db", office.url]) == 0 and capsys.readouterr().out == ""
