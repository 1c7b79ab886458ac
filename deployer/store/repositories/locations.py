"""Cities, stations, sites and the travel matrix."""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from deployer.domain.errors import DomainError
from deployer.domain.locations import Leg, Location, LocationKind, SiteKind, TravelMatrix
from deployer.store.models import LocationRow, TravelLegRow
from deployer.store.repositories.audit import AuditRepository


class LocationRepository:
    """Locations by code, and measured travel legs between them."""

    def __init__(self, session: Session, audit: AuditRepository) -> None:
        self.session = session
        self.audit = audit
        self._ids: dict[str, int] | None = None

    def ids(self) -> dict[str, int]:
        """Code -> id of every location (cached for the unit of work)."""
        if self._ids is None:
            self._ids = dict(self.session.execute(select(LocationRow.code, LocationRow.id)).all())
        return self._ids

    def id_of(self, code: str, record: str, field: str) -> int:
        """The id of location ``code``, or a DomainError naming who referred to it."""
        ids = self.ids()
        if code not in ids:
            raise DomainError(record, field, f"{code!r} is not a known location")
        return ids[code]

    def add_many(self, locations: list[Location]) -> None:
        """Add new locations; cities first so stations and sites can refer to them."""
        existing = self.ids()
        seen: set[str] = set()
        for location in locations:
            if location.code in existing or location.code in seen:
                raise DomainError(f"location {location.code}", "code", "already exists")
            seen.add(location.code)
        ordered = sorted(locations, key=lambda loc: loc.kind is not LocationKind.CITY)
        for location in ordered:
            city_id = None
            if location.city:
                city_id = self.id_of(location.city, f"location {location.code}", "city")
            row = LocationRow(
                code=location.code,
                name=location.name,
                kind=location.kind.value,
                latitude=location.latitude,
                longitude=location.longitude,
                region=location.region,
                city_id=city_id,
                address=location.address,
                site_kind=location.site_kind.value if location.site_kind else None,
            )
            self.session.add(row)
            self.session.flush()
            existing[location.code] = row.id
        if locations:
            self.audit.record("add", "location", f"{len(locations)} locations", after=locations)

    def all(self) -> list[Location]:
        """Every location, by code."""
        rows = self.session.scalars(select(LocationRow).order_by(LocationRow.code)).all()
        code_of = {row.id: row.code for row in rows}
        return [
            Location(
                code=row.code,
                name=row.name,
                kind=LocationKind(row.kind),
                latitude=row.latitude,
                longitude=row.longitude,
                region=row.region,
                city=code_of.get(row.city_id) if row.city_id else None,
                address=row.address,
                site_kind=SiteKind(row.site_kind) if row.site_kind else None,
            )
            for row in rows
        ]

    def update_many(self, locations: list[Location]) -> None:
        """Change existing locations in place (same code), keeping their id for those referring to them."""
        before = {loc.code: loc for loc in self.all()}
        for location in locations:
            self.audit.record("change", "location", location.code, before.get(location.code), location)
            record = f"location {location.code}"
            row = self.session.get_one(LocationRow, self.id_of(location.code, record, "code"))
            row.name, row.kind = location.name, location.kind.value
            row.latitude, row.longitude = location.latitude, location.longitude
            row.region, row.address = location.region, location.address
            row.city_id = self.id_of(location.city, record, "city") if location.city else None
            row.site_kind = location.site_kind.value if location.site_kind else None
        self.session.flush()

    def legs(self) -> dict[tuple[str, str], Leg]:
        """Every measured leg, (origin, destination) -> leg."""
        code_of = {id_: code for code, id_ in self.ids().items()}
        return {
            (code_of[r.origin_id], code_of[r.destination_id]): Leg(r.minutes, r.km)
            for r in self.session.scalars(select(TravelLegRow))
        }

    def set_legs(self, legs: dict[tuple[str, str], Leg]) -> None:
        """Record measured legs, replacing any measured before for the same two ends."""
        ids = self.ids()
        for origin, destination in legs:
            if origin in ids and destination in ids:
                self.session.execute(
                    delete(TravelLegRow).where(
                        TravelLegRow.origin_id == ids[origin], TravelLegRow.destination_id == ids[destination]
                    )
                )
        self.add_legs(legs)

    def add_legs(self, legs: dict[tuple[str, str], Leg]) -> None:
        """Record measured travel legs (origin, destination) -> minutes and km."""
        values = []
        for (origin, destination), leg in legs.items():
            record = f"travel {origin} -> {destination}"
            if leg.minutes < 0 or leg.km < 0:
                raise DomainError(record, "minutes/km", "must not be negative")
            values.append(
                {
                    "origin_id": self.id_of(origin, record, "origin"),
                    "destination_id": self.id_of(destination, record, "destination"),
                    "minutes": leg.minutes,
                    "km": leg.km,
                }
            )
        if values:
            self.session.execute(insert(TravelLegRow), values)
            self.audit.record(
                "set", "travel", f"{len(values)} legs", after=[[a, b, leg] for (a, b), leg in legs.items()]
            )

    def travel_matrix(self) -> TravelMatrix:
        """Measured legs plus estimates from coordinates for every other pair."""
        return TravelMatrix({loc.code: loc for loc in self.all()}, self.legs())
