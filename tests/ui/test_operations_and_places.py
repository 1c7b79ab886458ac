"""Operation editor and locations tab, driven as a planner would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from deployer.services import demo
from deployer.services.operations import load_operation
from deployer.ui.main_window import MainWindow

SIZE = demo.DemoSize(staff=40, days=4, cities=2, sites=3, seed=9)


@pytest.fixture
def window(demo_window) -> MainWindow:  # type: ignore[no-untyped-def]
    return demo_window(SIZE)


def test_demand_is_edited_checked_copied_across_days_and_saved(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    editor = window.operations
    assert editor.operation.name == SIZE.operation_name
    site = editor.demand_site.currentData()
    first_day = editor.demand_day.currentData()
    editor.demand.set_rows([("D", "6", "SGT", "FA", ""), ("A", "3", "", "", "")])
    editor.demand.add_row(("N", "2", "", "NOPE", ""))
    assert not editor.save()
    assert "skill 'NOPE' is not in the catalogue" in editor.message.text()
    editor.demand.remove_row(2)
    editor.demand.add_row(("N", "2", "", "GD;FIREARMS", "VICPOL"))
    editor.copy_all_sites.setChecked(False)
    assert editor.copy_day()
    with qtbot.waitSignal(window.register_loaded, timeout=10_000):
        assert editor.save()
    stored = load_operation(window.db, SIZE.operation_name).operation
    for shift in (s for s in stored.shifts if s.site == site):
        counts = [line.count for line in shift.demand]
        assert counts == {"D": [6], "A": [3], "N": [2]}[shift.label], (shift.key, first_day)
    night = next(s for s in stored.shifts if s.site == site and s.label == "N")
    assert {n.skill for n in night.demand[0].skills} == {"GD", "FIREARMS"}
    assert night.demand[0].agencies == frozenset({"VICPOL"})


def test_a_new_operation_from_templates(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    editor = window.operations
    editor.new_operation()
    editor.name.setText("Flood relief test")
    city = editor.cities.item(0)
    city.setCheckState(Qt.CheckState.Checked)
    assert editor.sites.count() >= 1
    editor.sites.item(0).setCheckState(Qt.CheckState.Checked)
    editor.preset.setCurrentIndex(1)  # two 12-hour shifts
    editor.templates.set_rows([("D12", "07:00", "12"), ("N12", "19:00", "twelve")])
    assert not editor.apply_templates() and "does not read" in editor.message.text()
    editor.templates.set_rows([("D12", "07:00", "12"), ("N12", "19:00", "12")])
    assert editor.apply_templates()
    assert len(editor.operation.shifts) == 7 * 2
    editor.demand.set_rows([("D12", "4", "", "", "")])
    editor.copy_all_sites.setChecked(True)
    assert editor.copy_day()
    editor.policy["max_consecutive_days"].setValue(5)
    with qtbot.waitSignal(window.register_loaded, timeout=10_000):
        assert editor.save(), editor.message.text()
    stored = load_operation(window.db, "Flood relief test").operation
    assert len(stored.shifts) == 14 and stored.policy.max_consecutive_days == 5
    assert sorted(s.required for s in stored.shifts) == [0] * 7 + [4] * 7
    assert editor.names.findItems("Flood relief test", Qt.MatchFlag.MatchExactly)


def test_travel_matrix_marks_estimates_and_records_a_measured_leg(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    model = window.locations.travel
    assert model.rowCount() > 0 and model.columnCount() == len(model.sites)
    index = next(
        model.index(r, c)
        for r in range(model.rowCount())
        for c in range(model.columnCount())
        if model.index(r, c).data().startswith("~")
    )
    assert "estimated from coordinates" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert model.setData(index, "47")
    assert index.data() == "47"
    origin, site = model.origins[index.row()].code, model.sites[index.column()].code
    with window.db.unit_of_work() as uow:
        assert uow.locations.legs()[(origin, site)].minutes == 47
        assert uow.audit.entries()[-1].entity == "travel"
    assert not model.setData(index, "soon")
