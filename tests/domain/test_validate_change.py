"""Checking only what an edit touched gives the same breaches as checking the whole roster."""

from __future__ import annotations

from collections import Counter
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from deployer.domain.problem import RosterProblem
from deployer.domain.roster import Assignment
from deployer.domain.validator import ProblemIndex, validate, validate_change
from deployer.services import demo


@cache
def _problem() -> RosterProblem:
    return demo.build(demo.DemoSize(staff=40, days=6, cities=2, sites=3, seed=4)).problem()


@cache
def _index() -> ProblemIndex:
    """One index for every example, as a solver keeps one: what it caches must not leak between rosters."""
    return ProblemIndex(_problem())


def _pick(draw: st.DrawFn, problem: RosterProblem) -> Assignment:
    shift = draw(st.sampled_from(problem.operation.shifts))
    person = draw(st.sampled_from(problem.staff))
    return Assignment(shift.key, person.service_number, draw(st.integers(0, len(shift.demand) - 1)))


@st.composite
def roster_and_edit(draw: st.DrawFn) -> tuple[list[Assignment], list[Assignment], list[Assignment]]:
    """A random roster, then assignments removed from it and added to it."""
    problem = _problem()
    roster: dict[tuple[str, str], Assignment] = {}
    for _ in range(draw(st.integers(0, 120))):
        a = _pick(draw, problem)
        roster[(a.shift_key, a.service_number)] = a
    before = list(roster.values())
    removed = draw(st.lists(st.sampled_from(before), max_size=3, unique=True)) if before else []
    added = [_pick(draw, problem) for _ in range(draw(st.integers(0, 3)))]
    after = {k: a for k, a in roster.items() if a not in removed}
    for a in added:
        after[(a.shift_key, a.service_number)] = a
    return before, removed, list(after.values())


@settings(max_examples=60, deadline=None)
@given(roster_and_edit())
def test_checking_the_edit_equals_checking_everything(case) -> None:  # type: ignore[no-untyped-def]
    before, removed, after = case
    problem = _problem()
    changed = [*removed, *[a for a in after if a not in before]]
    people = {a.service_number for a in changed}
    shifts = {a.shift_key for a in changed}
    quick = validate_change(problem, after, validate(problem, before), people, shifts)
    assert Counter(quick) == Counter(validate(problem, after))
    indexed = validate_change(problem, after, validate(problem, before), people, shifts, _index())
    assert Counter(indexed) == Counter(quick)


def test_an_edit_breaking_a_rule_shows_up_and_undoing_it_clears_it() -> None:
    problem = _problem()
    shifts = problem.operation.shifts
    first, later = shifts[0], next(s for s in shifts if s.day == shifts[0].day and s.key != shifts[0].key)
    number = problem.staff[0].service_number
    roster = [Assignment(first.key, number)]
    clean = validate(problem, roster)
    doubled = [*roster, Assignment(later.key, number)]
    breaches = validate_change(problem, doubled, clean, {number}, {later.key})
    assert any(b.rule == "one_shift_per_day" and b.service_number == number for b in breaches)
    undone = validate_change(problem, roster, breaches, {number}, {later.key})
    assert Counter(undone) == Counter(clean)
