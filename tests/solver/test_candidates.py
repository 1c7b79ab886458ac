"""Candidates rule out exactly the single assignments the validator refuses.

A candidate the validator refuses would put a breach in every roster that uses it; a pair left out
that the validator accepts is a roster the solver can never find, which no check of its output
would show.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from deployer.domain.problem import RosterProblem
from deployer.domain.roster import Assignment
from deployer.domain.validator import validate
from deployer.services import demo
from deployer.solver.candidates import Candidates

PER_ASSIGNMENT = ("qualification", "availability", "reach", "shift_length", "duty_length", "max_shifts")
"""The validator's rules that one assignment alone can break."""


def _varied_problem() -> RosterProblem:
    """A small demo (ranks, agencies, skills that expire, leave) where some people may not deploy
    away or work one label at all, and a short duty limit rules out the longer commutes."""
    problem = demo.build(demo.DemoSize(staff=40, days=3, cities=2, sites=3, seed=2)).problem()
    label = problem.operation.shifts[0].label
    staff = tuple(
        replace(
            p,
            limits=replace(
                p.limits,
                can_deploy_away=n % 3 != 0,
                max_shifts_by_label=((label, 0),) if n % 5 == 0 else p.limits.max_shifts_by_label,
            ),
        )
        for n, p in enumerate(problem.staff)
    )
    op = problem.operation
    return replace(
        problem, staff=staff, operation=replace(op, policy=replace(op.policy, max_duty_minutes=540))
    )


def test_candidates_are_the_single_assignments_the_validator_accepts() -> None:
    problem = _varied_problem()
    cands = Candidates(problem)
    kept = {
        (number, cands.shifts[c.shift].key, c.line) for number, held in cands.by_person.items() for c in held
    }
    refused: Counter[str] = Counter()
    for person in problem.staff:
        for shift in problem.operation.shifts:
            for line in range(len(shift.demand)):
                breaches = validate(problem, [Assignment(shift.key, person.service_number, line)])
                rules = {b.rule for b in breaches if b.rule in PER_ASSIGNMENT and not b.soft}
                refused.update(rules)
                pair = (person.service_number, shift.key, line)
                candidate = pair in kept
                assert candidate == (not rules), f"{pair}: candidate {candidate}, validator refuses {rules}"
    assert kept
    assert Candidates(problem, people=[]).count() == len(kept)
    assert set(PER_ASSIGNMENT) - {"shift_length"} <= set(refused), refused
