"""Creating and changing operations: details, places, shift templates, demand and fatigue policy."""

from __future__ import annotations

from dataclasses import dataclass

from deployer.domain.catalogue import Catalogue
from deployer.domain.locations import Location
from deployer.domain.operations import Operation
from deployer.store.database import Database


@dataclass(frozen=True)
class OperationContext:
    """What the operation editor offers: places to choose and the catalogue for demand lines."""

    locations: dict[str, Location]
    catalogue: Catalogue


def load_context(db: Database) -> OperationContext:
    with db.unit_of_work() as uow:
        return OperationContext({loc.code: loc for loc in uow.locations.all()}, uow.catalogue.load())


def load_operation(db: Database, name: str) -> Operation:
    with db.unit_of_work() as uow:
        return uow.operations.get(name)


def save_operation(db: Database, operation: Operation, *, new: bool) -> None:
    """Store a new operation, or make a stored one what ``operation`` says, in one transaction."""
    with db.unit_of_work() as uow:
        if new:
            uow.operations.add(operation)
        else:
            uow.operations.save(operation)
