"""Solve checkpoints: a running solve's best roster so far, kept safe until its plan is saved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from deployer.domain.errors import DomainError
from deployer.domain.roster import Assignment
from deployer.store.models import OperationRow, SolveCheckpointRow
from deployer.store.repositories.audit import AuditRepository
from deployer.store.repositories.operations import OperationRepository


@dataclass(frozen=True)
class Checkpoint:
    id: int
    operation: str
    started_by: str
    host: str
    pid: int
    started_at: datetime
    saved_at: datetime | None
    objective: float | None
    assignments: tuple[Assignment, ...]


class CheckpointRepository:
    """Started when a solve starts, overwritten as it improves, deleted with the plan's save."""

    def __init__(self, session: Session, operations: OperationRepository, audit: AuditRepository) -> None:
        self.session = session
        self.operations = operations
        self.audit = audit

    def start(self, operation: str, started_by: str, host: str, pid: int) -> int:
        row = SolveCheckpointRow(
            operation_id=self.operations.id_of(operation),
            started_by=started_by,
            host=host,
            pid=pid,
            started_at=datetime.now(UTC),
            assignments=[],
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def save(self, checkpoint_id: int, objective: float, roster: Sequence[Assignment]) -> None:
        """Replace the checkpoint's roster with a better one."""
        row = self._row(checkpoint_id)
        row.objective, row.saved_at = objective, datetime.now(UTC)
        row.assignments = [[a.shift_key, a.service_number, a.line, a.pinned] for a in roster]

    def finish(self, checkpoint_id: int) -> None:
        """The solve ended (its plan saved, or nothing to save): the checkpoint goes."""
        self.session.execute(delete(SolveCheckpointRow).where(SolveCheckpointRow.id == checkpoint_id))

    def finish_if_empty(self, checkpoint_id: int) -> None:
        """A solve failed: its checkpoint goes unless it holds a roster worth recovering."""
        self.session.execute(
            delete(SolveCheckpointRow).where(
                SolveCheckpointRow.id == checkpoint_id, SolveCheckpointRow.saved_at.is_(None)
            )
        )

    def discard(self, checkpoint_id: int) -> None:
        """The planner chose not to recover it (audited, as the roster is lost)."""
        checkpoint = self.get(checkpoint_id)
        self.audit.record(
            "discard",
            "solve checkpoint",
            f"{checkpoint.operation} started {checkpoint.started_at:%Y-%m-%d %H:%M}",
        )
        self.finish(checkpoint_id)

    def get(self, checkpoint_id: int) -> Checkpoint:
        return self._read(self._row(checkpoint_id))

    def all(self) -> list[Checkpoint]:
        """Every checkpoint with a roster, oldest first."""
        rows = self.session.scalars(
            select(SolveCheckpointRow)
            .where(SolveCheckpointRow.saved_at.is_not(None))
            .order_by(SolveCheckpointRow.id)
        )
        return [self._read(row) for row in rows]

    def _row(self, checkpoint_id: int) -> SolveCheckpointRow:
        row = self.session.get(SolveCheckpointRow, checkpoint_id)
        if row is None:
            raise DomainError(
                f"solve checkpoint {checkpoint_id}", "id", "does not exist (recovered or discarded?)"
            )
        return row

    def _read(self, row: SolveCheckpointRow) -> Checkpoint:
        return Checkpoint(
            row.id,
            self.session.get_one(OperationRow, row.operation_id).name,
            row.started_by,
            row.host,
            row.pid,
            row.started_at,
            row.saved_at,
            row.objective,
            tuple(Assignment(key, number, line, pinned) for key, number, line, pinned in row.assignments),
        )
