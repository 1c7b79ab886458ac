"""Rows for plans (roster versions) and their assignments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from deployer.store.models.base import Base, UtcDateTime


class PlanRow(Base):
    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("operation_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("operations.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    revision: Mapped[int] = mapped_column(default=1, server_default="1")
    """Raised by every hand edit of a draft; an edit based on an older one is a conflict."""


class AssignmentRow(Base):
    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("plan_id", "shift_id", "staff_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    line: Mapped[int]
    pinned: Mapped[bool] = mapped_column(default=False)


class SolveCheckpointRow(Base):
    """The best roster so far of a solve that is running, or was interrupted before it saved a plan.

    A solve writes it as it improves and deletes it in the transaction that saves its plan: one
    still here after its process has gone is a roster the planner may recover.
    """

    __tablename__ = "solve_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("operations.id", ondelete="CASCADE"), index=True)
    started_by: Mapped[str] = mapped_column(String(100))
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    saved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    objective: Mapped[float | None] = mapped_column(Float, nullable=True)
    assignments: Mapped[Any] = mapped_column(JSON, default=list)
    """[shift key, service number, demand line, pinned] for each assignment of the best roster."""
