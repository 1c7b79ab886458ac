"""A unit of work: one session, one transaction, repositories over it."""

from __future__ import annotations

from functools import cached_property
from types import TracebackType

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from deployer.domain.errors import DomainError
from deployer.store.repositories.approvals import ApprovalRepository
from deployer.store.repositories.audit import AuditRepository
from deployer.store.repositories.catalogue import CatalogueRepository
from deployer.store.repositories.checkpoints import CheckpointRepository
from deployer.store.repositories.locations import LocationRepository
from deployer.store.repositories.operations import OperationRepository
from deployer.store.repositories.plans import PlanRepository
from deployer.store.repositories.staff import StaffRepository


class UnitOfWork:
    """Everything done inside ``with db.unit_of_work() as uow:`` commits together or not at all."""

    def __init__(self, session: Session, actor: str = "") -> None:
        self.session = session
        self.actor = actor

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                self.session.commit()
            else:
                self.session.rollback()
        except OperationalError as error:
            self.session.rollback()
            _raise_if_full(error)
            raise
        finally:
            self.session.close()
        if isinstance(exc, OperationalError):
            _raise_if_full(exc)

    @cached_property
    def audit(self) -> AuditRepository:
        return AuditRepository(self.session, self.actor)

    @cached_property
    def catalogue(self) -> CatalogueRepository:
        return CatalogueRepository(self.session, self.audit)

    @cached_property
    def locations(self) -> LocationRepository:
        return LocationRepository(self.session, self.audit)

    @cached_property
    def staff(self) -> StaffRepository:
        return StaffRepository(self.session, self.catalogue, self.locations, self.audit)

    @cached_property
    def operations(self) -> OperationRepository:
        return OperationRepository(self.session, self.catalogue, self.locations, self.audit)

    @cached_property
    def plans(self) -> PlanRepository:
        return PlanRepository(self.session, self.operations, self.staff, self.audit)

    @cached_property
    def approvals(self) -> ApprovalRepository:
        return ApprovalRepository(self.session, self.audit)

    @cached_property
    def checkpoints(self) -> CheckpointRepository:
        return CheckpointRepository(self.session, self.operations, self.audit)


SQLITE_FULL = "SQLITE_FULL"
POSTGRES_DISK_FULL = "53100"


def _raise_if_full(error: OperationalError) -> None:
    """Say in words that the disk (or the database's size limit) is full; the change was rolled back."""
    cause = error.orig
    if (
        getattr(cause, "sqlite_errorname", "") == SQLITE_FULL
        or getattr(cause, "sqlstate", "") == POSTGRES_DISK_FULL
    ):
        raise DomainError(
            "database",
            "save",
            "failed: the disk is full. Nothing of this change was saved and everything saved before is"
            " intact; free some space and try again.",
        ) from error
