"""Use cases of the rostering engine: load a problem, solve and save a plan, check a plan."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy.exc import SQLAlchemyError

from deployer.domain.errors import DomainError
from deployer.domain.problem import ObjectiveWeights, RosterProblem, RosterResult
from deployer.domain.roster import Plan
from deployer.domain.scoring import Score, score
from deployer.domain.validator import Breach, validate
from deployer.solver.engine import Progress, ProgressCallback, SolveParameters, solve
from deployer.store.database import Database
from deployer.store.unit_of_work import UnitOfWork

__all__ = ["PlanCheck", "SolveParameters", "SolvedPlan", "check_plan", "load_problem", "solve_operation"]

CHECKPOINT_EVERY = 30.0
"""Seconds between saves of a running solve's best roster (what a crash could lose at most)."""


def load_problem(uow: UnitOfWork, operation: str) -> RosterProblem:
    """The roster problem of ``operation`` with the whole register, travel and requests."""
    op = uow.operations.get(operation)
    numbers = {p.service_number for p in uow.staff.all()}
    return RosterProblem(
        operation=op,
        staff=tuple(uow.staff.all()),
        catalogue=uow.catalogue.load(),
        travel=uow.locations.travel_matrix(),
        requests=tuple(r for r in uow.staff.requests() if r.service_number in numbers),
    )


@dataclass(frozen=True)
class SolvedPlan:
    """A solve's result together with the plan it was saved as (None when nothing was saved)."""

    plan_id: int | None
    result: RosterResult


def solve_operation(
    db: Database,
    operation: str,
    params: SolveParameters | None = None,
    on_progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
    created_by: str = "",
    reroster_of: int | None = None,
    weights: ObjectiveWeights | None = None,
    checkpoint_every: float | None = CHECKPOINT_EVERY,
) -> SolvedPlan:
    """Solve ``operation`` and save the roster as its next draft plan version.

    With ``reroster_of`` (a plan id), that plan's roster is the published one: the new roster
    follows what the register and demand now say while changing as few of its assignments as
    possible (pinned ones stay). ``weights`` replaces the default objective weights.

    While it searches, the best roster so far is saved as a checkpoint every ``checkpoint_every``
    seconds (None: never); the checkpoint goes in the transaction that saves the plan, so one
    left behind is the roster of a solve that was killed (see ``services.recovery``).
    """
    with db.unit_of_work() as uow:
        problem = load_problem(uow, operation)
        base = uow.plans.get(reroster_of) if reroster_of is not None else None
        if base is not None and base.operation != operation:
            raise DomainError(f"plan {reroster_of}", "operation", f"is {base.operation!r}, not {operation!r}")
        checkpoint = None
        if checkpoint_every is not None:
            checkpoint = uow.checkpoints.start(
                operation, created_by or db.actor, socket.gethostname(), os.getpid()
            )
    if base is not None:
        problem = replace(problem, published=base.assignments)
    if weights is not None:
        problem = replace(problem, weights=weights)
    params = replace(params or SolveParameters(), checkpoint_every=checkpoint_every)

    def progress(step: Progress) -> None:
        if step.roster is not None and checkpoint is not None:
            # Best effort: a checkpoint that cannot be written (disk full, database busy) must not
            # stop the search; the next improvement tries again.
            with contextlib.suppress(SQLAlchemyError, DomainError), db.unit_of_work() as uow:
                uow.checkpoints.save(checkpoint, step.objective, step.roster)
            step = replace(step, roster=None)
        if on_progress is not None:
            on_progress(step)

    try:
        result = solve(problem, params, progress, stop)
    except BaseException:
        if checkpoint is not None:  # keep it only if it holds a roster to recover
            with contextlib.suppress(Exception), db.unit_of_work() as uow:
                uow.checkpoints.finish_if_empty(checkpoint)
        raise
    if not result.assignments and result.objective is None:
        if checkpoint is not None:
            with db.unit_of_work() as uow:
                uow.checkpoints.finish(checkpoint)
        return SolvedPlan(None, result)
    note = f"Solved: {result.status}, objective {result.objective:.1f}"
    if base is not None:
        note = f"Re-roster of version {base.version}: {result.changes} assignments changed; {note}"
    with db.unit_of_work() as uow:
        version = uow.plans.next_version(operation)
        plan = Plan(
            operation,
            version,
            result.assignments,
            note=note,
            created_at=datetime.now(UTC),
            created_by=created_by,
        )
        plan_id = uow.plans.add(plan)
        if checkpoint is not None:
            uow.checkpoints.finish(checkpoint)
    return SolvedPlan(plan_id, result)


@dataclass(frozen=True)
class PlanCheck:
    """The validator's verdict on a saved plan."""

    plan: Plan
    breaches: list[Breach]
    score: Score


def check_plan(db: Database, plan_id: int) -> PlanCheck:
    """Validate a saved plan against its operation's rules."""
    with db.unit_of_work() as uow:
        plan = uow.plans.get(plan_id)
        problem = load_problem(uow, plan.operation)
    return PlanCheck(plan, validate(problem, plan.assignments), score(problem, plan.assignments))
