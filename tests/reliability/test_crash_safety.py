"""``kill -9`` in the middle of an import, a solve and plan saves: nothing committed is lost, nothing
half-written is kept, and the database passes its integrity check.

Each test runs the real command line (or a saving loop) in a child process and kills it while
it is writing: the SQLite write-ahead log changing tells that a transaction is under way.
``DEPLOYER_KILLS`` sets how many kills the plan-save test makes (``make fuzz`` raises it).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from deployer.domain.validator import hard_breaches
from deployer.services import demo
from deployer.services.recovery import interrupted_solves, recover_solve
from deployer.services.rostering import check_plan
from deployer.store.database import Database
from deployer.store.models import AssignmentRow, PlanRow, StaffRow
from tests.conftest import new_postgres_database

ROOT = Path(__file__).resolve().parents[2]
SIZE = demo.DemoSize(staff=300, days=5, cities=2, sites=3, seed=21)
KILLS = int(os.environ.get("DEPLOYER_KILLS", "4"))


@pytest.fixture
def office(demo_office) -> Database:  # type: ignore[no-untyped-def]
    return demo_office(SIZE)  # type: ignore[no-any-return]


def _start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )


def _wal(db: Database) -> Path:
    return Path(str(db.engine.url.database) + "-wal")


def _kill_while_writing(process: subprocess.Popen[str], wal: Path, timeout: float = 120) -> bool:
    """Kill ``process`` a few milliseconds into its next write to the write-ahead log (seen as the
    log's modification time changing; its size alone stops growing once SQLite reuses the file
    after a checkpoint). False if the process ended or never wrote."""

    def stamp() -> int:
        return wal.stat().st_mtime_ns if wal.exists() else 0

    before, writing_since = stamp(), None
    delay = random.uniform(0.002, 0.02)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if writing_since is None and stamp() != before:
            writing_since = time.monotonic()
        if writing_since is not None and time.monotonic() - writing_since >= delay:
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.001)
    process.kill()
    process.wait()
    return False


def _intact(db: Database) -> None:
    """The file passes SQLite's integrity and foreign-key checks, and the audit chain holds."""
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert connection.execute(text("PRAGMA foreign_key_check")).fetchall() == []
    with db.unit_of_work() as uow:
        assert uow.audit.verify() == []


def test_a_killed_import_imports_nothing_and_the_retry_imports_all(office: Database, tmp_path: Path) -> None:
    rows = 20_000
    staff = tmp_path / "staff.csv"
    lines = ["service_number,given_name,family_name,rank,agency,home_station,contracted_hours_per_week"]
    lines += [f"K{n:06d},Given{n},Family{n},CONST,VICPOL,STN-GEE,38" for n in range(rows)]
    staff.write_text("\n".join(lines) + "\n")
    command = ("-m", "deployer", "import", "staff", str(staff), "--db", office.url)
    with office.unit_of_work() as uow:
        before = uow.staff.count()
    assert _kill_while_writing(_start(*command), _wal(office)), "the import ended first"
    _intact(office)
    with office.unit_of_work() as uow:
        assert uow.staff.count() == before, "nothing of the killed import is kept"
    finished = _start(*command)
    assert finished.wait(300) == 0
    _intact(office)
    with office.unit_of_work() as uow:
        assert uow.staff.count() == before + rows


def test_killed_plan_saves_keep_every_committed_plan_whole(office: Database) -> None:
    _kill_plan_saves(office)


@pytest.mark.postgres
def test_killed_plan_saves_on_postgresql_keep_every_committed_plan_whole(postgres_base_url: str) -> None:
    db = Database(new_postgres_database(postgres_base_url))
    demo.load(db, SIZE)
    try:
        _kill_plan_saves(db)
    finally:
        db.close()


def _kill_plan_saves(db: Database) -> None:
    """Start a process that saves plan after plan ``KILLS`` times; let a few plans commit, then kill
    it at a random moment (the loop is always somewhere in a save: building, inserting or
    committing). After each kill every plan it reported committed is whole and none is partial."""
    whole = SIZE.staff * SIZE.days  # the crash worker puts everyone on one shift a day
    committed: set[int] = set()
    for attempt in range(KILLS):
        saver = _start("-m", "tests.reliability.crash_worker", db.url, SIZE.operation_name)
        assert saver.stdout is not None
        chance = random.Random(attempt)
        for _ in range(chance.randint(1, 3)):
            _, version, count = saver.stdout.readline().split()
            assert int(count) == whole
            committed.add(int(version))
        time.sleep(chance.uniform(0.0, 0.15))
        saver.send_signal(signal.SIGKILL)
        saver.wait()
        if db.engine.dialect.name == "sqlite":
            _intact(db)
        with db.engine.connect() as connection:
            stored = dict(
                connection.execute(
                    select(PlanRow.version, func.count(AssignmentRow.id))
                    .join(AssignmentRow, AssignmentRow.plan_id == PlanRow.id, isouter=True)
                    .group_by(PlanRow.version)
                ).all()
            )
        assert committed <= set(stored), "a committed plan was lost"
        assert all(n == whole for n in stored.values()), f"a plan was kept in part: {stored}"
    with db.unit_of_work() as uow:
        assert uow.audit.verify() == []


def test_a_killed_solve_leaves_nothing_half_saved_and_its_roster_to_recover(office: Database) -> None:
    solver = _start(
        "-m", "deployer", "solve", "--operation", SIZE.operation_name, "--time-limit", "120",
        "--workers", "1", "--checkpoint-every", "0", "--db", office.url,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not interrupted_solves_running(office) and time.monotonic() < deadline and solver.poll() is None:
        time.sleep(0.05)
    solver.send_signal(signal.SIGKILL)
    solver.wait()
    _intact(office)
    with office.unit_of_work() as uow:
        assert uow.plans.list() == [], "the killed solve saved no plan"
        people = uow.staff.count()
    [interrupted] = interrupted_solves(office)
    plan_id = recover_solve(office, interrupted.id)
    check = check_plan(office, plan_id)
    assert Counter(check.plan.assignments) == Counter(interrupted.assignments)
    assert hard_breaches(check.breaches) == []
    with office.engine.connect() as connection:
        assert connection.execute(select(func.count(StaffRow.id))).scalar() == people


def interrupted_solves_running(db: Database) -> bool:
    """A checkpoint holding a roster exists (its solve may still be running)."""
    with db.unit_of_work() as uow:
        return bool(uow.checkpoints.all())
