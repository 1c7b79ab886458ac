"""Importing staff, skills and leave from CSV and Excel: all or nothing, every problem placed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from deployer.cli import main as cli
from deployer.domain.staff import Absence, AbsenceKind, Qualification
from deployer.services import demo
from deployer.services.imports import (
    ImportCancelled,
    ImportKind,
    ImportRejected,
    apply_import,
    preview_import,
)
from deployer.services.resources import RESOURCES
from deployer.store.database import Database
from tests.interchange.conftest import write

STAFF_HEADER = "service_number,given_name,family_name,rank,agency,home_station,contracted_hours_per_week"


def staff_file(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        "staff.csv",
        f"{STAFF_HEADER}\n"
        "VP1,Ann,Lee,CONST,VICPOL,STN-GEE,38\n"
        "VP2,Bo,Tran,SGT,VICPOL,STN-BAL,30.5\n"
        "SES1,Cy,Ng,SES-MBR,VICSES,STN-GEE,\n",
    )


def test_staff_import_adds_then_updates_by_service_number(register: Database, tmp_path: Path) -> None:
    path = staff_file(tmp_path)
    preview = preview_import(register, ImportKind.STAFF, path)
    assert (len(preview.changes.added), len(preview.changes.changed), preview.changes.unchanged) == (3, 0, 0)
    apply_import(register, preview)
    with register.unit_of_work() as uow:
        assert uow.staff.get("VP2").limits.contracted_minutes_per_week == 30 * 60 + 30  # type: ignore[union-attr]
    again = preview_import(register, ImportKind.STAFF, path)
    assert (len(again.changes.added), len(again.changes.changed), again.changes.unchanged) == (0, 0, 3)
    moved = write(tmp_path, "moved.csv", f"{STAFF_HEADER}\nVP1,Ann,Lee,SGT,VICPOL,STN-BAL,38\n")
    changed = preview_import(register, ImportKind.STAFF, moved)
    assert [p.service_number for p in changed.changes.changed] == ["VP1"]
    apply_import(register, changed)
    with register.unit_of_work() as uow:
        assert uow.staff.count() == 3
        assert uow.staff.get("VP1").rank == "SGT"  # type: ignore[union-attr]


def test_every_problem_is_reported_with_its_place_and_nothing_is_saved(
    register: Database, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "bad.csv",
        f"{STAFF_HEADER}\n"
        "VP1,Ann,Lee,CONST,VICPOL,STN-GEE,38\n"
        "VP1,Ann,Again,CONST,VICPOL,STN-GEE,38\n"
        "VP3,Di,Roe,GENERAL,VICPOL,STN-GEE,38\n"
        "VP4,Ed,,CONST,VICPOL,NOWHERE,forty\n",
    )
    with pytest.raises(ImportRejected) as rejected:
        preview_import(register, ImportKind.STAFF, path)
    found = {(p.row, p.column) for p in rejected.value.problems}
    assert found == {
        (3, "service_number"),
        (4, "rank"),
        (5, "family_name"),
        (5, "home_station"),
        (5, "contracted_hours_per_week"),
    }
    assert "bad.csv, row 5, column 'contracted_hours_per_week': 'forty' is not a number" in str(
        rejected.value
    )
    with register.unit_of_work() as uow:
        assert uow.staff.count() == 0


def test_missing_and_unknown_columns_are_named(register: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "cols.csv", "service_number,family_name,rank,colour\nVP1,Lee,CONST,red\n")
    with pytest.raises(ImportRejected) as rejected:
        preview_import(register, ImportKind.STAFF, path)
    messages = {(p.column, p.message.split(" (")[0]) for p in rejected.value.problems}
    assert ("agency", "required column is missing") in messages
    assert ("home_station", "required column is missing") in messages
    assert ("colour", "unknown column") in messages


def test_excel_skills_and_leave_with_bom_csv(register: Database, tmp_path: Path) -> None:
    apply_import(register, preview_import(register, ImportKind.STAFF, staff_file(tmp_path)))
    workbook = tmp_path / "skills.xlsx"
    with pd.ExcelWriter(workbook) as writer:
        pd.DataFrame(
            {
                "Service Number": ["VP1", "VP1"],
                "Skill": ["PO", "GD"],
                "Level": [2, None],
                "Expires": [pd.Timestamp("2027-06-30"), None],
            }
        ).to_excel(writer, sheet_name="Police", index=False)
        pd.DataFrame({"service_number": ["SES1"], "skill": ["FA"]}).to_excel(
            writer, sheet_name="SES", index=False
        )
    apply_import(register, preview_import(register, ImportKind.SKILLS, workbook))
    leave = tmp_path / "leave.csv"
    leave.write_bytes(
        "\ufeffservice_number,first_day,last_day,kind,note\n"
        "VP2,2026-03-02,2026-03-06,leave,Café trip\n".encode()
    )
    apply_import(register, preview_import(register, ImportKind.LEAVE, leave))
    twice = preview_import(register, ImportKind.LEAVE, leave)
    assert twice.changes.unchanged == 1 and not twice.changes.changed
    with register.unit_of_work() as uow:
        assert set(uow.staff.get("VP1").qualifications) == {  # type: ignore[union-attr]
            Qualification("PO", 2, date(2027, 6, 30)),
            Qualification("GD", 1, None),
        }
        assert uow.staff.get("SES1").qualifications == (Qualification("FA"),)  # type: ignore[union-attr]
        assert uow.staff.get("VP2").absences == (  # type: ignore[union-attr]
            Absence(date(2026, 3, 2), date(2026, 3, 6), AbsenceKind.LEAVE, "Café trip"),
        )


def test_skill_problems_name_the_sheet(register: Database, tmp_path: Path) -> None:
    apply_import(register, preview_import(register, ImportKind.STAFF, staff_file(tmp_path)))
    workbook = tmp_path / "skills.xlsx"
    pd.DataFrame(
        {"service_number": ["VP1", "VP9", "VP1"], "skill": ["PO", "GD", "XX"], "level": [4, 1, 1]}
    ).to_excel(workbook, sheet_name="Certs", index=False)
    with pytest.raises(ImportRejected) as rejected:
        preview_import(register, ImportKind.SKILLS, workbook)
    assert [str(p) for p in rejected.value.problems] == [
        "skills.xlsx, sheet 'Certs', row 2, column 'level': 4 is above PO's highest level (3)",
        "skills.xlsx, sheet 'Certs', row 3, column 'service_number': 'VP9' is not in the register",
        "skills.xlsx, sheet 'Certs', row 4, column 'skill': 'XX' is not in the catalogue",
    ]


def test_cli_imports_and_exits_2_with_the_problem_list(register: Database, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = staff_file(tmp_path)
    assert cli(["import", "staff", str(path), "--db", register.url, "--dry-run"]) == 0
    assert "would import 3 to add, 0 to change, 0 unchanged" in capsys.readouterr().out
    assert cli(["import", "staff", str(path), "--db", register.url]) == 0
    leave = write(tmp_path, "leave.csv", "service_number,first_day,last_day\nVP1,2026-02-30,2026-03-01\n")
    assert cli(["import", "leave", str(leave), "--db", register.url]) == 2
    err = capsys.readouterr().err
    assert "nothing imported; 1 problem(s)" in err
    assert "leave.csv, row 2, column 'first_day': '2026-02-30' is not a date (YYYY-MM-DD)" in err


def test_unreadable_files_are_refused(register: Database, tmp_path: Path) -> None:
    for name, content in (("empty.csv", b""), ("staff.xlsx", b"not a zip"), ("staff.pdf", b"%PDF")):
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(ImportRejected) as rejected:
            preview_import(register, ImportKind.STAFF, path)
        assert rejected.value.problems[0].file == name


def test_shipped_templates_import_into_the_demo(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        demo.load(db, demo.DemoSize(staff=30, days=2, cities=2, sites=2))
        for kind in ImportKind:
            apply_import(db, preview_import(db, kind, RESOURCES / "templates" / f"{kind.value}.csv"))
        with db.unit_of_work() as uow:
            person = uow.staff.get("VP99001")
        assert person is not None and len(person.qualifications) == 2 and len(person.absences) == 1
    finally:
        db.close()


def test_a_cancelled_save_rolls_back(register: Database, tmp_path: Path) -> None:
    preview = preview_import(register, ImportKind.STAFF, staff_file(tmp_path))
    steps: list[tuple[int, str]] = []
    with pytest.raises(ImportCancelled):
        apply_import(register, preview, report=lambda p, t: steps.append((p, t)), cancelled=lambda: True)
    assert steps and steps[0][1].startswith("Saving 3 to add")
    with register.unit_of_work() as uow:
        assert uow.staff.count() == 0
