"""Best responses: each kept response is exact, valid, respects pins and closed lines, and the
search ends once no one's response saves anything."""

from __future__ import annotations

import math
import time
from dataclasses import replace
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from deployer.domain.problem import ObjectiveWeights, RosterProblem
from deployer.domain.roster import Assignment
from deployer.domain.scoring import score
from deployer.domain.validator import hard_breaches, validate
from deployer.solver import person_search
from deployer.solver.candidates import Candidates
from deployer.solver.engine import Progress, SolveParameters, first_roster, solve
from deployer.solver.person_search import PersonSearch, set_domain, set_objective, usable
from tests.builders import daily, on, person, problem
from tests.solver.test_model_lns import ward_instance


def test_responses_save_exactly_what_the_scorer_says_and_end_at_a_local_optimum(tmp_path: Path) -> None:
    p = ward_instance(tmp_path, staff=10, days=28).problem
    cands = Candidates(p)
    start, unmended = first_roster(p, cands, [], time.perf_counter() + 10)
    assert unmended == []
    search = PersonSearch(p, cands, start, seed=2)
    seen: list[float] = []
    search.run(time.perf_counter() + 60, None, lambda: seen.append(search.gain))
    roster = search.roster()
    assert hard_breaches(validate(p, roster)) == []
    assert search.gain > 0 and seen == sorted(seen)
    assert score(p, start).total - score(p, roster).total == pytest.approx(search.gain)
    # It ended because a whole sweep saved nothing: one more response each saves nothing either.
    assert search.settled == {n.service_number for n in p.staff}
    assert not any(search.respond(n.service_number) for n in p.staff)


def pinned_week() -> tuple[RosterProblem, list[Assignment], Assignment]:
    """Six days of one shift for four people, one day pinned to person 3; a roster in which
    person 0 works two days (a line without a surplus price: no day may take two)."""
    shifts = daily("GEE-KP", 6, count=1)
    staff = [person(str(n)) for n in range(4)]
    pinned = Assignment(shifts[2].key, "3", pinned=True)
    p = replace(
        problem(shifts, staff), published=(pinned,), weights=ObjectiveWeights.only(unfilled=100, change=5)
    )
    return p, [*on(shifts, "0", 0, 1), pinned], pinned


def test_a_line_without_a_surplus_price_is_never_overfilled_and_pins_stay() -> None:
    p, roster, pinned = pinned_week()
    shifts = p.operation.shifts
    # Two workers respond at once and every response wants the same unfilled days.
    search = PersonSearch(p, Candidates(p), roster, seed=1, workers=2)
    search.run(time.perf_counter() + 30, None, lambda: None)
    result = search.roster()
    assert hard_breaches(validate(p, result)) == []
    assert pinned in result
    assert len(result) == len(shifts)  # every day filled once, none twice
    assert score(p, roster).total - score(p, result).total == pytest.approx(search.gain)


def test_only_problems_priced_person_by_person_use_it() -> None:
    p = problem(daily("GEE-KP", 2), [person("1")])
    assert usable(p, hard_coverage=False)
    assert not usable(p, hard_coverage=True)
    fair = replace(p, weights=ObjectiveWeights.only(unfilled=100, fairness_per_hour=1))
    assert not usable(fair, hard_coverage=False)


def test_large_problems_respond_before_their_neighbourhoods_and_the_roster_checks_out(tmp_path: Path) -> None:
    p = ward_instance(tmp_path, staff=10, days=28).problem
    seen: list[Progress] = []
    result = solve(p, SolveParameters(time_limit=6, full_model_limit=0), on_progress=seen.append)
    assert hard_breaches(validate(p, result.assignments)) == []
    assert result.objective == pytest.approx(score(p, result.assignments).total)
    objectives = [s.objective for s in seen]
    assert objectives == sorted(objectives, reverse=True) and result.objective < objectives[0]


def test_responses_give_way_once_they_stop_saving(tmp_path: Path) -> None:
    p = ward_instance(tmp_path, staff=10, days=28).problem
    cands = Candidates(p)
    start, _ = first_roster(p, cands, [], time.perf_counter() + 10)
    search = PersonSearch(p, cands, start)
    search.run(time.perf_counter() + 60, None, lambda: None, patience=0.0)
    assert search.steps == 0 and search.roster() == PersonSearch(p, cands, start).roster()


