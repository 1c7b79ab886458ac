"""Names and free text carrying SQL, HTML and spreadsheet formulas: stored and shown exactly as typed,
exported so that no spreadsheet runs them."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from icalendar import Calendar

from deployer.domain.roster import Assignment
from deployer.services import demo
from deployer.services.exports import ExportFormat, export_plan
from deployer.services.operations import load_operation, save_operation
from deployer.services.register import load_register
from deployer.services.rostering import SolveParameters, solve_operation
from deployer.store.database import Database
from tests.reliability.hostile import HOSTILE, SIZE, hostile_people


def test_hostile_text_is_stored_and_read_back_verbatim(database_url: str) -> None:
    db = Database(database_url)
    demo.load(db, SIZE)
    try:
        named = hostile_people(db)
        stored = {p.service_number: p for p in load_register(db).staff}
        assert len(stored) == SIZE.staff, "no statement ran from a name"
        for number, (given, family) in named.items():
            person = stored[number]
            assert (person.given_name, person.family_name) == (given, family)
            assert person.absences[-1].note == given
        op = load_operation(db, SIZE.operation_name)
        save_operation(
            db, replace(op.operation, description=HOSTILE[0] + HOSTILE[1]), new=False, based_on=op.version
        )
        assert load_operation(db, SIZE.operation_name).operation.description == HOSTILE[0] + HOSTILE[1]
    finally:
        db.close()


@pytest.fixture(scope="module")
def solved_hostile(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Database, int, dict[str, tuple[str, str]]]:
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'plan.sqlite'}")
    demo.load(db, SIZE)
    named = hostile_people(db)
    with db.unit_of_work() as uow:
        op = uow.operations.get(SIZE.operation_name)
    plan = solve_operation(db, SIZE.operation_name, SolveParameters(time_limit=3, workers=1)).plan_id
    assert plan is not None
    with db.unit_of_work() as uow:  # make sure every hostile name is on the roster
        shifts = [s for s in op.shifts if s.day == op.first_day]
        rostered = {a.service_number for a in uow.plans.get(plan).assignments}
        extra = [n for n in named if n not in rostered]
        uow.plans.edit(
            plan, [], [Assignment(shifts[i % len(shifts)].key, n) for i, n in enumerate(extra)], "names"
        )
    yield db, plan, named
    db.close()


def test_csv_and_xlsx_exports_hold_no_formula(solved_hostile, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, plan, named = solved_hostile
    export_plan(db, plan, ExportFormat.CSV, tmp_path / "roster.csv")
    cells = pd.read_csv(tmp_path / "roster.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    texts = {c for column in cells.columns for c in cells[column]}
    assert not any(t.startswith(("=", "+", "-", "@", "\t")) for t in texts)
    for given, family in named.values():
        expected = f"{family}, {given}"
        assert expected in texts or "'" + expected in texts, expected
    export_plan(db, plan, ExportFormat.XLSX, tmp_path / "roster.xlsx")
    book = openpyxl.load_workbook(tmp_path / "roster.xlsx")
    values = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert values and all(c.data_type != "f" for c in values), "no cell is a formula"
    assert not any(str(c.value).startswith(("=", "+", "-", "@")) for c in values)


def test_calendar_and_pdf_print_names_as_typed(solved_hostile, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, plan, named = solved_hostile
    export_plan(db, plan, ExportFormat.ICS, tmp_path / "roster.ics")
    calendar = Calendar.from_ical((tmp_path / "roster.ics").read_bytes())
    summaries = " ".join(str(e.get("summary")) for e in calendar.walk("VEVENT"))
    for given, family in named.values():
        assert f"{family}, {given}" in summaries
    export_plan(db, plan, ExportFormat.PDF, tmp_path / "roster.pdf")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "roster.pdf"), "-"], capture_output=True, text=True
        ).stdout
        assert "<b>Bold</b><script>" in text and "DROP TABLE staff" in text  # long names are cut to the cell
