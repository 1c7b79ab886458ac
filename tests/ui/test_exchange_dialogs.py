"""Importing and exporting from the main window, as a planner would."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from PySide6.QtWidgets import QFileDialog

from deployer.services import demo
from deployer.services.imports import ImportKind
from deployer.services.rostering import SolveParameters, solve_operation
from deployer.ui.main_window import MainWindow

SIZE = demo.DemoSize(staff=120, days=2, cities=2, sites=2, seed=4)


@pytest.fixture
def window(demo_window) -> MainWindow:  # type: ignore[no-untyped-def]
    return demo_window(SIZE)


def test_import_previews_then_saves_and_reloads(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "new staff.csv"
    path.write_text(
        "service_number,given_name,family_name,rank,agency,home_station\n"
        "NEW1,Ana,Pérez,SC,VICPOL,STN-MELE\nNEW2,Ben,O'Hara,CONST,VICPOL,STN-MELW\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(path), ""))
    dialog = window.import_file(ImportKind.STAFF)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
    assert "2 to add, 0 to change" in dialog.summary.text()
    assert dialog.model.rowCount() == 2 and dialog.model.rows[0][:2] == ("add", "NEW1")
    with qtbot.waitSignal(window.register_loaded, timeout=10_000):
        dialog.import_button.click()
    assert window.staff_proxy.rowCount() == SIZE.staff + 2
    window.search.setText("Pérez")
    assert window.staff_proxy.rowCount() == 1


def test_a_bad_file_lists_its_problems_and_imports_nothing(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.csv"
    path.write_text("service_number,family_name,rank,agency,home_station\nX1,Doe,ADMIRAL,VICPOL,STN-MELE\n")
    dialog = window.import_file(ImportKind.STAFF, path)
    assert dialog is not None
    qtbot.waitUntil(lambda: "Nothing imported" in dialog.summary.text(), timeout=10_000)
    assert not dialog.import_button.isEnabled()
    assert dialog.model.rows == [("bad.csv, row 2, column 'rank'", "'ADMIRAL' is not in the catalogue", "")]
    dialog.cancel()
    with window.db.unit_of_work() as uow:
        assert uow.staff.count() == SIZE.staff


def test_template_and_export_from_the_file_menu(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    template = tmp_path / "staff template.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(template), ""))
    window.save_template(ImportKind.STAFF)
    assert list(pd.read_excel(template).columns)[:3] == ["service_number", "given_name", "family_name"]

    solve_operation(window.db, SIZE.operation_name, SolveParameters(time_limit=2))
    out = tmp_path / "roster.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(out), ""))
    dialog = window.export_roster()
    assert dialog.plan.count() == 1
    with qtbot.waitSignal(dialog.exported, timeout=20_000) as blocker:
        dialog.export_button.click()
    assert "roster.xlsx" in blocker.args[0]
    assert "Coverage" in pd.read_excel(out, sheet_name=None)
