"""Another planner saved first: the window says who changed what and keeps (or reloads) the work."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from deployer.domain.roster import Plan
from deployer.services import demo
from deployer.services.register import load_register, save_person
from deployer.services.workspace import Workspace
from deployer.store.database import Database
from deployer.ui.main_window import MainWindow

SIZE = demo.DemoSize(staff=60, days=3, cities=2, sites=2, seed=4)


@pytest.fixture
def window(demo_window) -> MainWindow:  # type: ignore[no-untyped-def]
    return demo_window(SIZE)


@pytest.fixture
def bob(window: MainWindow) -> Iterator[Database]:
    """A second planner on the same database file."""
    other = Database(window.db.url, actor="bob")
    yield other
    other.close()


def test_a_person_saved_meanwhile_is_reported_and_the_dialog_keeps_the_typing(
    qtbot,
    window: MainWindow,
    bob: Database,  # type: ignore[no-untyped-def]
) -> None:
    person = window.staff_model.person(0)
    dialog = window.register.edit_person(0)
    dialog.family_name.setText("Typed-By-Alice")
    theirs = load_register(bob)
    save_person(
        bob, replace(person, given_name="Bobby"), new=False, based_on=theirs.versions[person.service_number]
    )
    dialog.save()
    assert dialog.isVisible()
    assert "bob changed it" in dialog.error.text() and "given name" in dialog.error.text()
    assert dialog.family_name.text() == "Typed-By-Alice"
    with window.db.unit_of_work() as uow:
        assert uow.staff.get(person.service_number).given_name == "Bobby"


def test_a_plan_edited_meanwhile_is_reloaded_with_the_other_edit(
    qtbot,
    window: MainWindow,
    bob: Database,  # type: ignore[no-untyped-def]
) -> None:
    with window.db.unit_of_work() as uow:
        plan_id = uow.plans.add(Plan(SIZE.operation_name, 1))
    with qtbot.waitSignal(window.workspace.plan_opened, timeout=10_000):
        window.workspace.open_plan(plan_id)
    ws = window.workspace
    shift = ws.workspace.problem.operation.shifts[0]
    first, second = (p.service_number for p in ws.workspace.problem.staff[:2])
    theirs = Workspace.open(bob, plan_id)
    theirs.apply(theirs.assign(first, shift.key))
    with qtbot.waitSignal(ws.plan_opened, timeout=10_000):
        assert not ws.make(lambda: ws.workspace.assign(second, shift.key))
    qtbot.waitUntil(lambda: "plan reloaded" in ws.state.text())
    assert "bob changed it" in ws.state.text()
    assert [a.service_number for a in ws.workspace.assignments] == [first]
    assert ws.undo_stack.count() == 0
    assert ws.make(lambda: ws.workspace.assign(second, shift.key)), "the reloaded view edits normally"
