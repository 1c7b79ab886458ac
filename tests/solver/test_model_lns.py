"""Neighbourhood search over a built model: every kept roster valid, cheaper, and stoppable."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from deployer.domain.scoring import score
from deployer.domain.validator import hard_breaches, validate
from deployer.interchange.curtois import Instance, read_instance
from deployer.solver.candidates import Candidates
from deployer.solver.engine import _chosen
from deployer.solver.kind_choice import KindChooser
from deployer.solver.model import RosterModel
from deployer.solver.model_lns import ModelSearch, Solution, weekend_windows


def ward_instance(folder: Path, staff: int = 12, days: int = 21, seed: int = 3) -> Instance:
    """A small ward in the Curtois & Qu format: tight hours, runs, days off, requests and cover."""
    rng = random.Random(seed)
    lines = [f"SECTION_HORIZON\n{days}\n", "SECTION_SHIFTS\nE,480,\nL,480,E\nN,600,E|L\n", "SECTION_STAFF"]
    for n in range(staff):
        lines.append(f"P{n},E={days}|L={days}|N={days // 3},{480 * days // 2},{480 * days // 3},5,2,2,2")
    lines.append("\nSECTION_DAYS_OFF")
    lines += [f"P{n},{rng.randrange(days)}" for n in range(0, staff, 3)]
    for section in ("SECTION_SHIFT_ON_REQUESTS", "SECTION_SHIFT_OFF_REQUESTS"):
        lines.append(f"\n{section}")
        lines += [
            f"P{rng.randrange(staff)},{rng.randrange(days)},{rng.choice('ELN')},{rng.randint(1, 3)}"
            for _ in range(20)
        ]
    lines.append("\nSECTION_COVER")
    lines += [f"{d},{s},{rng.randint(1, 3)},100,1" for d in range(days) for s in "ELN"]
    path = folder / "Ward.txt"
    path.write_text("\n".join(lines) + "\n")
    return read_instance(path)


def first_solution(model: RosterModel) -> Solution:
    solver = cp_model.CpSolver()
    solver.parameters.stop_after_first_solution = True
    solver.parameters.num_workers = 1
    assert solver.solve(model.model) in (cp_model.FEASIBLE, cp_model.OPTIMAL)
    return Solution(list(solver.response_proto.solution), solver.objective_value)


@pytest.fixture
def ward(tmp_path: Path) -> tuple[Instance, RosterModel]:
    instance = ward_instance(tmp_path)
    return instance, RosterModel(instance.problem, Candidates(instance.problem))


def test_search_improves_the_first_solution_and_every_improvement_is_a_valid_roster(ward) -> None:  # type: ignore[no-untyped-def]
    instance, model = ward
    start = first_solution(model)
    seen: list[float] = []
    search = ModelSearch(model, start, seed=1, workers=2)
    best = search.run(time.perf_counter() + 4, None, lambda s: seen.append(s.objective))
    assert best.objective < start.objective
    assert seen == sorted(seen, reverse=True) and seen[-1] == best.objective
    roster = _chosen(instance.problem, model, best.values)
    assert hard_breaches(validate(instance.problem, roster)) == []
    assert score(instance.problem, roster).total == pytest.approx(best.objective / 60)
    assert search.steps > search.improvements > 0


def test_stop_ends_the_search_within_a_moment(ward) -> None:  # type: ignore[no-untyped-def]
    _, model = ward
    stop = threading.Event()
    search = ModelSearch(model, first_solution(model), step_seconds=30)
    threading.Timer(0.5, stop.set).start()
    began = time.perf_counter()
    search.run(time.perf_counter() + 60, stop, lambda s: None)
    assert time.perf_counter() - began < 5


def test_the_template_holds_the_best_roster_after_two_workers_raced(ward) -> None:  # type: ignore[no-untyped-def]
    # Steps copy the template, so it must equal the best roster even when the two workers keep
    # steps begun from different rosters (a stale template made later steps infeasible).
    _, model = ward
    search = ModelSearch(model, first_solution(model), seed=2, workers=2)
    best = search.run(time.perf_counter() + 3, None, lambda s: None)
    assert search.improvements > 1
    variables = search.template.proto.variables
    assert all(list(variables[i].domain) == [value, value] for i, value in enumerate(best.values))


def test_a_step_model_holds_each_constraint_of_what_it_frees_once_however_often_it_is_rebuilt(ward) -> None:  # type: ignore[no-untyped-def]
    # Each worker rebuilds one model step after step from the template and the owners' bundles.
    _, model = ward
    search = ModelSearch(model, first_solution(model), seed=2, workers=1)
    original = model.model.proto.constraints
    people, first, last = {search.people[0], search.people[3]}, 5, 9
    owners = [*people, *(i for day in range(first, last) for i in search.shifts_by_day[day])]
    expected = sorted(
        str(original[index])
        for index in [*search.shared_constraints, *(c for owner in owners for c in search.owned[owner][1])]
    )
    variables = model.model.proto.variables
    sub = cp_model.CpModel()
    for _ in range(2):
        search._sub_model(sub, search.best, people, range(first, last))
        assert sorted(str(constraint) for constraint in sub.proto.constraints) == expected
        free = list(sub.proto.solution_hint.vars)
        assert free and all(list(sub.proto.variables[i].domain) == list(variables[i].domain) for i in free)


def test_weekend_neighbourhoods_free_friday_to_monday_of_several_weekends(ward) -> None:  # type: ignore[no-untyped-def]
    # The ward may work two of its three weekends: moving one needs two weekends free at once.
    _, model = ward
    search = ModelSearch(model, first_solution(model), seed=4)
    assert "weekends" in search.chooser.kinds
    rng = random.Random(1)
    for size in (1.0, 2.0, 5.0, 8.0, 12.0):
        people, days = search._weekend_neighbourhood(size, rng)
        saturdays = [d for d in days if model.days[d].weekday() == 5]
        assert len(saturdays) == min(3, max(2, round(size) // 2))
        assert sorted(days) == sorted(d + k for d in saturdays for k in (-1, 0, 1, 2) if 0 <= d + k < 21)
        assert len(people) == max(2, round(12 * min(1.0, size / 8)))


def test_weekend_steps_alone_improve_a_roster_and_keep_it_valid(ward) -> None:  # type: ignore[no-untyped-def]
    instance, model = ward
    start = first_solution(model)
    search = ModelSearch(model, start, seed=5, workers=2)
    search.chooser = KindChooser(["weekends"])
    best = search.run(time.perf_counter() + 3, None, lambda s: None)
    assert best.objective < start.objective
    roster = _chosen(instance.problem, model, best.values)
    assert hard_breaches(validate(instance.problem, roster)) == []
    assert score(instance.problem, roster).total == pytest.approx(best.objective / 60)


def test_without_a_limit_on_weekends_no_step_is_spent_on_them(tmp_path: Path) -> None:
    instance = ward_instance(tmp_path)
    staff = tuple(replace(p, limits=replace(p.limits, max_weekends=None)) for p in instance.problem.staff)
    problem = replace(instance.problem, staff=staff)
    model = RosterModel(problem, Candidates(problem))
    assert "weekends" not in ModelSearch(model, first_solution(model)).chooser.kinds


def test_weekend_windows_hold_a_weekend_begun_before_the_horizon() -> None:
    # An operation from Sunday 7 January 2024 to Saturday 20 January: its first Sunday belongs to
    # the weekend of the 6th, its last Saturday to the weekend of the 20th.
    days = [date(2024, 1, 7) + timedelta(days=k) for k in range(14)]
    assert weekend_windows(days) == [(-2, 2), (5, 9), (12, 16)]