@pytest.mark.parametrize("worth", [0.0, math.inf])
def test_responses_that_save_too_little_give_way_too(tmp_path: Path, worth: float) -> None:
    """Each saving takes 0.3 s here: within a patience of 0.5 s, savings keep the responses going
    only when they are worth more than ``worth`` points."""
    p = ward_instance(tmp_path, staff=10, days=28).problem
    cands = Candidates(p)
    start, _ = first_roster(p, cands, [], time.perf_counter() + 10)
    search = PersonSearch(p, cands, start, workers=1)
    search.run(time.perf_counter() + 60, None, lambda: time.sleep(0.3), patience=0.5, worth=worth)
    assert search.improvements > 0
    assert (search.improvements <= 2) == (worth == math.inf)


@pytest.mark.parametrize(("share", "most"), [(0.0, 1), (1.0, None)])
def test_models_answering_for_a_shortest_path_keep_to_their_share_of_the_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, share: float, most: int | None
) -> None:
    """Every walk is made to settle nothing, so each person's model answers on their second miss:
    with no share of the time for models, only the first of them runs (nothing had been spent
    yet); with all of it, every miss in a row brings another."""
    p = ward_instance(tmp_path, staff=8, days=14).problem
    cands = Candidates(p)
    start, _ = first_roster(p, cands, [], time.perf_counter() + 10)
    search = PersonSearch(p, cands, start, workers=1)
    monkeypatch.setattr(person_search, "MODEL_SHARE", share)
    monkeypatch.setattr(search, "_walk", lambda *args: None)
    solves: list[float] = []
    solve = person_search.PersonModel.solve

    def counted(model: person_search.PersonModel, *args: object, **kwargs: object) -> object:
        solves.append(time.perf_counter())
        return solve(model, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(person_search.PersonModel, "solve", counted)
    search.run(time.perf_counter() + 2, None, lambda: None, patience=2)
    assert len(solves) == most if most is not None else len(solves) > 1


def test_a_proven_shortest_path_response_costs_what_the_model_proves_best(tmp_path: Path) -> None:
    """The shortest path prices each person's shifts as their CP-SAT model does: where it proves
    its answer the best, the model solved to optimality at the same prices finds the same cost,
    and its bound never exceeds that optimum; so does the counting walk, which proves some."""
    p = ward_instance(tmp_path, staff=8, days=14).problem
    cands = Candidates(p)
    start, _ = first_roster(p, cands, [], time.perf_counter() + 10)
    search = PersonSearch(p, cands, start, seed=1)
    proven = 0
    for member in p.staff:
        number = member.service_number
        priced = search.priced_of(number)
        path = search.path_of(number, priced)
        assert path is not None and path.counting is not None  # no term of a whole roster; few states
        mine = search.mine[number]
        others = {line: search.filled[line] - (line in mine) for _, line in priced.x}
        coeffs, closed = search._prices(priced, others)
        costs = {var: coeffs.get(var, 0) for var, _ in priced.x if var not in closed}
        walks, counting = path.best(costs), path.best(costs, counting=True)
        full = search.model_of(number)
        assert full.x == priced.x
        set_objective(full.model.proto, coeffs)
        for var, _ in full.x:
            set_domain(full.model.proto.variables[var].domain, 0, 0 if var in closed else 1)
        status, solver = full.solve(30)
        assert status == cp_model.OPTIMAL
        for found in (walks, counting):  # the counting walk keeps minutes and weekends in its state
            assert found.bound <= solver.objective_value + 1e-6  # the walk's bound is the model's too
            if found.best is not None and found.best.proven:
                proven += found is counting
                assert found.best.cost == pytest.approx(solver.objective_value)
    assert proven >= 1


@pytest.mark.parametrize("entry", ["run", "mend"])
def test_an_error_in_one_worker_stops_the_others_and_reaches_the_caller(tmp_path: Path, entry: str) -> None:
    p = ward_instance(tmp_path, staff=6, days=7).problem
    start, _ = first_roster(p, Candidates(p), [], time.perf_counter() + 10)
    search = PersonSearch(p, Candidates(p), start, workers=2)
    calls: list[str] = []

    def broken(number: str, deadline: float = float("inf"), mend: bool = False) -> bool:
        calls.append(number)
        raise RuntimeError("response failed")

    search.respond = broken  # type: ignore[method-assign]
    started = time.perf_counter()
    with pytest.raises(RuntimeError, match="response failed"):
        if entry == "run":
            search.run(started + 20, None, lambda: None)
        else:
            search.mend(list(search.people), started + 20)
    assert time.perf_counter() - started < 5 and len(calls) <= 2
