"""Cities, stations and sites, and travel between them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from deployer.domain.errors import require

#: Road distance is longer than the great-circle distance; 1.3 is the usual circuity factor
#: for regional Australian roads (straight-line km x 1.3 ~ road km).
ROAD_FACTOR = 1.3
#: Average door-to-door speed used when no travel time is known: highway with town sections.
AVERAGE_SPEED_KMH = 80.0
EARTH_RADIUS_KM = 6371.0


class LocationKind(StrEnum):
    """What a location is for."""

    CITY = "city"
    STATION = "station"
    SITE = "site"


class SiteKind(StrEnum):
    """The purpose of a site inside an operation."""

    VENUE = "venue"
    STAGING = "staging area"
    RELIEF = "relief centre"
    COMMAND = "command post"
    CHECKPOINT = "checkpoint"


@dataclass(frozen=True, slots=True)
class Location:
    """A place with coordinates: a city (hub), a station (home base) or a site (workplace)."""

    code: str
    name: str
    kind: LocationKind
    latitude: float
    longitude: float
    region: str = ""
    city: str | None = None
    address: str = ""
    site_kind: SiteKind | None = None

    def __post_init__(self) -> None:
        record = f"location {self.code or self.name!r}"
        require(bool(self.code.strip()), record, "code", "is empty")
        require(bool(self.name.strip()), record, "name", "is empty")
        require(-90.0 <= self.latitude <= 90.0, record, "latitude", f"{self.latitude} is off the globe")
        require(-180.0 <= self.longitude <= 180.0, record, "longitude", f"{self.longitude} is off the globe")
        if self.kind is not LocationKind.CITY:
            require(bool(self.city), record, "city", "is required for stations and sites")


@dataclass(frozen=True, slots=True)
class Leg:
    """Travel one way between two locations."""

    minutes: int
    km: float
    estimated: bool = False


def great_circle_km(a: Location, b: Location) -> float:
    """Haversine distance between two locations in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def estimate_leg(a: Location, b: Location) -> Leg:
    """Road km and minutes estimated from coordinates (``ROAD_FACTOR``, ``AVERAGE_SPEED_KMH``)."""
    km = great_circle_km(a, b) * ROAD_FACTOR
    return Leg(minutes=math.ceil(km / AVERAGE_SPEED_KMH * 60), km=round(km, 1), estimated=True)


class TravelMatrix:
    """Travel between locations: measured legs where known, estimates from coordinates otherwise.

    Measured legs are symmetric unless both directions are given.
    """

    def __init__(self, locations: dict[str, Location], legs: dict[tuple[str, str], Leg] | None = None):
        self.locations = locations
        self._legs: dict[tuple[str, str], Leg] = {}
        for (origin, destination), leg in (legs or {}).items():
            for code in (origin, destination):
                require(
                    code in locations, f"travel {origin} -> {destination}", "location", f"{code!r} is unknown"
                )
            require(
                leg.minutes >= 0 and leg.km >= 0,
                f"travel {origin} -> {destination}",
                "minutes/km",
                "must not be negative",
            )
            self._legs[(origin, destination)] = leg
            self._legs.setdefault((destination, origin), leg)
        self._cache: dict[tuple[str, str], Leg] = {}

    def leg(self, origin: str, destination: str) -> Leg:
        """Travel from ``origin`` to ``destination`` (zero for the same place)."""
        if origin == destination:
            return Leg(0, 0.0)
        key = (origin, destination)
        leg = self._legs.get(key) or self._cache.get(key)
        if leg is None:
            leg = estimate_leg(self.locations[origin], self.locations[destination])
            self._cache[key] = leg
        return leg

    def measured(self) -> dict[tuple[str, str], Leg]:
        """The legs that were given rather than estimated."""
        return dict(self._legs)
