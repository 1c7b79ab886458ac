"""Rows for staff, their qualifications, absences and requests."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from deployer.store.models.base import Base


class StaffRow(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_number: Mapped[str] = mapped_column(String(32), unique=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    rank_id: Mapped[int] = mapped_column(ForeignKey("ranks.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    home_station_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    contracted_minutes_per_week: Mapped[int]
    max_minutes_per_week: Mapped[int | None]
    max_shifts: Mapped[int | None]
    min_total_minutes: Mapped[int | None]
    max_total_minutes: Mapped[int | None]
    max_weekends: Mapped[int | None]
    max_consecutive_days: Mapped[int | None]
    min_consecutive_days: Mapped[int | None]
    min_consecutive_days_off: Mapped[int | None]
    max_shifts_by_label: Mapped[str] = mapped_column(Text, default="")
    can_deploy_away: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)
    """Raised by every save; a save based on an older one is a conflict (store/versions.py)."""


class QualificationRow(Base):
    __tablename__ = "qualifications"
    __table_args__ = (UniqueConstraint("staff_id", "skill_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"), index=True)
    level: Mapped[int]
    expires_on: Mapped[date | None]


class AbsenceRow(Base):
    __tablename__ = "absences"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    first_day: Mapped[date]
    last_day: Mapped[date]
    kind: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(String(300), default="")


class StaffRequestRow(Base):
    __tablename__ = "staff_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    day: Mapped[date | None]
    shift_label: Mapped[str | None] = mapped_column(String(32))
    city_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    weight: Mapped[int]
