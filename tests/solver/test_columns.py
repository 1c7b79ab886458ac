"""Column generation: its bound never exceeds the optimum, its dives (by people and by days) give
valid rosters that keep pins, and the engine reports its bound."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deployer.domain.problem import RosterProblem, SolveStatus
from deployer.domain.roster import Assignment
from deployer.domain.scoring import score
from deployer.domain.validator import hard_breaches, validate
from deployer.solver import columns, engine
from deployer.solver.candidates import Candidates
from deployer.solver.columns import ColumnGeneration
from deployer.solver.engine import first_roster
from deployer.solver.person_search import PersonSearch
from tests.solver.conftest import solve_checked
from tests.solver.test_model_lns import ward_instance
from tests.solver.test_person_search import pinned_week


def _generation(p: RosterProblem, start: list[Assignment] | None = None) -> tuple[ColumnGeneration, float]:
    """Column generation from the first roster (or ``start``), and what that roster costs."""
    cands = Candidates(p)
    if start is None:
        start, unmended = first_roster(p, cands, [], time.perf_counter() + 10)
        assert unmended == []
    total = score(p, start).total
    return ColumnGeneration(PersonSearch(p, cands, start), start, total), total


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), staff=st.integers(3, 6), days=st.integers(5, 9))
def test_the_bound_never_exceeds_the_optimum_and_the_dive_keeps_every_rule(
    tmp_path_factory: pytest.TempPathFactory, seed: int, staff: int, days: int
) -> None:
    p = ward_instance(tmp_path_factory.mktemp("ward"), staff=staff, days=days, seed=seed).problem
    optimum = solve_checked(p, time_limit=30, neighbourhoods=False)
    assert optimum.status == SolveStatus.OPTIMAL and optimum.objective is not None
    generation, first = _generation(p)
    generation.run(time.perf_counter() + 30)
    assert generation.converged
    assert generation.bound <= optimum.objective + 1e-6
    dived = generation.dive(time.perf_counter() + 30)
    assert hard_breaches(validate(p, dived)) == []
    assert optimum.objective <= score(p, dived).total


def test_on_a_ward_the_bound_is_close_and_the_dive_beats_the_first_roster(tmp_path: Path) -> None:
    p = ward_instance(tmp_path, staff=12, days=21).problem
    generation, first = _generation(p)
    generation.run(time.perf_counter() + 60)
    assert generation.converged
    dived = generation.dive(time.perf_counter() + 60)
    assert hard_breaches(validate(p, dived)) == []
    total = score(p, dived).total
    assert generation.bound <= total < first
    # The programme's own value is the bound of the rosters it mixes: the dive stays near it.
    assert total <= 1.1 * generation.bound


def test_the_dive_keeps_pins_and_never_overfills_a_line_without_a_surplus_price() -> None:
    p, roster, pinned = pinned_week()
    generation, _ = _generation(p, roster)
    generation.run(time.perf_counter() + 30)
    dived = generation.dive(time.perf_counter() + 30)
    assert hard_breaches(validate(p, dived)) == []
    assert pinned in dived
    assert len(dived) == len(p.operation.shifts)  # every day filled once, none twice


def test_days_a_dive_pins_hold_in_every_column_priced_after(tmp_path: Path) -> None:
    """A dive's step pins the days on which a person's programme rosters agree (and the closest to
    agreeing); the shortest path and the person's model then price only rosters keeping them, and
    the programme mixes no column that breaks one."""
    p = ward_instance(tmp_path, staff=8, days=14).problem
    generation, _ = _generation(p)
    generation.run(time.perf_counter() + 30)
    generation._master()
    generation._pin_days(generation._free(), steps=2)  # at least half the open days
    pinned = {number for number in generation.pins if number not in generation.fixed}
    assert pinned
    known = {number: len(generation.columns[number]) for number in pinned}
    generation.run(time.perf_counter() + 30, gap=columns.DIVE_GAP)
    generation._master()
    free_prices = dict.fromkeys(generation.lines, 0.0)
    for number in pinned:
        assert all(generation._fits(number, c) for c in generation.columns[number][known[number] :])
        weighed = zip(generation.columns[number], generation.weights[number], strict=True)
        assert all(generation._fits(number, c) for c, weight in weighed if weight > 1e-9)
        found, _ = generation._solved(number, free_prices, time.perf_counter() + 5, float("-inf"))
        assert found and all(generation._fits(number, c) for c in found)
    dived = generation.dive(time.perf_counter() + 30, by_days=True)
    assert len(generation.fixed) == len(p.staff)
    assert hard_breaches(validate(p, dived)) == []
    assert generation.bound <= score(p, dived).total + 1e-6


def test_a_generation_too_slow_to_converge_gives_up_early(tmp_path: Path) -> None:
    p = ward_instance(tmp_path, staff=12, days=21).problem
    generation, _ = _generation(p)
    started = time.perf_counter()
    # A thousand rounds cannot fit in two seconds: the first round's pace says so (it may take
    # three times a round's share, as it builds what the others reuse).
    generation.run(started + 2, expected_rounds=1000)
    assert not generation.converged
    assert time.perf_counter() - started < 0.5


def test_the_engine_reports_the_generation_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # One expected round: the generation never gives up before its share of the time, which on a
    # machine three times slower than usual it did one run in two (its pace judged too slow).
    monkeypatch.setattr(engine, "EXPECTED_ROUNDS", 1)
    p = ward_instance(tmp_path, staff=10, days=14).problem
    result = solve_checked(p, time_limit=30)
    generation, _ = _generation(p)
    generation.run(time.perf_counter() + 60)
    assert result.objective is not None and result.bound is not None
    assert generation.bound * (1 - 0.01) <= result.bound <= result.objective + 1e-6


def test_a_generation_settles_once_its_programme_hardly_falls(tmp_path: Path) -> None:
    """An unconverged generation dives only when its programme's value has nearly stopped falling."""
    generation, _ = _generation(ward_instance(tmp_path, staff=4, days=7).problem)
    generation.values = [100.0, 90.0, 80.0]
    assert not generation.settling()  # too few rounds to tell
    generation.values = [100.0, 90.0, 80.0, 70.0]
    assert not generation.settling()
    generation.values = [100.0, 90.0, 80.0, 79.5, 79.0, 78.5]
    assert generation.settling()


