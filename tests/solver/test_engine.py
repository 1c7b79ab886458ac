"""Engine behaviour: progress, stop, explanations, re-rostering, and a demo-sized end to end."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

from deployer.domain.operations import DemandLine
from deployer.domain.problem import SolveStatus
from deployer.domain.roster import Assignment
from deployer.domain.scoring import score
from deployer.domain.staff import Absence, Qualification
from deployer.domain.validator import hard_breaches, validate
from deployer.interchange.curtois import read_instance
from deployer.services import demo
from deployer.solver.candidates import Candidates
from deployer.solver.engine import Progress, SolveParameters, solve
from deployer.solver.explain import explain_people
from tests.builders import DAY, EVENING, daily, person, problem, shift, skill_line
from tests.solver.conftest import solve_checked
from tests.solver.test_model_lns import ward_instance


def test_progress_reports_improving_rosters() -> None:
    seen: list[Progress] = []
    p = problem(daily("GEE-KP", 4, count=2), [person(str(i)) for i in range(4)])
    result = solve(p, SolveParameters(time_limit=5), on_progress=seen.append)
    assert seen, "at least the first roster is reported"
    assert seen[-1].objective >= result.objective
    assert all(later.elapsed >= earlier.elapsed for earlier, later in zip(seen, seen[1:], strict=False))


def test_a_solve_ends_within_its_time_limit_and_reports_the_whole_of_it(tmp_path: Path) -> None:
    """The caller's clock is the one that counts: the reported time is the whole solve's, the
    explanation and the freeing of its models included, and it ends within the limit."""
    p = ward_instance(tmp_path, staff=12, days=28).problem
    started = time.perf_counter()
    result = solve(p, SolveParameters(time_limit=4, workers=2))
    elapsed = time.perf_counter() - started
    assert result.assignments and elapsed < 4
    assert abs(result.wall_seconds - elapsed) < 0.05


def test_stop_returns_the_best_roster_so_far() -> None:
    p = demo.build(demo.DemoSize(staff=300, days=7, cities=2, sites=6, seed=5)).problem()
    stop = threading.Event()
    timer = threading.Timer(3.0, stop.set)
    timer.start()
    result = solve(p, SolveParameters(time_limit=120), stop=stop)
    timer.cancel()
    assert result.wall_seconds < 60
    assert result.assignments and result.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL)
    assert hard_breaches(validate(p, result.assignments)) == []


def test_shortfall_is_reported_and_explained_in_words() -> None:
    shifts = [shift("GEE-KP", 0, DAY, skill_line(3, "PO"))]
    medic = person("1", qualifications=(Qualification("PO"),))
    result = solve_checked(problem(shifts, [medic, person("2")]))
    assert result.unfilled == 2
    assert result.shortfalls[0].missing == 2
    assert "needs 3 and is 2 short; only 1 qualified staff can reach it" in result.explanation[0]


def test_no_shortfall_mode_explains_then_offers_the_partial_roster() -> None:
    shifts = [shift("GEE-KP", 0, DAY, skill_line(2, "PO")), shift("GEE-KP", 1, DAY, DemandLine(1))]
    p = problem(shifts, [person("1", qualifications=(Qualification("PO"),))])
    result = solve_checked(p, hard_coverage=True)
    assert result.explanation[0].startswith(
        "'2 x any rank with PO' at Kardinia Park, Geelong on Mon 08 Mar D shift"
    )
    assert "only 1 qualified staff" in result.explanation[0]
    assert "leaves that demand unfilled" in " ".join(result.explanation)
    assert result.unfilled == 1 and len(result.assignments) == 2


def test_reroster_changes_only_what_the_disruption_forces() -> None:
    shifts = daily("GEE-KP", 4, count=2)
    staff = [person(str(i)) for i in range(4)]
    first = solve_checked(problem(shifts, staff))
    withdrawn = first.assignments[0].service_number
    staff_after = [
        replace(s, absences=(Absence(shifts[0].day, shifts[-1].day),)) if s.service_number == withdrawn else s
        for s in staff
    ]
    p = replace(problem(shifts, staff_after), published=first.assignments)
    p = replace(p, weights=replace(p.weights, change=10))
    second = solve_checked(p)
    lost = sum(1 for a in first.assignments if a.service_number == withdrawn)
    assert second.unfilled == 0
    assert second.changes == lost
    kept = {(a.shift_key, a.service_number) for a in second.assignments}
    assert all(
        (a.shift_key, a.service_number) in kept for a in first.assignments if a.service_number != withdrawn
    )


def test_pinned_assignment_stays_and_an_impossible_pin_is_explained() -> None:
    shifts = daily("GEE-KP", 2)
    p = problem(shifts, [person("1"), person("2")])
    pinned = replace(p, published=(Assignment(shifts[1].key, "2", pinned=True),))
    result = solve_checked(pinned)
    assert Assignment(shifts[1].key, "2", pinned=True) in result.assignments
    bad = replace(p, published=(Assignment(shifts[1].key, "9", pinned=True),))
    result = solve(bad, SolveParameters(time_limit=5))
    assert result.status is SolveStatus.INFEASIBLE
    assert "pinned" in result.explanation[0]


def test_large_problems_search_by_neighbourhoods_and_stay_valid() -> None:
    p = demo.build(demo.DemoSize(staff=200, days=5, cities=2, sites=4, seed=6)).problem()
    seen: list[Progress] = []
    result = solve(p, SolveParameters(time_limit=12, full_model_limit=0), on_progress=seen.append)
    assert hard_breaches(validate(p, result.assignments)) == []
    assert result.objective == score(p, result.assignments).total
    assert seen[0].solutions == 0  # the constructive roster comes first
    assert result.objective <= seen[0].objective
    assert result.unfilled == sum(s.missing for s in result.shortfalls)


def test_reroster_after_a_site_closes_and_demand_is_added_elsewhere() -> None:
    shifts = daily("GEE-KP", 3, count=1) + daily("GEE-WF", 3, count=1)
    staff = [person(str(i)) for i in range(3)]
    first = solve_checked(problem(shifts, staff))
    closed = [replace(s, demand=(DemandLine(0),)) if s.site == "GEE-WF" else s for s in shifts]
    grown = [
        replace(s, demand=(DemandLine(2),)) if s.site == "GEE-KP" and s.day == shifts[0].day else s
        for s in closed
    ]
    p = replace(problem(grown, staff), published=first.assignments)
    second = solve_checked(p)
    at_closed_site = {
        (a.shift_key, a.service_number) for a in first.assignments if a.shift_key.startswith("GEE-WF")
    }
    assert second.unfilled == 0
    assert second.changes == len(at_closed_site) == 3
    kept = {(a.shift_key, a.service_number) for a in second.assignments}
    assert {(a.shift_key, a.service_number) for a in first.assignments} - at_closed_site <= kept


def test_history_before_the_horizon_is_respected() -> None:
    before = [shift("GEE-KP", d, EVENING) for d in range(-7, 0)]  # a week of evenings up to yesterday
    shifts = daily("GEE-KP", 2)
    worked = tuple(Assignment(s.key, "1") for s in before)
    p = replace(problem(shifts, [person("1"), person("2")]), history=worked, history_shifts=tuple(before))
    result = solve_checked(p)
    # Person 1 needs 10 h after last night's 23:00 finish and would be on day 8 of a run.
    assert [a.service_number for a in result.assignments if a.shift_key == shifts[0].key] == ["2"]
    assert result.unfilled == 0
    alone = replace(p, staff=(person("1"),))
    assert solve_checked(alone).unfilled == 1


def test_someone_whose_own_limits_contradict_each_other_is_named(tmp_path: Path) -> None:
    """A person on leave most of the fortnight cannot reach their minimum hours whatever anyone
    else works: no roster exists, and the result says who and why instead of "no roster found
    in time". Their colleague, whose limits fit, is not named."""
    text = "\n".join(
        [
            "SECTION_HORIZON",
            "14",
            "",
            "SECTION_SHIFTS",
            "E,480,",
            "",
            "SECTION_STAFF",
            "A,E=14,4800,3840,5,2,2,2",
            "B,E=14,4800,3840,5,2,2,2",
            "",
            "SECTION_DAYS_OFF",
            "A,0,1,2,3,4,5,6,7,8,9",
            "",
            "SECTION_COVER",
            *(f"{d},E,1,100,1" for d in range(14)),
        ]
    )
    path = tmp_path / "leave.txt"
    path.write_text(text + "\n")
    p = read_instance(path).problem
    result = solve_checked(p, time_limit=10)
    assert result.status == SolveStatus.INFEASIBLE
    assert len(result.explanation) == 1
    assert "A (A) must work at least 64 h" in result.explanation[0]
    cands = Candidates(p)
    assert explain_people(p, cands, ["B"], time.perf_counter() + 10) == []
