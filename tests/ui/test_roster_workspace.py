"""The rostering workspace driven as a planner would: solve, look, edit by hand, undo."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMenu

from deployer.domain.demand_edits import set_demand
from deployer.domain.roster import Plan
from deployer.domain.validator import hard_breaches
from deployer.services import demo
from deployer.services.operations import load_operation, save_operation
from deployer.services.rostering import check_plan
from deployer.ui.city_colours import SHORT
from deployer.ui.main_window import MainWindow
from deployer.ui.roster_grid_model import FIXED_COLUMNS

SIZE = demo.DemoSize(staff=80, days=4, cities=2, sites=3, seed=6)


@pytest.fixture
def window(demo_window) -> MainWindow:  # type: ignore[no-untyped-def]
    return demo_window(SIZE)


def _open_empty_plan(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    with window.db.unit_of_work() as uow:
        plan_id = uow.plans.add(Plan(SIZE.operation_name, 1))
    with qtbot.waitSignal(window.workspace.plan_opened, timeout=10_000):
        window.workspace.open_plan(plan_id)


def _menu_action(menu: QMenu, text: str):  # type: ignore[no-untyped-def]
    """The action whose text starts with ``text``, searching submenus."""
    for action in menu.actions():
        if action.menu():
            found = _menu_action(action.menu(), text)
            if found:
                return found
        elif action.text().startswith(text):
            return action
    return None


def _cell(window: MainWindow, number: str, column: int):  # type: ignore[no-untyped-def]
    model = window.workspace.grid_model
    return window.workspace.grid_proxy.mapFromSource(model.index(model.row_of(number), column))


def test_solve_draws_progress_saves_a_valid_plan_and_shows_it(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    panel = window.solve_panel
    panel.time_limit.setValue(4)
    with qtbot.waitSignal(panel.solved, timeout=60_000) as solved:
        panel.start_button.click()
        assert not panel.start_button.isEnabled() and panel.stop_button.isEnabled()
    outcome = solved.args[0]
    assert panel.objective.count() >= 1, "the chart shows each improving roster"
    assert "Saved as a draft plan" in panel.summary.text() and "Cover" in panel.summary.text()
    assert panel.breakdown.rowCount() > 0
    check = check_plan(window.db, outcome.solved.plan_id)
    assert hard_breaches(check.breaches) == []
    qtbot.waitUntil(lambda: window.workspace.workspace is outcome.workspace)
    grid = window.workspace.grid_model
    shown = sum(
        1 for r in range(grid.rowCount()) for c in range(3, grid.columnCount()) if grid.index(r, c).data()
    )
    assert shown == len({(a.service_number, a.shift_key[-12:]) for a in check.plan.assignments})
    assert window.problems.model.rowCount() == len(check.breaches)


def test_stop_ends_the_search_early_and_keeps_the_best_roster(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    panel = window.solve_panel
    panel.time_limit.setValue(120)
    with qtbot.waitSignal(panel.solved, timeout=60_000) as solved:
        panel.start()
        qtbot.waitUntil(lambda: panel.objective.count() >= 1, timeout=30_000)
        panel.stop_button.click()
    result = solved.args[0].solved.result
    assert result.stopped and result.wall_seconds < 60
    assert result.assignments and solved.args[0].solved.plan_id is not None


def test_a_solve_out_of_memory_is_reported_and_the_next_one_runs(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    panel = window.solve_panel
    panel.time_limit.setValue(3)
    panel.memory.setValue(0.3)  # the solving process cannot even build its model in this
    assert panel.start() is not None
    qtbot.waitUntil(lambda: panel.worker is None, timeout=60_000)
    assert "memory" in panel.state.text() and panel.explanation.isVisible()
    assert panel.start_button.isEnabled()
    panel.memory.setValue(8)
    with qtbot.waitSignal(panel.solved, timeout=60_000) as solved:
        panel.start()
    assert solved.args[0].solved.plan_id is not None


def test_the_gui_answers_while_the_solver_works(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """A 20 ms timer keeps firing during a solve: the solve runs off the GUI thread."""
    ticks: list[float] = []
    probe = QTimer(interval=20)
    probe.timeout.connect(lambda: ticks.append(time.perf_counter()))
    probe.start()
    window.solve_panel.time_limit.setValue(3)
    with qtbot.waitSignal(window.solve_panel.solved, timeout=60_000):
        window.solve_panel.start()
    probe.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert len(ticks) > 50
    assert max(gaps) < 1.0, f"the event loop stalled for {max(gaps):.2f} s"


def test_an_edit_that_breaks_a_rule_shows_in_problems_and_undo_clears_it(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _open_empty_plan(qtbot, window)
    ws = window.workspace
    op = ws.workspace.problem.operation
    night = next(s for s in op.shifts if s.label == "N")
    morning = next(s for s in op.shifts if s.label == "D" and (s.day - night.day).days == 1)
    number = ws.workspace.problem.staff[5].service_number
    for shift in (night, morning):
        column = len(FIXED_COLUMNS) + (shift.day - op.first_day).days
        menu = ws.cell_menu(_cell(window, number, column))
        _menu_action(menu, f"{shift.site} {shift.label} ").trigger()
    errors = [r for r in window.problems.model.rows if r[0] == "error"]
    assert [r[1] for r in errors] == ["rest between shifts"] and errors[0][2] == number
    assert "error" in window.problems.windowTitle() or "1 errors" in window.problems.counts.text()
    cell = _cell(window, number, len(FIXED_COLUMNS) + (morning.day - op.first_day).days)
    assert cell.data().startswith(morning.site) and cell.data(0x0003)  # tooltip names the breach

    proxy = window.problems.proxy
    first_error = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data() == "error")
    window.problems.table.doubleClicked.emit(proxy.index(first_error, 0))
    assert ws.grid.currentIndex() == cell

    ws.undo_action.trigger()
    assert [r for r in window.problems.model.rows if r[0] == "error"] == []
    with window.db.unit_of_work() as uow:
        saved = uow.plans.get(ws.workspace.plan_id).assignments
    assert [(a.shift_key, a.service_number) for a in saved] == [(night.key, number)]
    ws.redo_action.trigger()
    assert [r[1] for r in window.problems.model.rows if r[0] == "error"] == ["rest between shifts"]


def test_swap_and_delete_from_the_grid(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _open_empty_plan(qtbot, window)
    ws = window.workspace
    op = ws.workspace.problem.operation
    shift = op.shifts[0]
    first, second = (p.service_number for p in ws.workspace.problem.staff[:2])
    column = len(FIXED_COLUMNS) + (shift.day - op.first_day).days
    _menu_action(ws.cell_menu(_cell(window, first, column)), f"{shift.site} {shift.label} ").trigger()
    selection = ws.grid.selectionModel()
    selection.select(_cell(window, first, column), selection.SelectionFlag.ClearAndSelect)
    selection.select(_cell(window, second, column), selection.SelectionFlag.Select)
    _menu_action(ws.cell_menu(_cell(window, second, column)), "Swap").trigger()
    assert _cell(window, second, column).data() and not _cell(window, first, column).data()
    selection.select(_cell(window, second, column), selection.SelectionFlag.ClearAndSelect)
    ws.remove_action.trigger()
    assert not _cell(window, second, column).data()
    assert ws.workspace.assignments == []
    assert ws.undo_stack.count() == 3


def test_coverage_view_and_charts_follow_the_plan(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _open_empty_plan(qtbot, window)
    model = window.workspace.coverage_model
    assert model.rowCount() == SIZE.sites and model.columnCount() == SIZE.days * 3
    texts = [model.index(r, c).data() for r in range(model.rowCount()) for c in range(model.columnCount())]
    assert all(t is None or t.startswith("0/") for t in texts), "an empty plan fills nothing"
    window.workspace.views.setCurrentWidget(window.workspace.charts)
    qtbot.waitUntil(lambda: window.workspace.charts.cover.chart().series() != [], timeout=10_000)
    lines = sum(1 for s in window.workspace.workspace.problem.operation.shifts for d in s.demand if d.count)
    assert window.problems.counts.text() == f"0 errors · 0 warnings · {lines} shortfalls"
    short = next(
        model.index(r, c)
        for r in range(model.rowCount())
        for c in range(model.columnCount())
        if (model.index(r, c).data() or "0/0") != "0/0"
    )
    assert short.data(Qt.ItemDataRole.BackgroundRole).color() == SHORT


def test_an_impossible_demand_is_explained_in_the_solve_panel(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    op = load_operation(window.db, SIZE.operation_name).operation
    save_operation(
        window.db, set_demand(op, op.shifts[0].key, [replace(op.shifts[0].demand[0], count=500)]), new=False
    )
    panel = window.solve_panel
    panel.time_limit.setValue(5)
    panel.hard_cover.setChecked(True)
    with qtbot.waitSignal(panel.solved, timeout=60_000) as solved:
        panel.start()
    result = solved.args[0].solved.result
    assert any("short" in line for line in result.explanation)
    assert not panel.explanation.isHidden()
    text = panel.explanation.toPlainText()
    assert text.startswith("Why some demand is left unfilled") and "qualified staff can reach it" in text
