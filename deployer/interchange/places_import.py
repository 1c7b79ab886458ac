"""Cities, stations and sites, and measured travel legs, from planners' tables.

Locations are keyed by code: re-importing updates them. A travel row sets the measured time and
distance of one leg (both ways unless ``one_way`` says yes); legs not listed keep their measured
value or, failing that, the estimate from coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass

from deployer.domain.errors import DomainError
from deployer.domain.locations import Leg, Location, LocationKind, SiteKind
from deployer.interchange.register_import import Changes, changes, duplicate, rows
from deployer.interchange.tables import Table

LOCATION_REQUIRED = ("code", "name", "kind", "latitude", "longitude")
LOCATION_COLUMNS = (*LOCATION_REQUIRED, "city", "region", "address", "site_kind")
TRAVEL_REQUIRED = ("origin", "destination", "minutes", "km")
TRAVEL_COLUMNS = (*TRAVEL_REQUIRED, "one_way")


@dataclass(frozen=True)
class TravelLeg:
    """A measured leg, keyed by its two ends."""

    origin: str
    destination: str
    leg: Leg


def read_locations(tables: list[Table], known: dict[str, Location]) -> Changes[Location]:
    """Locations to add or update; a station's or site's city must be a city here or in the file."""
    kinds = {k.value: k for k in LocationKind}
    site_kinds = {k.value: k for k in SiteKind}
    found: dict[str, Location] = {}
    seen: dict[str, int] = {}
    cities = {code for code, loc in known.items() if loc.kind is LocationKind.CITY}
    pending: list[tuple[Location, int, Table]] = []
    for row in rows(tables, LOCATION_REQUIRED, LOCATION_COLUMNS):
        code = row.text("code", required=True)
        if code and duplicate(seen, code, row, "code"):
            continue
        seen[code] = row.number
        kind = row.text("kind", required=True).lower()
        site_kind = row.text("site_kind").lower()
        latitude, longitude = row.decimal("latitude", required=True), row.decimal("longitude", required=True)
        if kind and kind not in kinds:
            row.table.problem(row.number, "kind", f"{kind!r} is not one of {', '.join(kinds)}")
            continue
        if site_kind and site_kind not in site_kinds:
            row.table.problem(row.number, "site_kind", f"{site_kind!r} is not one of {', '.join(site_kinds)}")
            continue
        if not code or latitude is None or longitude is None or not kind:
            continue
        try:
            location = Location(
                code=code,
                name=row.text("name", required=True),
                kind=kinds[kind],
                latitude=latitude,
                longitude=longitude,
                region=row.text("region"),
                city=row.text("city") or None,
                address=row.text("address"),
                site_kind=site_kinds[site_kind] if site_kind else None,
            )
        except DomainError as error:
            row.table.problem(row.number, error.field, error.problem)
            continue
        found[code] = location
        if location.kind is LocationKind.CITY:
            cities.add(code)
        pending.append((location, row.number, row.table))
    for location, number, table in pending:
        if location.city and location.city not in cities:
            table.problem(number, "city", f"{location.city!r} is not a city")
    return changes(tables, found, known)


def read_travel(
    tables: list[Table], known: dict[str, Location], measured: dict[tuple[str, str], Leg]
) -> Changes[TravelLeg]:
    """Measured legs to record (each direction its own leg)."""
    found: dict[tuple[str, str], TravelLeg] = {}
    for row in rows(tables, TRAVEL_REQUIRED, TRAVEL_COLUMNS):
        origin, destination = row.text("origin", required=True), row.text("destination", required=True)
        minutes, km = row.integer("minutes", required=True), row.decimal("km", required=True)
        for column, code in (("origin", origin), ("destination", destination)):
            if code and code not in known:
                row.table.problem(row.number, column, f"{code!r} is not a known location")
        if km is not None and km < 0:
            row.table.problem(row.number, "km", f"{km} is negative")
        if origin and origin == destination:
            row.table.problem(row.number, "destination", "is the same as the origin")
        if minutes is None or km is None or not origin or not destination or origin == destination:
            continue
        ends = (
            [(origin, destination)]
            if row.flag("one_way", default=False)
            else [
                (origin, destination),
                (destination, origin),
            ]
        )
        for a, b in ends:
            if (a, b) in found:
                row.table.problem(row.number, "origin", f"the leg {a} → {b} appears more than once")
            found[(a, b)] = TravelLeg(a, b, Leg(minutes, round(km, 1)))
    before = {key: TravelLeg(*key, leg) for key, leg in measured.items()}
    return changes(tables, found, before)
