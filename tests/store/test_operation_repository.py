"""Operations and plans on both back-ends: shifts keep their instants, demand its lines."""

from __future__ import annotations

from datetime import date, time

import pytest

from deployer.domain.errors import DomainError
from deployer.domain.operations import (
    DemandLine,
    Operation,
    OperationKind,
    Shift,
    ShiftTemplate,
    SkillNeed,
)
from deployer.domain.policy import FatiguePolicy
from deployer.domain.roster import Assignment, Plan, PlanStatus
from deployer.domain.staff import StaffMember
from deployer.store.database import Database


def operation(**changes) -> Operation:  # type: ignore[no-untyped-def]
    tz_op = Operation("Flood", OperationKind.EMERGENCY, date(2027, 4, 2), date(2027, 4, 4))
    shifts = []
    for day in tz_op.days:
        for template in (ShiftTemplate("D", time(7), 480), ShiftTemplate("N", time(23), 480)):
            start, end = template.on(day, tz_op.tz)
            shifts.append(
                Shift(
                    f"GEE-KP/{day}/{template.label}",
                    "GEE-KP",
                    start,
                    end,
                    template.label,
                    demand=(
                        DemandLine(1, "SGT", frozenset({SkillNeed("GD")})),
                        DemandLine(
                            3, None, frozenset({SkillNeed("PO", 2), SkillNeed("FA")}), frozenset({"VICPOL"})
                        ),
                    ),
                )
            )
    values = dict(
        name="Flood",
        kind=OperationKind.EMERGENCY,
        first_day=date(2027, 4, 2),
        last_day=date(2027, 4, 4),
        cities=("GEE",),
        sites=("GEE-KP",),
        shifts=tuple(shifts),
        policy=FatiguePolicy(name="Flood rules", max_consecutive_nights=3),
    )
    values.update(changes)
    return Operation(**values)


def test_operation_round_trip_keeps_shifts_demand_and_policy(stocked: Database) -> None:
    original = operation()  # spans the end of daylight saving on 4 April 2027
    with stocked.unit_of_work() as uow:
        uow.operations.add(original)
    with stocked.unit_of_work() as uow:
        loaded = uow.operations.get("Flood")
    assert loaded == original
    assert [s.minutes for s in loaded.shifts] == [480] * 6
    assert loaded.shifts[0].start.tzinfo == original.tz


def test_second_operation_with_the_same_name_is_refused(stocked: Database) -> None:
    with stocked.unit_of_work() as uow:
        uow.operations.add(operation())
    with pytest.raises(DomainError, match="already used"), stocked.unit_of_work() as uow:
        uow.operations.add(operation())


def test_demand_for_an_unknown_skill_is_named_and_nothing_is_stored(stocked: Database) -> None:
    op = operation()
    bad_shift = Shift(
        "bad",
        "GEE-KP",
        op.shifts[0].start,
        op.shifts[0].end,
        demand=(DemandLine(1, None, frozenset({SkillNeed("HELICOPTER")})),),
    )
    with pytest.raises(DomainError, match="shift bad demand line 1: skill 'HELICOPTER'"):
        with stocked.unit_of_work() as uow:
            uow.operations.add(operation(shifts=op.shifts + (bad_shift,)))
    with stocked.unit_of_work() as uow:
        assert uow.operations.names() == []


def test_plans_get_increasing_versions_and_round_trip(stocked: Database) -> None:
    person = StaffMember("31245", "Ana", "Nguyen", "SGT", "VICPOL", "STN-GEE")
    op = operation()
    with stocked.unit_of_work() as uow:
        uow.staff.add_many([person])
        uow.operations.add(op)
        assert uow.plans.next_version("Flood") == 1
        plan = Plan(
            "Flood",
            1,
            (Assignment(op.shifts[0].key, "31245", 0, pinned=True),),
            note="first cut",
            created_by="planner",
        )
        plan_id = uow.plans.add(plan)
        assert uow.plans.next_version("Flood") == 2
    with stocked.unit_of_work() as uow:
        loaded = uow.plans.get(plan_id)
        summaries = uow.plans.list("Flood")
    assert loaded.assignments == plan.assignments
    assert (loaded.status, loaded.note, loaded.created_by) == (PlanStatus.DRAFT, "first cut", "planner")
    assert [(s.version, s.assignments) for s in summaries] == [(1, 1)]


def test_plan_naming_an_unknown_shift_is_refused(stocked: Database) -> None:
    with stocked.unit_of_work() as uow:
        uow.operations.add(operation())
    with pytest.raises(DomainError, match="is not a shift of the operation"):
        with stocked.unit_of_work() as uow:
            uow.plans.add(Plan("Flood", 1, (Assignment("nope", "31245"),)))


def test_policy_is_saved_by_name(stocked: Database) -> None:
    with stocked.unit_of_work() as uow:
        uow.operations.save_policy(FatiguePolicy(name="A", max_consecutive_days=5))
        uow.operations.save_policy(FatiguePolicy(name="A", max_consecutive_days=6))
    with stocked.unit_of_work() as uow:
        assert [(p.name, p.max_consecutive_days) for p in uow.operations.policies()] == [("A", 6)]
