"""Approval in the GUI: the planner's plan tab and the commander's review mode."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from deployer.domain.approval import Role
from deployer.domain.roster import PlanStatus
from deployer.domain.staff import Absence
from deployer.services import approval, demo
from deployer.services.rostering import SolveParameters, solve_operation
from deployer.store.database import Database
from deployer.ui import app as app_module
from deployer.ui.main_window import MainWindow
from deployer.ui.review_window import ReviewWindow

SIZE = demo.DemoSize(staff=100, days=2, cities=2, sites=2, seed=6)
PASS = "a long passphrase"


@pytest.fixture
def planner(qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    db = Database(f"sqlite:///{tmp_path / 'office.sqlite'}", actor="planner1")
    demo.load(db, SIZE)
    first = solve_operation(db, SIZE.operation_name, SolveParameters(time_limit=1)).result
    with db.unit_of_work() as uow:  # someone goes on leave: the second version must differ
        person = uow.staff.get(first.assignments[0].service_number)
        op = uow.operations.get(SIZE.operation_name)
        uow.staff.save(replace(person, absences=(Absence(op.first_day, op.last_day),)))
    solve_operation(db, SIZE.operation_name, SolveParameters(time_limit=1))
    approval.new_key("Cmdr Ada", Role.COMMANDER, PASS, tmp_path / "ada.key")
    approval.register_key(db, tmp_path / "ada.key.pub")
    window = MainWindow(db)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.register_loaded, timeout=10_000):
        window.show()
    yield window
    db.close()


def select(window: MainWindow, *rows: int) -> None:
    table = window.plans.table
    table.clearSelection()
    for row in rows:
        table.selectionModel().select(
            window.plans.model.index(row, 0),
            table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows,
        )


def test_planner_submits_exports_and_imports_the_commanders_decision(  # type: ignore[no-untyped-def]
    qtbot, planner: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    assert "Planner mode · planner1" in " ".join(
        w.text() for w in planner.statusBar().findChildren(type(planner.plans.diff_title))
    )
    assert planner.plans.model.rowCount() == 2
    newest = planner.plans.plans[0]
    select(planner, 0)
    planner.plans.submit()
    assert planner.plans.plans[0].status is PlanStatus.SUBMITTED
    bundle = tmp_path / "v2.bundle"
    planner.plans.export_bundle(bundle)
    assert bundle.exists()

    review = ReviewWindow(bundle)
    qtbot.addWidget(review)
    assert "COMMANDER REVIEW MODE" in review.banner.text() and "no database" in review.banner.text()
    assert review.roster.rowCount() == newest.assignments
    assert review.approve_button.isEnabled() and not review.warning.isVisible()
    dialog = review.open_decision(approval.Verdict.APPROVE)
    dialog.key.setText(str(tmp_path / "ada.key"))
    dialog.passphrase.setText("wrong passphrase")
    dialog.sign_button.click()
    assert "wrong passphrase" in dialog.error.text()
    dialog.passphrase.setText(PASS)
    with qtbot.waitSignal(review.decided, timeout=5_000):
        dialog.sign_button.click()
    decision = Path(dialog.out.text())
    assert decision.exists()

    planner.plans.import_decision(decision)
    assert planner.plans.plans[0].status is PlanStatus.APPROVED
    planner.plans.new_version()
    assert [p.status for p in planner.plans.plans[:2]] == [PlanStatus.DRAFT, PlanStatus.APPROVED]
    select(planner, 1)
    planner.plans.import_decision(decision)
    assert "Refused" in planner.plans.message.text() and "imported before" in planner.plans.message.text()


def test_compare_two_versions(planner: MainWindow) -> None:
    select(planner, 0, 1)
    planner.plans.compare()
    assert "v1 → v2" in planner.plans.diff_title.text()
    removed = [row for row in planner.plans.diff.rows if row[0] == "removed"]
    assert removed and planner.plans.diff.rowCount() > len(removed)


def test_review_mode_starts_from_a_bundle_alone(
    qtbot, planner: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    select(planner, 0)
    planner.plans.submit()
    bundle = tmp_path / "alone.bundle"
    planner.plans.export_bundle(bundle)
    monkeypatch.setenv("DEPLOYER_DB", f"sqlite:///{tmp_path / 'must-not-exist.sqlite'}")
    shown: list[ReviewWindow] = []
    monkeypatch.setattr(app_module.QApplication, "exec", lambda self: 0)
    monkeypatch.setattr(ReviewWindow, "show", lambda self: shown.append(self))
    assert app_module.main(["--review", str(bundle)]) == 0
    qtbot.addWidget(shown[0])
    assert shown[0].findings.rowCount() == len(shown[0].review.findings)
    assert not (tmp_path / "must-not-exist.sqlite").exists()
