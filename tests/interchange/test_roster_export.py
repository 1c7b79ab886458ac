"""Exporting a solved plan as a planner and a commander would read it."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from icalendar import Calendar

from deployer.cli import main as cli
from deployer.services import demo
from deployer.services.exports import ExportFormat, export_plan, roster_sheet
from deployer.services.rostering import SolveParameters, solve_operation
from deployer.store.database import Database

SIZE = demo.DemoSize(staff=120, days=3, cities=2, sites=3, seed=8)


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, int]:
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('export') / 'plan.db'}")
    demo.load(db, SIZE)
    plan_id = solve_operation(db, SIZE.operation_name, SolveParameters(time_limit=3)).plan_id
    assert plan_id is not None
    yield db, plan_id
    db.close()


def test_csv_has_one_row_per_assignment_with_offsets(solved: tuple[Database, int], tmp_path: Path) -> None:
    db, plan_id = solved
    out = tmp_path / "roster.csv"
    export_plan(db, plan_id, ExportFormat.CSV, out)
    frame = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    with db.unit_of_work() as uow:
        plan = uow.plans.get(plan_id)
    assert len(frame) == len(plan.assignments)
    assert set(zip(frame.service_number, frame.start, strict=True)) >= {
        (frame.service_number[0], frame.start[0])
    }
    first = datetime.fromisoformat(frame.start[0])
    assert first.utcoffset() is not None
    assert set(frame.lodging) <= {"yes", "no"}
    assert {"skills_used", "city", "site", "travel_minutes_before", "travel_minutes_after"} <= set(
        frame.columns
    )


def test_xlsx_has_a_sheet_per_city_and_coverage(solved: tuple[Database, int], tmp_path: Path) -> None:
    db, plan_id = solved
    out = tmp_path / "roster.xlsx"
    export_plan(db, plan_id, ExportFormat.XLSX, out)
    sheets = pd.read_excel(out, sheet_name=None, dtype=str, keep_default_na=False)
    sheet = roster_sheet(db, plan_id)
    cities = {line.city_name for line in sheet.lines}
    assert set(sheets) == cities | {"Coverage", "Assignments"}
    coverage = sheets["Coverage"]
    assert len(coverage) == len(sheet.coverage)
    assert sum(map(int, coverage.filled)) == len(sheet.lines)
    grid = next(frame for name, frame in sheets.items() if name in cities)
    assert list(grid.columns[:3]) == ["service_number", "name", "rank"]
    assert len(grid.columns) == 3 + SIZE.days


def test_ics_for_one_person(solved: tuple[Database, int], tmp_path: Path) -> None:
    db, plan_id = solved
    sheet = roster_sheet(db, plan_id)
    person = sheet.lines[0].service_number
    out = tmp_path / "me.ics"
    export_plan(db, plan_id, ExportFormat.ICS, out, person=person)
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    mine = [line for line in sheet.lines if line.service_number == person]
    assert len(events) == len(mine) >= 1
    assert events[0].decoded("dtstart") == mine[0].start
    assert mine[0].site_name in str(events[0]["location"])


def test_pdf_prints_cover_and_rosters(solved: tuple[Database, int], tmp_path: Path) -> None:
    db, plan_id = solved
    out = tmp_path / "roster.pdf"
    summary = export_plan(db, plan_id, ExportFormat.PDF, out)
    assert out.read_bytes().startswith(b"%PDF") and "pages" in summary
    text = _pdf_text(out)
    if text is not None:
        assert SIZE.operation_name in text and "Coverage" in text and "page 1 of" in text


def _pdf_text(path: Path) -> str | None:
    try:
        return subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None


def test_formula_like_names_are_neutralised(solved: tuple[Database, int], tmp_path: Path) -> None:
    db, plan_id = solved
    sheet = roster_sheet(db, plan_id)
    number = sheet.lines[0].service_number
    with db.unit_of_work() as uow:
        person = uow.staff.get(number)
        assert person is not None
        uow.staff.save(replace(person, given_name='=HYPERLINK("http://x")', family_name="@SUM(A1)"))
    try:
        out = tmp_path / "roster.csv"
        export_plan(db, plan_id, ExportFormat.CSV, out)
        names = pd.read_csv(out, dtype=str, encoding="utf-8-sig").name
        assert all(not n.startswith(("=", "+", "-", "@")) for n in names)
        assert '\'@SUM(A1), =HYPERLINK("http://x")' in set(names)
    finally:
        with db.unit_of_work() as uow:
            uow.staff.save(person)


def test_cli_export_each_format(solved: tuple[Database, int], tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db, plan_id = solved
    for fmt in ExportFormat:
        out = tmp_path / f"plan.{fmt.value}"
        assert (
            cli(["export", "--db", db.url, "--plan", str(plan_id), "--format", fmt.value, "--out", str(out)])
            == 0
        )
        assert out.stat().st_size > 0
    assert not list(tmp_path.glob("*.partial"))
    assert (
        cli(["export", "--db", db.url, "--plan", "999", "--format", "csv", "--out", str(tmp_path / "x")]) == 2
    )
    assert "999" in capsys.readouterr().err