def _scripted(generation: ColumnGeneration, value: Callable[[int], float]) -> list[bool]:
    """Stand in for the programme (its value after ``k`` solves is ``value(k)``, all prices zero)
    and for the pricing (walks add a column every round, no bound); the returned list tells, round
    by round, whether a round priced everyone."""
    full: list[bool] = []

    def master() -> tuple[dict, dict]:
        generation.value = value(len(generation.values))
        generation.values.append(generation.value)
        return {line: 0.0 for line in generation.lines}, dict.fromkeys(generation.people, 0.0)

    def walks_add_one(prices, convexity, duals, deadline, stop, everyone):  # noqa: ANN001, ANN202
        full.append(everyone)
        return 1, -1e9, True

    generation._master = master  # type: ignore[method-assign]
    generation._price_all = walks_add_one  # type: ignore[method-assign]
    return full


def test_a_programme_that_stops_falling_is_priced_in_full(tmp_path: Path) -> None:
    """Walks can go on adding columns at a degenerate optimum of the programme: once its value
    has stayed for ``STALL_ROUNDS`` rounds, a round prices everyone the path left unsettled (the
    bound can only close in such a round), and not every round after it."""
    generation, _ = _generation(ward_instance(tmp_path, staff=4, days=7).problem)
    full = _scripted(generation, lambda k: 100.0)
    generation.run(time.perf_counter() + 0.5)
    stalled = columns.STALL_ROUNDS
    assert len(full) > 2 * stalled, full
    assert not any(full[: stalled + 1])  # at first the walks alone
    assert any(full) and not all(full[stalled + 1 :])


def test_a_programme_that_stays_put_ends_the_generation_for_its_dive(tmp_path: Path) -> None:
    """A value that stays ``STALLED_OUT`` rounds ends the generation (unconverged, settling, long
    before its deadline); one still falling goes on to the deadline."""
    generation, _ = _generation(ward_instance(tmp_path, staff=4, days=7).problem)
    full = _scripted(generation, lambda k: 100.0)
    started = time.perf_counter()
    generation.run(started + 30)
    assert len(full) == columns.STALLED_OUT
    assert time.perf_counter() - started < 10
    assert not generation.converged and generation.settling()

    falling, _ = _generation(ward_instance(tmp_path, staff=4, days=7).problem)
    rounds = _scripted(falling, lambda k: 1000.0 - k)
    falling.run(time.perf_counter() + 0.5)
    assert len(rounds) > columns.STALLED_OUT


def test_a_second_dive_starts_afresh_and_keeps_every_rule(tmp_path: Path) -> None:
    """Diving again (the engine does when a dive lands far above the bound) frees everyone and
    generates on, and its roster keeps every rule too."""
    p = ward_instance(tmp_path, staff=8, days=14).problem
    generation, _ = _generation(p)
    generation.run(time.perf_counter() + 30)
    first = generation.dive(time.perf_counter() + 30)
    rounds = generation.rounds
    second = generation.dive(time.perf_counter() + 30)
    assert generation.rounds > rounds  # it dived anew, not from everyone already fixed
    assert len(generation.fixed) == len(p.staff)
    for dived in (first, second):
        assert hard_breaches(validate(p, dived)) == []
        assert generation.bound <= score(p, dived).total + 1e-6


class _Abnormal:
    """GLOP as the programme holds it, but its first ``failures`` solves end abnormally."""

    def __init__(self, lp: object, failures: int) -> None:
        self.lp, self.failures, self.solves = lp, failures, 0

    def __getattr__(self, name: str) -> object:
        return getattr(self.lp, name)

    def Solve(self, *params: object) -> int:  # noqa: N802 - pywraplp's name
        self.solves += 1
        status = self.lp.Solve(*params)  # type: ignore[attr-defined]
        if self.solves <= self.failures:
            return columns.pywraplp.Solver.ABNORMAL
        return status


def test_a_programme_glop_ends_abnormally_is_solved_afresh(tmp_path: Path) -> None:
    p = ward_instance(tmp_path, staff=6, days=14).problem
    generation, _ = _generation(p)
    plain, _ = _generation(p)
    plain.run(time.perf_counter() + 30)
    lp = generation._programme.lp = _Abnormal(generation._programme.lp, failures=1)  # type: ignore[assignment]
    generation.run(time.perf_counter() + 30)
    assert lp.solves > generation.rounds  # the failed solve was done again
    assert generation.converged and generation.bound == pytest.approx(plain.bound, rel=0.01)


def test_a_programme_that_cannot_be_solved_leaves_the_roster_to_the_other_searches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = ward_instance(tmp_path, staff=6, days=14).problem
    generation, _ = _generation(p)
    generation._programme.lp = _Abnormal(generation._programme.lp, failures=2)  # type: ignore[assignment]
    with pytest.raises(columns.ProgrammeError):
        generation.run(time.perf_counter() + 30)

    def abnormal(self: columns._Programme) -> None:
        raise columns.ProgrammeError("abnormal")

    monkeypatch.setattr(columns._Programme, "solve", abnormal)
    result = solve_checked(p, time_limit=5)
    assert result.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL) and result.assignments
