"""The transport programme: a valid lower bound stronger than the slot bound, and a plan that the
constructive roster follows to a cheaper roster."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deployer.domain.operations import DemandLine
from deployer.domain.problem import ObjectiveWeights, RosterProblem
from deployer.domain.requests import RequestKind, StaffRequest
from deployer.domain.scoring import score
from deployer.domain.staff import Absence, EmploymentLimits, Qualification
from deployer.domain.validator import hard_breaches, validate
from deployer.services import demo
from deployer.solver import transport
from deployer.solver.bounds import slot_lower_bound
from deployer.solver.candidates import Candidates
from deployer.solver.engine import Progress, SolveParameters, clean_roster, solve
from deployer.solver.greedy import greedy_roster
from deployer.solver.transport import TransportPlan, transport_plan
from tests.builders import DAY, EVENING, FIRST_DAY, NIGHT, daily, person, problem, shift, skill_line
from tests.solver.conftest import solve_checked


def _solved(p: RosterProblem, cands: Candidates | None = None) -> TransportPlan:
    """The programme's plan and bound, solved to the end (the tests' problems are small)."""
    plan = transport_plan(p, cands or Candidates(p, people=[]), 60)
    assert plan is not None and plan.bound is not None
    return plan


def _far_from_home() -> RosterProblem:
    """Mildura needs two a day for a week; one person lives there, three live six hours away."""
    staff = [person("M1", home_station="STN-MIL")] + [person(f"G{i}") for i in range(3)]
    return replace(problem(daily("MIL-SG", 7, count=2), staff), weights=ObjectiveWeights())


def test_bound_prices_the_lodging_the_slot_bound_leaves_out() -> None:
    p = _far_from_home()
    cands = Candidates(p)
    bound = _solved(p, cands).bound
    result = solve_checked(p)
    # The slot bound lets the one local person fill every slot; someone has to be lodged.
    assert bound is not None and result.objective is not None and result.bound is not None
    assert slot_lower_bound(p, cands) < bound <= result.objective + 1e-6
    assert result.bound >= bound - 1e-6


def _first_day_deployment() -> RosterProblem:
    """Mildura needs one a day for six days from the first; the one person lives in Geelong."""
    p = problem(daily("MIL-SG", 6), [person("G1")], max_consecutive_days=7, max_deployment_days=7)
    return replace(
        p, weights=ObjectiveWeights(fairness_per_hour=0, fairness_per_night=0, fairness_per_weekend_shift=0)
    )


def test_a_deployment_from_the_first_day_may_be_a_day_longer() -> None:
    # Its travel day falls before the roster: six days away, then the travel day home, is seven
    # days in a row; any later deployment has a travel day at each end and lasts five at most.
    p = _first_day_deployment()
    result = solve_checked(p)
    assert result.objective is not None and result.unfilled == 0
    assert _solved(p).bound == pytest.approx(result.objective)


def test_someone_who_can_fill_no_line_does_not_stand_in_for_a_colleague() -> None:
    # Both lines need public order; the Geelong colleague without it can fill neither, so the
    # programme sends the Mildura holder (counted in the Geelong group, they would stand in).
    po = (Qualification("PO", 1, FIRST_DAY + timedelta(days=365)),)
    staff = [
        person("G1", qualifications=po),
        person("G2"),
        person("M1", home_station="STN-MIL", qualifications=po),
    ]
    p = replace(problem([shift("GEE-KP", 0, DAY, skill_line(2, "PO"))], staff), weights=ObjectiveWeights())
    plan = _solved(p)
    assert "G2" not in plan.group_of
    assert plan.flow[0][plan.group_of["M1"]] == pytest.approx(1)
    result = solve_checked(p)
    assert result.unfilled == 0 and result.objective is not None
    assert plan.bound <= result.objective + 1e-6


def test_a_person_allowed_one_day_in_a_row_works_every_other_day() -> None:
    # The policy allows 7 days in a row: its windows are 8 days, in which this person works 4.
    p = problem(daily("GEE-KP", 8), [person("1", limits=EmploymentLimits(max_consecutive_days=1))])
    result = solve_checked(p)
    assert result.objective == 400  # four days unfilled, at 100 each (coverage only)
    assert _solved(p).bound == pytest.approx(400)


templates = st.sampled_from([DAY, EVENING, NIGHT])


@st.composite
def small_problems(draw: st.DrawFn) -> RosterProblem:
    days = draw(st.integers(2, 9))
    shifts = {}
    for _ in range(draw(st.integers(1, 10))):
        site = draw(st.sampled_from(["GEE-KP", "MIL-SG"]))
        day = draw(st.integers(0, days - 1))
        count = draw(st.integers(1, 2))
        line = skill_line(count, "PO") if draw(st.booleans()) else DemandLine(count)
        s = shift(site, day, draw(templates), line)
        shifts[s.key] = s
    staff = []
    for n in range(draw(st.integers(1, 4))):
        home = draw(st.sampled_from(["STN-GEE", "STN-MIL"]))
        absences: tuple[Absence, ...] = ()
        if draw(st.booleans()):
            first = FIRST_DAY + timedelta(days=draw(st.integers(0, days - 1)))
            absences = (Absence(first, first + timedelta(days=draw(st.integers(0, 2)))),)
        limits = EmploymentLimits(max_consecutive_days=draw(st.none() | st.integers(1, 8)))
        po: tuple[Qualification, ...] = ()
        if draw(st.booleans()):
            po = (Qualification("PO", expires=FIRST_DAY + timedelta(days=draw(st.integers(0, days)))),)
        staff.append(person(str(n), home_station=home, absences=absences, limits=limits, qualifications=po))
    requests = tuple(
        StaffRequest(p.service_number, RequestKind.CITY, city=draw(st.sampled_from(["GEE", "MIL"])), weight=2)
        for p in staff
        if draw(st.booleans())
    )
    policy = dict(
        max_consecutive_days=draw(st.integers(2, 7)),
        max_minutes_per_7_days=draw(st.sampled_from([16 * 60, 24 * 60, 60 * 60])),
        max_deployment_days=draw(st.integers(1, 7)),
        min_rest_minutes=draw(st.sampled_from([0, 10 * 60])),  # none: several shifts a day
    )
    p = problem(list(shifts.values()), staff, days=days, **policy)
    weights = ObjectiveWeights(overtime_per_hour=draw(st.integers(0, 20)))
    return replace(p, weights=weights, requests=requests)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_bound_never_exceeds_the_optimum(p: RosterProblem) -> None:
    bound = _solved(p).bound
    result = solve(p, SolveParameters(time_limit=10, workers=2))
    assert result.objective is not None and bound is not None
    assert hard_breaches(validate(p, result.assignments)) == []
    assert bound <= result.objective + 1e-6


def _games(staff: int = 300) -> RosterProblem:
    return demo.build(demo.DemoSize(staff=staff, days=7, cities=4, sites=12, seed=3)).problem()


def test_column_generation_reaches_the_programme_with_every_column(monkeypatch: pytest.MonkeyPatch) -> None:
    p = _games()
    cands = Candidates(p, people=[])
    monkeypatch.setattr(transport, "CLOSE_ENOUGH", 0.0)
    monkeypatch.setattr(transport, "FIRST_COLUMNS", 10**6)
    whole = _solved(p, cands)
    monkeypatch.setattr(transport, "FIRST_COLUMNS", 1)
    generated = _solved(p, cands)
    assert generated.bound == pytest.approx(whole.bound, rel=1e-6)
    # Every shift's plan adds up to no more people than the shift needs.
    for i, groups in generated.flow.items():
        assert sum(groups.values()) <= cands.shifts[i].required + 1e-6


def test_without_time_for_the_rebated_programme_the_plan_comes_with_a_weaker_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    solve = transport._Programme.solve
    calls: list[int] = []

    def first_only(self: transport._Programme, deadline: float) -> float | None:
        calls.append(1)
        return solve(self, deadline) if len(calls) % 2 == 1 else None

    exact = _first_day_deployment()
    full = _solved(_games()).bound
    optimum = solve_checked(exact).objective
    monkeypatch.setattr(transport._Programme, "solve", first_only)
    rushed = _solved(_games())
    assert rushed.flow and 0 < rushed.bound < full
    # Still a bound where the rebate counts (the deployment from the first day, a day longer).
    assert optimum is not None and _solved(exact).bound <= optimum + 1e-6


def test_an_unfinished_programme_still_proves_a_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    p = _games()
    cands = Candidates(p, people=[])
    monkeypatch.setattr(transport, "FIRST_COLUMNS", 1)
    monkeypatch.setattr(transport, "CLOSE_ENOUGH", 0.0)
    whole = _solved(p, cands).bound
    monkeypatch.setattr(transport, "CLOSE_ENOUGH", 0.5)
    early = _solved(p, cands).bound
    assert whole is not None and early is not None
    assert 0 < early <= whole + 1e-6


def test_the_planned_roster_keeps_the_rules_and_costs_less() -> None:
    p = _games()
    cands = Candidates(p, people=[])
    plan = _solved(p, cands)
    assert plan.groups > 1 and plan.bound is not None
    planned, unmended = clean_roster(p, greedy_roster(p, cands, plan))
    unplanned, _ = clean_roster(p, greedy_roster(p, cands))
    assert unmended == [] and hard_breaches(validate(p, planned)) == []
    assert plan.bound <= score(p, planned).total < score(p, unplanned).total


def test_a_large_solve_reports_the_transport_bound_as_it_goes() -> None:
    p = _games()
    history: list[Progress] = []
    result = solve(p, SolveParameters(time_limit=15, full_model_limit=1), on_progress=history.append)
    assert hard_breaches(validate(p, result.assignments)) == []
    bound = _solved(p).bound
    assert bound is not None and result.objective is not None and result.bound is not None
    assert bound * (1 - transport.CLOSE_ENOUGH) <= result.bound <= result.objective
    # The first roster comes with the slot bound, every later one with the transport bound.
    assert 0 < history[0].bound <= history[0].objective
    assert all(h.bound == result.bound and h.bound <= h.objective for h in history[1:])
