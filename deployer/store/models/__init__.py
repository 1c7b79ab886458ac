"""ORM rows, split by area; importing this package registers every table on ``Base.metadata``."""

from deployer.store.models.approval import AuditHeadRow, AuditRow, DecisionRow, SigningKeyRow
from deployer.store.models.base import Base
from deployer.store.models.catalogue import AgencyRow, RankRow, SkillRow
from deployer.store.models.locations import LocationRow, TravelLegRow
from deployer.store.models.operations import (
    DemandLineRow,
    DemandSkillRow,
    OperationRow,
    OperationSiteRow,
    PolicyRow,
    ShiftRow,
)
from deployer.store.models.plans import AssignmentRow, PlanRow, SolveCheckpointRow
from deployer.store.models.staff import AbsenceRow, QualificationRow, StaffRequestRow, StaffRow

__all__ = [
    "AbsenceRow",
    "AgencyRow",
    "AssignmentRow",
    "AuditHeadRow",
    "AuditRow",
    "Base",
    "DecisionRow",
    "DemandLineRow",
    "DemandSkillRow",
    "LocationRow",
    "OperationRow",
    "OperationSiteRow",
    "PlanRow",
    "PolicyRow",
    "QualificationRow",
    "RankRow",
    "ShiftRow",
    "SigningKeyRow",
    "SkillRow",
    "SolveCheckpointRow",
    "StaffRequestRow",
    "StaffRow",
    "TravelLegRow",
]
