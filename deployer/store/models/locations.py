"""Rows for locations (cities, stations, sites) and measured travel legs."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from deployer.store.models.base import Base


class LocationRow(Base):
    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    region: Mapped[str] = mapped_column(String(100), default="")
    city_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    address: Mapped[str] = mapped_column(String(300), default="")
    site_kind: Mapped[str | None] = mapped_column(String(32))


class TravelLegRow(Base):
    __tablename__ = "travel_legs"
    __table_args__ = (UniqueConstraint("origin_id", "destination_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    origin_id: Mapped[int] = mapped_column(ForeignKey("locations.id", ondelete="CASCADE"))
    destination_id: Mapped[int] = mapped_column(ForeignKey("locations.id", ondelete="CASCADE"))
    minutes: Mapped[int]
    km: Mapped[float] = mapped_column(Float)
