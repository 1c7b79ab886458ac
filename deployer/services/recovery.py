"""Recovering the best roster of a solve that was killed before it could save its plan."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime

from deployer.domain.roster import Plan
from deployer.store.database import Database
from deployer.store.repositories.checkpoints import Checkpoint

__all__ = ["Checkpoint", "discard_solve", "interrupted_solves", "recover_solve"]


def interrupted_solves(db: Database) -> list[Checkpoint]:
    """Checkpoints whose solve process, on this computer, is gone: their rosters can be recovered.

    A checkpoint of a process still running is a solve in progress; one from another computer
    cannot be told apart from a running one here, so it is left to that computer.
    """
    with db.unit_of_work() as uow:
        found = uow.checkpoints.all()
    here = socket.gethostname()
    return [c for c in found if c.host == here and not _running(c.pid)]


def recover_solve(db: Database, checkpoint_id: int, created_by: str = "") -> int:
    """Save a checkpoint's roster as the operation's next draft plan; returns the plan id."""
    with db.unit_of_work() as uow:
        checkpoint = uow.checkpoints.get(checkpoint_id)
        saved = f"{checkpoint.saved_at:%Y-%m-%d %H:%M} UTC" if checkpoint.saved_at else "its start"
        objective = checkpoint.objective or 0.0
        plan = Plan(
            checkpoint.operation,
            uow.plans.next_version(checkpoint.operation),
            checkpoint.assignments,
            note=f"Recovered from a solve interrupted after {saved}, objective {objective:.1f}",
            created_at=datetime.now(UTC),
            created_by=created_by or checkpoint.started_by,
        )
        plan_id = uow.plans.add(plan)
        uow.checkpoints.finish(checkpoint_id)
    return plan_id


def discard_solve(db: Database, checkpoint_id: int) -> None:
    with db.unit_of_work() as uow:
        uow.checkpoints.discard(checkpoint_id)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True
