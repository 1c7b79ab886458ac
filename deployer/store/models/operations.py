"""Rows for fatigue policies, operations, their sites, shifts and demand lines."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from deployer.store.models.base import Base, UtcDateTime


class PolicyRow(Base):
    """A fatigue policy; the rules live in one JSON document so new rules need no migration."""

    __tablename__ = "fatigue_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)


class OperationRow(Base):
    __tablename__ = "operations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    first_day: Mapped[date]
    last_day: Mapped[date]
    timezone: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")
    policy_id: Mapped[int] = mapped_column(ForeignKey("fatigue_policies.id"))
    version: Mapped[int] = mapped_column(default=1)
    """Raised by every save; a save based on an older one is a conflict (store/versions.py)."""


class OperationSiteRow(Base):
    """A city or site taking part in an operation, in the planner's order."""

    __tablename__ = "operation_locations"

    operation_id: Mapped[int] = mapped_column(
        ForeignKey("operations.id", ondelete="CASCADE"), primary_key=True
    )
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    position: Mapped[int]


class ShiftRow(Base):
    __tablename__ = "shifts"
    __table_args__ = (UniqueConstraint("operation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("operations.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    site_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    label: Mapped[str] = mapped_column(String(32), default="")


class DemandLineRow(Base):
    __tablename__ = "demand_lines"
    __table_args__ = (UniqueConstraint("shift_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    count: Mapped[int]
    min_rank_id: Mapped[int | None] = mapped_column(ForeignKey("ranks.id"))
    agencies: Mapped[str] = mapped_column(String(300), default="")
    under_cost: Mapped[int | None]
    over_cost: Mapped[int | None]


class DemandSkillRow(Base):
    __tablename__ = "demand_skills"

    line_id: Mapped[int] = mapped_column(ForeignKey("demand_lines.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"), primary_key=True)
    min_level: Mapped[int]
