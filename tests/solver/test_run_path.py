"""The shortest-path response against every roster of one person, checked by the validator."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deployer.domain.roster import Assignment
from deployer.domain.validator import hard_breaches, validate_change
from deployer.interchange.curtois import Instance, read_instance
from deployer.solver.candidates import Candidates
from deployer.solver.run_path import RunPath
from deployer.solver.walk_kernel import _adjust, compile_now, priced_walks

SHIFTS = (("E", 480), ("L", 600), ("N", 720))


def instance(
    tmp: Path,
    days: int,
    kinds: int,
    limits: dict[str, int],
    banned: bool,
    off: list[int],
    caps: list[int] | None = None,
) -> Instance:
    """One person over ``days`` days (starting on a Monday) with ``kinds`` shift types, each at
    most ``limits["per_kind"]`` times or its own of ``caps``."""
    types = SHIFTS[:kinds]
    lines = ["SECTION_HORIZON", str(days), "", "SECTION_SHIFTS"]
    for n, (name, length) in enumerate(types):
        # A later type may not be followed by an earlier one when ``banned``.
        follow = [other for other, _ in types[:n]] if banned else []
        lines.append(f"{name},{length},{'|'.join(follow)}")
    most = caps or [limits["per_kind"]] * kinds
    per_kind = "|".join(f"{name}={cap}" for (name, _), cap in zip(types, most, strict=True))
    lines += [
        "",
        "SECTION_STAFF",
        f"A,{per_kind},{limits['max_minutes']},{limits['min_minutes']},{limits['max_run']},"
        f"{limits['min_run']},{limits['min_off']},{limits['weekends']}",
        "",
        "SECTION_DAYS_OFF",
        ",".join(["A", *map(str, off)]) if off else "",
        "",
        "SECTION_COVER",
        *(f"{d},{name},1,100,1" for d in range(days) for name, _ in types),
    ]
    path = tmp / "one.txt"
    path.write_text("\n".join(lines) + "\n")
    return read_instance(path)


def valid(inst: Instance, chosen: list[Assignment]) -> bool:
    return not hard_breaches(validate_change(inst.problem, chosen, [], {"A"}, set()))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    days=st.integers(4, 6),
    kinds=st.integers(1, 3),
    max_run=st.integers(1, 5),
    min_run=st.integers(1, 3),
    min_off=st.integers(1, 3),
    counted=st.sampled_from(["none", "minutes", "all"]),
    banned=st.booleans(),
    off=st.lists(st.integers(0, 7), max_size=2),
    seed=st.integers(0, 10_000),
)
def test_the_path_is_the_cheapest_valid_roster(
    tmp_path: Path,
    days: int,
    kinds: int,
    max_run: int,
    min_run: int,
    min_off: int,
    counted: str,
    banned: bool,
    off: list[int],
    seed: int,
) -> None:
    """Without counted rules the path is the optimum of all the person's valid rosters; with them
    (per-kind caps, total minutes, weekends: priced) a valid roster no cheaper than the optimum.
    A counting path (total minutes and weekends in its state) is the optimum with those alone."""
    import random

    rng = random.Random(seed)
    limits = {
        "per_kind": days,
        "max_minutes": rng.randint(2, 5) * 600 if counted != "none" else days * 720,
        "min_minutes": rng.randint(0, 2) * 480 if counted != "none" else 0,
        "max_run": max(max_run, min_run),
        "min_run": min_run,
        "min_off": min_off,
        "weekends": rng.randint(0, 1) if counted != "none" else 2,
    }
    caps = [rng.randint(0, 3) for _ in range(kinds)] if counted == "all" else None
    inst = instance(tmp_path, days, kinds, limits, banned, [d for d in off if d < days], caps)
    problem = inst.problem
    person = problem.staff[0]
    shifts = problem.operation.shifts
    line_of = dict(enumerate(Candidates(problem).by_person["A"]))
    options = [(var, shifts[c.shift]) for var, c in line_of.items()]
    prices = {var: rng.randint(-300, 100) for var, _ in options}

    def roster(chosen: list[int]) -> list[Assignment]:
        return [Assignment(shifts[line_of[v].shift].key, "A", line_of[v].line) for v in chosen]

    by_day: dict[int, list[int]] = {}
    first = problem.operation.first_day
    for var, shift in options:
        by_day.setdefault((shift.day - first).days, []).append(var)
    rosters = [
        chosen
        for pick in itertools.product(*[[None, *by_day.get(d, [])] for d in range(days)])
        if valid(inst, roster(chosen := [v for v in pick if v is not None]))
    ]
    best = min((sum(prices[v] for v in chosen) for chosen in rosters), default=None)

    def path() -> RunPath:
        return RunPath(person, problem.operation.policy, problem.operation.days, options)

    # The counted rules' prices carry over from one response to the next: after many, at other
    # prices, the bound is still a bound (a rule with room once grew its step without end).
    again = path()
    for _ in range(30):
        other = {var: rng.randint(-300, 100) for var, _ in options}
        cheapest = min((sum(other[v] for v in chosen) for chosen in rosters), default=None)
        if cheapest is not None:
            assert again.best(other).bound <= cheapest + 1e-9

    # Stopping at the first walk below a price leaves the bound a bound and the walks valid.
    early = path().best(prices, below=rng.randint(-600, 0), enough=1)
    walks = path().best(prices)
    counting = path().best(prices, counting=True)
    for found in (early, walks, counting):
        if best is not None:
            assert found.bound <= best + 1e-9  # a lower bound on every valid roster
        for walk in found.kept:  # every walk met keeping the counted rules is a valid roster
            assert valid(inst, roster(walk.chosen))
            assert walk.cost == sum(prices[v] for v in walk.chosen)
    for found, exact in ((walks, counted == "none"), (counting, counted != "all")):
        if found.best is None:
            assert not exact or best is None
            continue
        chosen, cost = found.best.chosen, found.best.cost
        assert valid(inst, roster(chosen))
        assert cost == sum(prices[v] for v in chosen)
        assert best is not None and cost >= best
        if found.best.proven or exact:
            assert cost == best
            assert found.bound == pytest.approx(best, abs=0.5)


def test_a_rule_with_room_at_price_zero_keeps_its_step() -> None:
    """A maximum with room while another rule is broken wants its price lower but it stays at
    zero: its step must not grow meanwhile (it grew by a fifth a round until the price the rule
    needed once it bound was infinite, and the bounds of every walk after it were garbage)."""
    prices, steps, signs = np.zeros(1), np.zeros(1), np.zeros(1)
    low, room, broken = np.array([-np.inf]), np.array([-0.5]), np.array([1.0])
    for _ in range(5_000):
        _adjust(room, prices, steps, signs, low, 10.0, 1e6)
    assert prices[0] == 0.0 and steps[0] <= 12.0
    for _ in range(200):
        _adjust(broken, prices, steps, signs, low, 10.0, 1e6)
    assert 0.0 < prices[0] <= 1e6


@pytest.mark.parametrize("per_kind", [1, 7])
def test_every_walk_runs_on_the_one_compiled_kernel(tmp_path: Path, per_kind: int) -> None:
    """``make install`` compiles the walks once; a walk whose arguments had other types (a band
    of whole numbers once made an array of integers) compiled again on the first solve, ten
    seconds later."""
    limits = {"per_kind": per_kind, "max_minutes": 3000, "min_minutes": 960, "weekends": 1}
    limits |= {"max_run": 3, "min_run": 1, "min_off": 1}
    inst = instance(tmp_path, 7, 2, limits, False, [])
    problem = inst.problem
    shifts = problem.operation.shifts
    options = [(var, shifts[c.shift]) for var, c in enumerate(Candidates(problem).by_person["A"])]
    path = RunPath(problem.staff[0], problem.operation.policy, problem.operation.days, options)
    compile_now()
    prices = {var: -100.0 for var, _ in options}
    path.best(prices), path.best(prices, counting=True)
    assert len(priced_walks.signatures) == 1, priced_walks.signatures
