"""Hand edits of a plan: saved as made, checked at once, refused on a frozen plan."""

from __future__ import annotations

from collections import Counter

import pytest

from deployer.domain.errors import DomainError
from deployer.domain.roster import Plan, PlanStatus
from deployer.domain.validator import validate
from deployer.services import demo
from deployer.services.workspace import Workspace
from deployer.store.database import Database

SIZE = demo.DemoSize(staff=60, days=3, cities=2, sites=2, seed=3)


@pytest.fixture
def workspace(db: Database) -> Workspace:
    """An empty draft plan of a small demo operation, opened for work."""
    demo.load(db, SIZE)
    with db.unit_of_work() as uow:
        plan_id = uow.plans.add(Plan(SIZE.operation_name, 1))
    return Workspace.open(db, plan_id)


def _saved(ws: Workspace) -> Counter:
    with ws.db.unit_of_work() as uow:
        return Counter(uow.plans.get(ws.plan_id).assignments)


def test_an_edit_is_in_the_database_and_in_the_audit_trail_at_once(workspace: Workspace) -> None:
    shift = workspace.problem.operation.shifts[0]
    number = workspace.problem.staff[0].service_number
    workspace.apply(workspace.assign(number, shift.key))
    assert _saved(workspace) == Counter(workspace.assignments)
    assert [a.service_number for a in workspace.assignments] == [number]
    with workspace.db.unit_of_work() as uow:
        last = uow.audit.entries()[-1]
    assert last.action == "edit" and shift.key in str(last.after)


def test_assigning_twice_on_a_day_moves_the_person(workspace: Workspace) -> None:
    shifts = workspace.problem.operation.shifts
    first = shifts[0]
    other = next(s for s in shifts if s.day == first.day and s.key != first.key)
    number = workspace.problem.staff[1].service_number
    workspace.apply(workspace.assign(number, first.key))
    workspace.apply(workspace.assign(number, other.key))
    assert [a.shift_key for a in workspace.assignments] == [other.key]


def test_breaches_follow_each_edit_and_undo(workspace: Workspace) -> None:
    op = workspace.problem.operation
    night = next(s for s in op.shifts if s.label == "N")
    morning = next(s for s in op.shifts if s.label == "D" and s.day > night.day)
    number = workspace.problem.staff[2].service_number
    workspace.apply(workspace.assign(number, night.key))
    edit = workspace.assign(number, morning.key)
    after = workspace.apply(edit)
    assert any(b.rule == "rest_between_shifts" and b.service_number == number for b in after)
    assert Counter(after) == Counter(validate(workspace.problem, workspace.assignments))
    undone = workspace.apply(edit.inverse())
    assert not any(b.rule == "rest_between_shifts" for b in undone)
    assert _saved(workspace) == Counter(workspace.assignments)


def test_swap_exchanges_two_peoples_shifts(workspace: Workspace) -> None:
    shifts = workspace.problem.operation.shifts
    a, b = workspace.problem.staff[3].service_number, workspace.problem.staff[4].service_number
    workspace.apply(workspace.assign(a, shifts[0].key))
    workspace.apply(workspace.swap(a, b, shifts[0].day))
    assert [(x.shift_key, x.service_number) for x in workspace.assignments] == [(shifts[0].key, b)]
    assert _saved(workspace) == Counter(workspace.assignments)


def test_a_submitted_plan_refuses_edits_and_keeps_its_roster(workspace: Workspace) -> None:
    shift = workspace.problem.operation.shifts[0]
    number = workspace.problem.staff[0].service_number
    workspace.apply(workspace.assign(number, shift.key))
    with workspace.db.unit_of_work() as uow:
        uow.plans.set_status(workspace.plan_id, PlanStatus.SUBMITTED)
    frozen = Workspace.open(workspace.db, workspace.plan_id)
    assert not frozen.editable
    with pytest.raises(DomainError, match="only a draft can be edited"):
        frozen.apply(frozen.remove(number, shift.day))
    assert _saved(frozen) == Counter(frozen.assignments)
