"""Each large-neighbourhood step keeps every rule and saves exactly what it reports: the step's model
sees the fixed rest of each freed person's roster and the heaviest fairness loads of everyone else,
and builds nothing that only it decides."""

from __future__ import annotations

from dataclasses import replace

import pytest

from deployer.domain.scoring import score
from deployer.domain.validator import hard_breaches, validate
from deployer.services import demo
from deployer.solver.candidates import Candidates
from deployer.solver.engine import first_roster
from deployer.solver.lns import KINDS, LargeNeighbourhoodSearch


@pytest.mark.parametrize("fair", [True, False], ids=["fairness", "no-fairness"])
@pytest.mark.parametrize(
    "soft", [frozenset(), frozenset({"rest_between_shifts", "consecutive_days", "weekends"})]
)
def test_every_step_keeps_the_rules_and_saves_what_it_says(soft: frozenset[str], fair: bool) -> None:
    p = demo.build(demo.DemoSize(staff=150, days=12, cities=2, sites=4, seed=4)).problem()
    assert p.weights.fairness_per_hour and p.weights.fairness_per_night
    policy = replace(p.operation.policy, soft_rules=soft, max_weekends=1)
    weights = (
        p.weights
        if fair
        else replace(p.weights, fairness_per_hour=0, fairness_per_night=0, fairness_per_weekend_shift=0)
    )
    p = replace(p, operation=replace(p.operation, policy=policy), weights=weights)
    cands = Candidates(p, people=[])
    roster, unmended = first_roster(p, cands, (), float("inf"))
    assert not unmended
    lns = LargeNeighbourhoodSearch(p, cands, roster, seed=2, step_seconds=0.5)
    before = score(p, roster).total
    improved = 0
    for step in range(24):
        if lns.step(lns.choose(KINDS[step % len(KINDS)]), 0.5, None):
            improved += 1
            assert hard_breaches(validate(p, lns.roster)) == []
            after = score(p, lns.roster).total
            assert after == pytest.approx(before - lns.gain)
            before = after
    assert improved


def test_a_step_that_mends_a_broken_neighbourhood_says_so() -> None:
    """A roster edited by hand can break a rule; the step over it mends it and reports a repair,
    whose saving the engine cannot know (it scores the whole roster again)."""
    p = demo.build(demo.DemoSize(staff=150, days=12, cities=2, sites=4, seed=4)).problem()
    cands = Candidates(p, people=[])
    roster, unmended = first_roster(p, cands, (), float("inf"))
    assert not unmended
    # Someone also on the shift that starts when one of theirs ends: no rest between them.
    shifts = {s.key: s for s in p.operation.shifts}
    a = next(a for a in roster if any(s.start == shifts[a.shift_key].end for s in shifts.values()))
    after = next(s for s in p.operation.shifts if s.start == shifts[a.shift_key].end and s.demand)
    broken = [*roster, replace(a, shift_key=after.key, line=0)]
    assert hard_breaches(validate(p, broken))
    lns = LargeNeighbourhoodSearch(p, cands, broken, seed=2)
    horizon = len(p.operation.days)
    assert lns.step(lns.around(p.person(a.service_number), 0, horizon), 2.0, None)
    assert lns.repaired
    assert hard_breaches(validate(p, lns.roster)) == []
