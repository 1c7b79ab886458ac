"""A full disk: a save says so in words, nothing of it is kept, and everything before it is intact.

The database's disk filling up is SQLite's own ``max_page_count`` limit (the same SQLITE_FULL
error a full disk gives); a full disk under an export is a real file-size limit (RLIMIT_FSIZE) on
the exporting process.
"""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import event, text

from deployer.domain.errors import DomainError
from deployer.services import demo
from deployer.services.imports import ImportKind, apply_import, preview_import
from deployer.services.register import load_register, save_person
from deployer.services.rostering import SolveParameters, solve_operation
from deployer.store.database import Database

ROOT = Path(__file__).resolve().parents[2]
SIZE = demo.DemoSize(staff=60, days=2, cities=2, sites=2, seed=13)


@pytest.fixture
def office(demo_office) -> Database:  # type: ignore[no-untyped-def]
    return demo_office(SIZE)  # type: ignore[no-any-return]


def _limit_pages(db: Database, extra: int) -> None:
    """From now on the database file may grow by only ``extra`` pages."""
    with db.engine.connect() as connection:
        pages = connection.execute(text("PRAGMA page_count")).scalar_one()

    @event.listens_for(db.engine, "connect")
    def _full(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + extra}")

    db.engine.dispose()


def test_a_full_disk_during_an_import_keeps_the_register_as_it_was(office: Database, tmp_path: Path) -> None:
    staff = tmp_path / "staff.csv"
    rows = [f"F{n:05d},Given{n},Family{n},CONST,VICPOL,STN-GEE,38" for n in range(5_000)]
    staff.write_text("service_number,given_name,family_name,rank,agency,home_station,contracted_hours_per_week\n"
                     + "\n".join(rows) + "\n")  # fmt: skip
    preview = preview_import(office, ImportKind.STAFF, staff)
    before = load_register(office)
    _limit_pages(office, 20)
    with pytest.raises(DomainError, match="the disk is full. Nothing of this change was saved"):
        apply_import(office, preview)
    after = load_register(office)
    assert after.staff == before.staff
    with office.engine.connect() as connection:
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    person = after.staff[0]
    save_person(
        office, replace(person, given_name="Still"), new=False, based_on=after.versions[person.service_number]
    )
    with office.unit_of_work() as uow:
        assert uow.audit.verify() == []


def _full_disk(limit: int):  # type: ignore[no-untyped-def]
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_an_export_onto_a_full_disk_fails_clearly_and_keeps_the_old_file(
    office: Database, tmp_path: Path
) -> None:
    plan = solve_operation(office, SIZE.operation_name, SolveParameters(time_limit=2, workers=1)).plan_id
    out = tmp_path / "roster.pdf"
    out.write_bytes(b"the previous export")

    def export(fmt: str, target: Path) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "deployer", "export", "--plan", str(plan), "--format", fmt,
                   "--out", str(target), "--db", office.url]  # fmt: skip
        return subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, preexec_fn=_full_disk(20_000)
        )

    failed = export("pdf", out)
    assert failed.returncode == 2 and "File too large" in failed.stderr, failed.stderr
    assert "Traceback" not in failed.stderr
    assert out.read_bytes() == b"the previous export"
    assert not list(tmp_path.glob("*.partial"))
    small = export("csv", tmp_path / "roster.csv")
    assert small.returncode == 0, small.stderr
