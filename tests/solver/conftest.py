"""Every solver test checks its roster with the independent validator and scorer."""

from __future__ import annotations

import pytest

from deployer.domain.problem import RosterProblem, RosterResult, SolveStatus
from deployer.domain.scoring import score
from deployer.domain.validator import hard_breaches, validate
from deployer.solver.engine import SolveParameters, solve


def solve_checked(problem: RosterProblem, **params) -> RosterResult:  # type: ignore[no-untyped-def]
    """Solve, then insist the roster breaks no hard rule and its objective is what the scorer says."""
    result = solve(problem, SolveParameters(**{"time_limit": 10.0, "workers": 2, **params}))
    if result.status in (SolveStatus.INFEASIBLE, SolveStatus.NO_SOLUTION):
        assert result.assignments == () and result.explanation
        return result
    assert hard_breaches(validate(problem, result.assignments)) == []
    if result.objective is not None:
        assert result.objective == pytest.approx(score(problem, result.assignments).total)
    return result
