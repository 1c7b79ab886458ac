"""Locations and travel: measured legs win, estimates come from coordinates with a road factor."""

import pytest

from deployer.domain.errors import DomainError
from deployer.domain.locations import (
    AVERAGE_SPEED_KMH,
    ROAD_FACTOR,
    Leg,
    Location,
    LocationKind,
    TravelMatrix,
    great_circle_km,
)


def test_great_circle_distance_melbourne_to_geelong_is_about_64_km(places) -> None:  # type: ignore[no-untyped-def]
    melbourne = Location("MEL", "Melbourne", LocationKind.CITY, -37.8136, 144.9631)
    geelong = places[0]
    assert 60 < great_circle_km(melbourne, geelong) < 68


def test_estimate_applies_road_factor_and_average_speed(places) -> None:  # type: ignore[no-untyped-def]
    matrix = TravelMatrix({p.code: p for p in places})
    leg = matrix.leg("STN-GEE", "BAL-MS")
    km = great_circle_km(places[2], places[5]) * ROAD_FACTOR
    assert leg.estimated
    assert leg.km == pytest.approx(km, abs=0.1)
    assert leg.minutes == pytest.approx(km / AVERAGE_SPEED_KMH * 60, abs=1)


def test_measured_leg_wins_and_is_symmetric(places) -> None:  # type: ignore[no-untyped-def]
    matrix = TravelMatrix({p.code: p for p in places}, {("STN-GEE", "BAL-MS"): Leg(95, 88.0)})
    assert matrix.leg("BAL-MS", "STN-GEE") == Leg(95, 88.0)
    assert not matrix.leg("STN-GEE", "BAL-MS").estimated


def test_same_place_is_no_travel(places) -> None:  # type: ignore[no-untyped-def]
    assert TravelMatrix({p.code: p for p in places}).leg("GEE", "GEE") == Leg(0, 0.0)


def test_leg_to_unknown_location_is_refused(places) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match="'NOWHERE' is unknown"):
        TravelMatrix({p.code: p for p in places}, {("GEE", "NOWHERE"): Leg(10, 5.0)})


def test_site_without_city_is_refused() -> None:
    with pytest.raises(DomainError, match="city is required"):
        Location("X", "Somewhere", LocationKind.SITE, -37.0, 145.0)


def test_latitude_off_the_globe_is_refused() -> None:
    with pytest.raises(DomainError, match="latitude"):
        Location("X", "Somewhere", LocationKind.CITY, -137.0, 145.0)
