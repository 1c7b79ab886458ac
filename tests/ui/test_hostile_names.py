"""The window shows names carrying HTML and SQL exactly as typed, and a search for them is just text."""

from __future__ import annotations

from deployer.domain.roster import Plan
from deployer.ui.main_window import MainWindow
from tests.reliability.hostile import HOSTILE, SIZE, hostile_people


def test_the_window_shows_hostile_names_as_typed(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = demo_window(SIZE)
    named = hostile_people(window.db)
    with qtbot.waitSignal(window.register_loaded, timeout=10_000):
        window.reload()
    model = window.staff_model
    shown = {model.person(r).service_number: model.index(r, 1).data() for r in range(model.rowCount())}
    number, (given, family) = next(iter(named.items()))
    assert shown[number] == f"{family}, {given}" or given in shown[number]
    window.search.setText(HOSTILE[0])
    assert window.staff_proxy.rowCount() >= 1, "a SQL-looking search is just text"
    window.search.clear()
    with window.db.unit_of_work() as uow:
        plan_id = uow.plans.add(Plan(SIZE.operation_name, 1))
    with qtbot.waitSignal(window.workspace.plan_opened, timeout=10_000):
        window.workspace.open_plan(plan_id)
    ws = window.workspace
    html_name = next(n for n, (g, _) in named.items() if g.startswith("<b>"))
    shift = ws.workspace.problem.operation.shifts[0]
    assert ws.make(lambda: ws.workspace.assign(html_name, shift.key))
    assert "<script>" in ws.state.text() and ws.state.textFormat() == ws.state.textFormat().PlainText
    ws.show_cell(html_name, shift.day)
    assert "&lt;script&gt;" in ws.timeline_title.text(), "rich-text titles escape the name"
