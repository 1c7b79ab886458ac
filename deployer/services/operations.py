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


@dataclass(frozen=True)
class StoredOperation:
    """An operation as read, with the version counter a later save names."""

    operation: Operation
    version: int


def load_operation(db: Database, name: str) -> StoredOperation:
    with db.unit_of_work() as uow:
        return StoredOperation(uow.operations.get(name), uow.operations.version(name))


def save_operation(db: Database, operation: Operation, *, new: bool, based_on: int | None = None) -> int:
    """Store a new operation, or make a stored one what ``operation`` says, in one transaction.

    A change ``based_on`` a version another planner has saved over is refused with
    :class:`EditConflict`. Returns the operation's new version.
    """
    with db.unit_of_work() as uow:
        if new:
            uow.operations.add(operation)
        else:
            uow.operations.save(operation, based_on)
        return uow.operations.version(operation.name)
