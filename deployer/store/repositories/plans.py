"""Plans (roster versions) and their assignments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from deployer.domain.approval import check_transition
from deployer.domain.errors import DomainError
from deployer.domain.roster import Assignment, Plan, PlanStatus
from deployer.store.models import AssignmentRow, OperationRow, PlanRow, ShiftRow, StaffRow
from deployer.store.repositories.audit import AuditRepository
from deployer.store.repositories.operations import OperationRepository
from deployer.store.repositories.staff import StaffRepository
from deployer.store.versions import advance, conflict


@dataclass(frozen=True, slots=True)
class PlanSummary:
    """One line of a plan list."""

    id: int
    operation: str
    version: int
    status: PlanStatus
    assignments: int
    created_at: datetime


class PlanRepository:
    """Stores roster versions; each new plan for an operation gets the next version number."""

    def __init__(
        self,
        session: Session,
        operations: OperationRepository,
        staff: StaffRepository,
        audit: AuditRepository,
    ) -> None:
        self.session = session
        self.operations = operations
        self.staff = staff
        self.audit = audit

    def next_version(self, operation: str) -> int:
        """The version number a new plan of ``operation`` will get."""
        op_id = self.operations.id_of(operation)
        latest = self.session.scalar(select(func.max(PlanRow.version)).where(PlanRow.operation_id == op_id))
        return (latest or 0) + 1

    def add(self, plan: Plan) -> int:
        """Store ``plan`` (its version must be unused); returns the plan id."""
        op_id = self.operations.id_of(plan.operation)
        record = f"plan {plan.operation!r} v{plan.version}"
        taken = self.session.scalar(
            select(PlanRow.id).where(PlanRow.operation_id == op_id, PlanRow.version == plan.version)
        )
        if taken:
            raise DomainError(record, "version", "already exists")
        shift_ids = self.operations.shift_ids(op_id)
        staff_ids = self.staff.ids()
        values = []
        for a in plan.assignments:
            where = f"{record} assignment of {a.service_number} to {a.shift_key}"
            if a.shift_key not in shift_ids:
                raise DomainError(where, "shift", "is not a shift of the operation")
            if a.service_number not in staff_ids:
                raise DomainError(where, "service number", "is not in the register")
            values.append(
                {
                    "shift_id": shift_ids[a.shift_key],
                    "staff_id": staff_ids[a.service_number],
                    "line": a.line,
                    "pinned": a.pinned,
                }
            )
        row = PlanRow(
            operation_id=op_id,
            version=plan.version,
            status=plan.status.value,
            note=plan.note,
            created_at=plan.created_at or datetime.now(UTC),
            created_by=plan.created_by,
        )
        self.session.add(row)
        self.session.flush()
        if values:
            self.session.execute(insert(AssignmentRow), [dict(v, plan_id=row.id) for v in values])
        self.audit.record("add", "plan", f"{plan.operation} v{plan.version} (id {row.id})", after=plan)
        return row.id

    def revision(self, plan_id: int) -> int:
        """The edit counter of plan ``plan_id``, for a later edit to name."""
        return self.session.get_one(PlanRow, plan_id).revision

    def edit(
        self,
        plan_id: int,
        removed: Sequence[Assignment],
        added: Sequence[Assignment],
        why: str,
        expected_revision: int | None = None,
    ) -> int:
        """Take ``removed`` out of a draft plan and put ``added`` in: one hand edit, audited.

        With ``expected_revision``, a plan edited by someone else since is refused with
        :class:`EditConflict`. Returns the plan's new revision.
        """
        row = self.session.get(PlanRow, plan_id)
        if row is None:
            raise DomainError(f"plan {plan_id}", "id", "does not exist")
        operation = self.session.get_one(OperationRow, row.operation_id).name
        record = f"plan {operation!r} v{row.version}"
        if row.status != PlanStatus.DRAFT:
            raise DomainError(
                record, "status", f"is {row.status}: only a draft can be edited (make a new version)"
            )
        key = f"{operation} v{row.version} (id {plan_id})"
        if not advance(self.session, PlanRow.revision, plan_id, expected_revision):
            raise conflict(self.audit, record, "plan", key)
        shift_ids = self.operations.shift_ids(row.operation_id)
        staff_ids = self.staff.ids()
        for a in [*removed, *added]:
            if a.shift_key not in shift_ids or a.service_number not in staff_ids:
                raise DomainError(record, f"assignment of {a.service_number} to {a.shift_key}", "is unknown")
        for a in removed:
            self.session.execute(
                delete(AssignmentRow).where(
                    AssignmentRow.plan_id == plan_id,
                    AssignmentRow.shift_id == shift_ids[a.shift_key],
                    AssignmentRow.staff_id == staff_ids[a.service_number],
                )
            )
        if added:
            self.session.execute(
                insert(AssignmentRow),
                [
                    {
                        "plan_id": plan_id,
                        "shift_id": shift_ids[a.shift_key],
                        "staff_id": staff_ids[a.service_number],
                        "line": a.line,
                        "pinned": a.pinned,
                    }
                    for a in added
                ],
            )
        self.audit.record("edit", "plan", f"{key}: {why}", removed, added)
        self.session.expire(row, ["revision"])
        return row.revision

    def set_status(self, plan_id: int, status: PlanStatus) -> Plan:
        """Move a plan along its lifecycle (the database refuses any other change to a frozen plan)."""
        plan = self.get(plan_id)
        check_transition(plan, status)
        self.session.get_one(PlanRow, plan_id).status = status.value
        self.session.flush()
        key = f"{plan.operation} v{plan.version} (id {plan_id})"
        self.audit.record("status", "plan", key, {"status": plan.status}, {"status": status})
        return replace(plan, status=status)

    def get(self, plan_id: int) -> Plan:
        """The plan with id ``plan_id``."""
        row = self.session.get(PlanRow, plan_id)
        if row is None:
            raise DomainError(f"plan {plan_id}", "id", "does not exist")
        operation = self.session.get_one(OperationRow, row.operation_id).name
        assignments = self.session.execute(
            select(ShiftRow.key, StaffRow.service_number, AssignmentRow.line, AssignmentRow.pinned)
            .join(ShiftRow, ShiftRow.id == AssignmentRow.shift_id)
            .join(StaffRow, StaffRow.id == AssignmentRow.staff_id)
            .where(AssignmentRow.plan_id == plan_id)
            .order_by(ShiftRow.starts_at, ShiftRow.key, StaffRow.service_number)
        ).all()
        return Plan(
            operation=operation,
            version=row.version,
            status=PlanStatus(row.status),
            note=row.note,
            created_at=row.created_at,
            created_by=row.created_by,
            assignments=tuple(Assignment(key, sn, line, pinned) for key, sn, line, pinned in assignments),
        )

    def list(self, operation: str | None = None) -> list[PlanSummary]:
        """Plans, newest first, optionally of one operation only."""
        counts = (
            select(AssignmentRow.plan_id, func.count().label("n")).group_by(AssignmentRow.plan_id).subquery()
        )
        query = (
            select(PlanRow, OperationRow.name, func.coalesce(counts.c.n, 0))
            .join(OperationRow, OperationRow.id == PlanRow.operation_id)
            .outerjoin(counts, counts.c.plan_id == PlanRow.id)
            .order_by(PlanRow.created_at.desc(), PlanRow.id.desc())
        )
        if operation is not None:
            query = query.where(OperationRow.name == operation)
        return [
            PlanSummary(row.id, name, row.version, PlanStatus(row.status), n, row.created_at)
            for row, name, n in self.session.execute(query)
        ]
