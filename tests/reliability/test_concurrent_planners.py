"""Two planners on one database: the second save over the first is a conflict, never an overwrite.

Each planner is its own :class:`Database` (own connections, own actor), as two laptops on the
office PostgreSQL server or two windows on one SQLite file would be.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest

from deployer.domain.errors import EditConflict
from deployer.domain.operations import DemandLine
from deployer.domain.roster import Plan
from deployer.services import demo
from deployer.services.operations import load_operation, save_operation
from deployer.services.register import load_register, save_person
from deployer.services.rostering import SolveParameters, solve_operation
from deployer.services.workspace import Workspace
from deployer.store.database import Database

SIZE = demo.DemoSize(staff=40, days=3, cities=2, sites=2, seed=8)


@pytest.fixture
def planners(database_url: str) -> Iterator[tuple[Database, Database]]:
    """Alice and Bob, each with their own connection to one demo database."""
    alice = Database(database_url, actor="alice")
    demo.load(alice, SIZE)
    bob = Database(database_url, actor="bob")
    yield alice, bob
    alice.close()
    bob.close()


def test_second_save_of_a_person_is_a_conflict_naming_who_changed_what(
    planners: tuple[Database, Database],
) -> None:
    alice, bob = planners
    seen_by_alice, seen_by_bob = load_register(alice), load_register(bob)
    person = seen_by_alice.staff[0]
    number = person.service_number
    save_person(
        alice, replace(person, family_name="Alice-Edit"), new=False, based_on=seen_by_alice.versions[number]
    )
    with pytest.raises(EditConflict) as refused:
        save_person(
            bob, replace(person, given_name="Bob-Edit"), new=False, based_on=seen_by_bob.versions[number]
        )
    assert refused.value.by == "alice"
    assert "family name" in refused.value.what
    assert "not saved" in str(refused.value)
    stored = next(p for p in load_register(bob).staff if p.service_number == number)
    assert (stored.given_name, stored.family_name) == (person.given_name, "Alice-Edit")
    # Bob reloads and saves again on top of Alice's change: now it goes through.
    fresh = load_register(bob)
    mine = next(p for p in fresh.staff if p.service_number == number)
    save_person(bob, replace(mine, given_name="Bob-Edit"), new=False, based_on=fresh.versions[number])
    final = next(p for p in load_register(alice).staff if p.service_number == number)
    assert (final.given_name, final.family_name) == ("Bob-Edit", "Alice-Edit")


def test_second_save_of_an_operations_demand_is_a_conflict(planners: tuple[Database, Database]) -> None:
    alice, bob = planners
    by_alice, by_bob = load_operation(alice, SIZE.operation_name), load_operation(bob, SIZE.operation_name)
    shift = by_alice.operation.shifts[0]
    more = DemandLine(count=9)
    alice_op = replace(
        by_alice.operation,
        shifts=tuple(
            replace(s, demand=(*s.demand, more)) if s.key == shift.key else s
            for s in by_alice.operation.shifts
        ),
    )
    save_operation(alice, alice_op, new=False, based_on=by_alice.version)
    with pytest.raises(EditConflict) as refused:
        save_operation(
            bob, replace(by_bob.operation, description="Bob was here"), new=False, based_on=by_bob.version
        )
    assert refused.value.by == "alice"
    stored = load_operation(bob, SIZE.operation_name).operation
    assert stored.description == by_bob.operation.description
    assert stored.shift(shift.key).demand[-1].count == 9


def test_second_edit_of_a_draft_plan_is_a_conflict(planners: tuple[Database, Database]) -> None:
    alice, bob = planners
    with alice.unit_of_work() as uow:
        plan_id = uow.plans.add(Plan(SIZE.operation_name, 1))
    at_alice, at_bob = Workspace.open(alice, plan_id), Workspace.open(bob, plan_id)
    shift = at_alice.problem.operation.shifts[0]
    first, second = (p.service_number for p in at_alice.problem.staff[:2])
    alice_edit = at_alice.assign(first, shift.key)
    at_alice.apply(alice_edit)
    with pytest.raises(EditConflict) as refused:
        at_bob.apply(at_bob.assign(second, shift.key))
    assert refused.value.by == "alice"
    assert refused.value.what == alice_edit.text
    assert Workspace.open(bob, plan_id).assignments == at_alice.assignments
    # Alice's own next edit still goes through: her view is current.
    at_alice.apply(at_alice.remove(first, shift.day))
    assert Workspace.open(bob, plan_id).assignments == []


def test_racing_saves_of_one_person_let_exactly_one_through(planners: tuple[Database, Database]) -> None:
    """Both saves start from the same version at the same moment; the database orders them."""
    alice, bob = planners
    snapshot = load_register(alice)
    person = snapshot.staff[1]
    version = snapshot.versions[person.service_number]
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(db: Database, name: str) -> None:
        start.wait()
        try:
            save_person(db, replace(person, given_name=name), new=False, based_on=version)
            outcomes[name] = "saved"
        except EditConflict:
            outcomes[name] = "conflict"

    threads = [
        threading.Thread(target=save, args=(db, name)) for db, name in ((alice, "Alice"), (bob, "Bob"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    stored = next(p for p in load_register(bob).staff if p.service_number == person.service_number)
    assert stored.given_name == winner


def test_a_long_solve_does_not_lock_other_planners_out(planners: tuple[Database, Database]) -> None:
    """The solve is held in the middle of its search while Bob saves a person and a plan."""
    alice, bob = planners
    searching, bob_done = threading.Event(), threading.Event()
    solved: list[int | None] = []

    def hold(progress: object) -> None:
        searching.set()
        bob_done.wait(60)

    def solve() -> None:
        outcome = solve_operation(alice, SIZE.operation_name, SolveParameters(time_limit=10, workers=1), hold)
        solved.append(outcome.plan_id)

    def bob_works() -> None:
        snapshot = load_register(bob)
        person = snapshot.staff[2]
        version = snapshot.versions[person.service_number]
        save_person(bob, replace(person, given_name="Meanwhile"), new=False, based_on=version)
        with bob.unit_of_work() as uow:
            uow.plans.add(Plan(SIZE.operation_name, 99))
        bob_done.set()

    solver = threading.Thread(target=solve)
    solver.start()
    assert searching.wait(60), "the solve never reported progress"
    threading.Thread(target=bob_works, daemon=True).start()
    finished_while_solving = bob_done.wait(20)
    bob_done.set()
    solver.join()
    assert finished_while_solving, "Bob's saves waited for the solve"
    assert solved and solved[0] is not None
    with bob.unit_of_work() as uow:
        assert uow.plans.get(solved[0]).version == 100
