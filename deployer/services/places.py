"""Locations and the travel between them, for viewing and for correcting by hand."""

from __future__ import annotations

from deployer.domain.locations import Leg, TravelMatrix
from deployer.store.database import Database


def load_travel(db: Database) -> TravelMatrix:
    """Every location with measured legs, and estimates from coordinates for the rest."""
    with db.unit_of_work() as uow:
        return uow.locations.travel_matrix()


def set_leg(db: Database, origin: str, destination: str, minutes: int, km: float) -> Leg:
    """Record a measured leg (it then replaces the estimate, in that direction and, unless measured
    separately, the other); audited like every change."""
    leg = Leg(minutes, km)
    with db.unit_of_work() as uow:
        uow.locations.set_legs({(origin, destination): leg})
    return leg
