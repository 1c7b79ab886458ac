"""A unit of work: one session, one transaction, repositories over it."""

from __future__ import annotations

from functools import cached_property
from types import TracebackType

from sqlalchemy.orm import Session

from deployer.store.repositories.catalogue import CatalogueRepository
from deployer.store.repositories.locations import LocationRepository
from deployer.store.repositories.operations import OperationRepository
from deployer.store.repositories.plans import PlanRepository
from deployer.store.repositories.staff import StaffRepository


class UnitOfWork:
    """Everything done inside ``with db.unit_of_work() as uow:`` commits together or not at all."""

    def __init__(self, session: Session) -> None:
        self.session = session

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
        finally:
            self.session.close()

    @cached_property
    def catalogue(self) -> CatalogueRepository:
        return CatalogueRepository(self.session)

    @cached_property
    def locations(self) -> LocationRepository:
        return LocationRepository(self.session)

    @cached_property
    def staff(self) -> StaffRepository:
        return StaffRepository(self.session, self.catalogue, self.locations)

    @cached_property
    def operations(self) -> OperationRepository:
        return OperationRepository(self.session, self.catalogue, self.locations)

    @cached_property
    def plans(self) -> PlanRepository:
        return PlanRepository(self.session, self.operations, self.staff)
