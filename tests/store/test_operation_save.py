"""Saving an edited operation: places, policy, shifts and demand change; planned shifts stay."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

import pytest

from deployer.domain.demand_edits import apply_templates, copy_demand, set_demand, shifts_on, templates_of
from deployer.domain.errors import DomainError
from deployer.domain.operations import DemandLine, ShiftTemplate
from deployer.domain.roster import Assignment, Plan
from deployer.services import demo
from deployer.services.operations import load_operation, save_operation
from deployer.store.database import Database

SIZE = demo.DemoSize(staff=30, days=3, cities=2, sites=2, seed=1)


@pytest.fixture
def stored(db: Database) -> Database:
    demo.load(db, SIZE)
    return db


def test_templates_copy_and_policy_round_trip(stored: Database) -> None:
    op = load_operation(stored, SIZE.operation_name).operation
    assert [t.label for t in templates_of(op)] == ["D", "A", "N"]
    twelve = [ShiftTemplate("D12", time(7), 720), ShiftTemplate("N12", time(19), 720)]
    changed = apply_templates(op, twelve, last_day=op.last_day + timedelta(days=1))
    site, first = changed.sites[0], changed.first_day
    day_shift = shifts_on(changed, site, first)[0]
    changed = set_demand(changed, day_shift.key, [DemandLine(5, "SGT"), DemandLine(2)])
    changed = copy_demand(changed, [site], first, first, changed.last_day)
    changed = replace(changed, policy=replace(changed.policy, max_consecutive_days=5))
    save_operation(stored, changed, new=False)
    again = load_operation(stored, SIZE.operation_name).operation
    assert again == changed
    assert len(again.shifts) == len(again.sites) * len(again.days) * 2
    copies = [s for s in again.shifts if s.site == site and s.label == "D12"]
    assert len(copies) == 4 and all(s.required == 7 for s in copies)
    assert again.policy.max_consecutive_days == 5


def test_a_shift_a_plan_uses_cannot_be_removed(stored: Database) -> None:
    op = load_operation(stored, SIZE.operation_name).operation
    with stored.unit_of_work() as uow:
        number = uow.staff.all()[0].service_number
        uow.plans.add(Plan(op.name, 1, (Assignment(op.shifts[0].key, number),)))
    moved = apply_templates(op, templates_of(op), first_day=op.first_day + timedelta(days=1))
    with pytest.raises(DomainError, match="is used by a plan"):
        save_operation(stored, moved, new=False)
    assert load_operation(stored, SIZE.operation_name).operation == op
