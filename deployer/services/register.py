"""Reading the register and operations for display."""

from __future__ import annotations

from dataclasses import dataclass

from deployer.domain.catalogue import Catalogue
from deployer.domain.locations import Location
from deployer.domain.staff import StaffMember
from deployer.store.database import Database


@dataclass(frozen=True)
class RegisterSnapshot:
    """The register as one consistent read: staff, catalogue and locations."""

    staff: list[StaffMember]
    catalogue: Catalogue
    locations: dict[str, Location]
    operations: list[str]


def load_register(db: Database) -> RegisterSnapshot:
    """Read the whole register in one transaction."""
    with db.unit_of_work() as uow:
        return RegisterSnapshot(
            staff=uow.staff.all(),
            catalogue=uow.catalogue.load(),
            locations={loc.code: loc for loc in uow.locations.all()},
            operations=uow.operations.names(),
        )
