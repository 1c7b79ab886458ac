"""Reading the register and operations for display."""

from __future__ import annotations

from dataclasses import dataclass

from deployer.domain.catalogue import Catalogue, Skill
from deployer.domain.errors import DomainError
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
    versions: dict[str, int]
    """Each person's version counter as read: a save names it to detect another planner's change."""
    total: int
    """How many people the register holds (more than ``staff`` when only a first page was read)."""

    @property
    def complete(self) -> bool:
        return len(self.staff) >= self.total


FIRST_PAGE = 1_000
"""People read first, so a big register shows at once while the rest is read."""


def load_register(db: Database, first: int | None = None) -> RegisterSnapshot:
    """Read the register in one transaction: everyone, or the first ``first`` by service number."""
    with db.unit_of_work() as uow:
        return RegisterSnapshot(
            staff=uow.staff.all() if first is None else uow.staff.first(first),
            catalogue=uow.catalogue.load(),
            locations={loc.code: loc for loc in uow.locations.all()},
            operations=uow.operations.names(),
            versions=uow.staff.versions(),
            total=uow.staff.count(),
        )


def save_person(db: Database, member: StaffMember, *, new: bool, based_on: int | None = None) -> int:
    """Add a person (``new``) or change one, in one transaction with its audit entry.

    A new person whose service number is taken, or a changed one who is no longer in the
    register, is refused rather than silently merged; so is a change ``based_on`` a version
    another planner has saved over (:class:`EditConflict`). Returns the person's new version.
    """
    with db.unit_of_work() as uow:
        exists = uow.staff.get(member.service_number) is not None
        if new and exists:
            raise DomainError(
                f"staff {member.service_number}", "service number", "is already in the register"
            )
        if not new and not exists:
            raise DomainError(
                f"staff {member.service_number}", "service number", "is no longer in the register"
            )
        uow.staff.save(member, based_on)
        return uow.staff.versions_of([member.service_number])[member.service_number]


def save_skills(db: Database, skills: list[Skill]) -> None:
    """Add new skills and change existing ones (by code), in one transaction."""
    with db.unit_of_work() as uow:
        uow.catalogue.save_skills(skills)
