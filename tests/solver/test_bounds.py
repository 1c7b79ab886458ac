"""The slot lower bound is valid (never above a roster's cost) and counts what cannot be filled."""

from __future__ import annotations

from dataclasses import replace

from deployer.domain.problem import ObjectiveWeights
from deployer.domain.staff import Qualification
from deployer.solver.bounds import slot_lower_bound
from deployer.solver.candidates import Candidates
from tests.builders import DAY, daily, person, problem, shift, skill_line
from tests.solver.conftest import solve_checked


def test_lines_without_enough_holders_cost_their_shortfall() -> None:
    shifts = [shift("GEE-KP", 0, DAY, skill_line(3, "PO"))]
    p = problem(shifts, [person("1", qualifications=(Qualification("PO"),)), person("2")])
    assert slot_lower_bound(p, Candidates(p)) == 200.0
    assert solve_checked(p).objective == 200.0


def test_bound_never_exceeds_the_solved_cost_with_every_term_on() -> None:
    p = problem(daily("GEE-KP", 5, count=2) + daily("MIL-SG", 5), [person(str(i)) for i in range(3)])
    p = replace(p, weights=ObjectiveWeights())
    result = solve_checked(p)
    bound = slot_lower_bound(p, Candidates(p))
    assert 0 < bound <= result.objective
    assert result.bound is not None and result.bound >= bound
