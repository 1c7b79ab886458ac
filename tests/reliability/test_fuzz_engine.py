"""Random small roster problems with random rules: every roster the engine returns keeps every hard
rule (by the independent validator) at the cost the scorer computes, and every problem without a
roster is explained."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deployer.domain.operations import DemandLine, SkillNeed
from deployer.domain.problem import SolveStatus
from deployer.domain.scoring import score
from deployer.domain.staff import Absence, AbsenceKind, Qualification
from deployer.domain.validator import hard_breaches, validate
from deployer.solver.engine import SolveParameters, solve
from tests.builders import DAY, EVENING, FIRST_DAY, NIGHT, person, problem, shift

# Each case is a real solve: fewer of them than the cheap property tests run.
CASES = max(12, settings.default.max_examples // 4)
SITES = ("GEE-KP", "GEE-WF", "MIL-SG")


@st.composite
def demand_line(draw: st.DrawFn) -> DemandLine:
    skills = draw(st.sets(st.sampled_from(["GD", "PO", "FA"]), max_size=1))
    return DemandLine(
        draw(st.integers(1, 3)),
        draw(st.sampled_from([None, None, "SGT"])),
        frozenset(SkillNeed(s) for s in skills),
        over_cost=draw(st.sampled_from([None, 5])),
    )


@st.composite
def roster_problem(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    days = draw(st.integers(1, 5))
    shifts = {}
    for _ in range(draw(st.integers(1, 8))):
        template = draw(st.sampled_from([DAY, EVENING, NIGHT]))
        made = shift(draw(st.sampled_from(SITES)), draw(st.integers(0, days - 1)), template,
                     *draw(st.lists(demand_line(), min_size=1, max_size=2)))  # fmt: skip
        shifts[made.key] = made
    staff = []
    for n in range(draw(st.integers(1, 8))):
        skills = draw(st.sets(st.sampled_from(["GD", "PO", "FA"])))
        away = draw(st.integers(0, days)) if draw(st.booleans()) else None
        staff.append(
            person(
                f"P{n}",
                rank=draw(st.sampled_from(["CONST", "SGT"])),
                home_station=draw(st.sampled_from(["STN-GEE", "STN-MIL"])),
                qualifications=tuple(Qualification(s, 1) for s in sorted(skills)),
                absences=()
                if away is None
                else (
                    Absence(
                        FIRST_DAY + timedelta(days=away), FIRST_DAY + timedelta(days=away), AbsenceKind.LEAVE
                    ),
                ),
            )
        )
    most_days = draw(st.integers(1, 7))
    rules = {
        "max_consecutive_days": most_days,
        "max_consecutive_nights": draw(st.integers(1, 4)),
        "min_rest_minutes": draw(st.sampled_from([8 * 60, 10 * 60, 12 * 60])),
        "min_consecutive_days": draw(st.integers(1, min(2, most_days))),
        "min_consecutive_days_off": draw(st.integers(1, 2)),
        "max_weekends": draw(st.sampled_from([None, 0, 1])),
        "forbidden_successions": draw(st.sampled_from([(), (("N", "D"),), (("A", "D"), ("N", "A"))])),
    }
    return problem(list(shifts.values()), staff, days, **rules), draw(st.booleans())


@settings(max_examples=CASES, suppress_health_check=[HealthCheck.too_slow])
@given(roster_problem())
def test_every_roster_is_valid_and_every_refusal_is_explained(case) -> None:  # type: ignore[no-untyped-def]
    built, refuse_shortfalls = case
    result = solve(built, SolveParameters(time_limit=3, workers=1, hard_coverage=refuse_shortfalls))
    if result.status in (SolveStatus.INFEASIBLE, SolveStatus.NO_SOLUTION):
        assert result.explanation and all(line.strip() for line in result.explanation)
        assert refuse_shortfalls or result.status is SolveStatus.NO_SOLUTION
        return
    assert hard_breaches(validate(built, result.assignments)) == []
    assert result.objective == pytest.approx(score(built, result.assignments).total)
    if result.unfilled:
        assert result.explanation, "unfilled demand is explained"
