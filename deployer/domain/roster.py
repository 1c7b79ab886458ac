"""Plans (roster versions of an operation) and their assignments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from deployer.domain.errors import require


class PlanStatus(StrEnum):
    """Where a plan version stands in the approval lifecycle."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"


@dataclass(frozen=True, slots=True)
class Assignment:
    """One person on one shift, filling one of its demand lines (by position, from 0)."""

    shift_key: str
    service_number: str
    line: int = 0
    pinned: bool = False


@dataclass(frozen=True)
class Plan:
    """A roster version for an operation."""

    operation: str
    version: int
    assignments: tuple[Assignment, ...] = ()
    status: PlanStatus = PlanStatus.DRAFT
    note: str = ""
    created_at: datetime | None = None
    created_by: str = ""

    def __post_init__(self) -> None:
        record = f"plan {self.operation!r} v{self.version}"
        require(self.version >= 1, record, "version", "must be 1 or more")
        seen: set[tuple[str, str]] = set()
        for a in self.assignments:
            key = (a.shift_key, a.service_number)
            require(
                key not in seen, record, f"assignment {a.service_number} on {a.shift_key}", "appears twice"
            )
            require(a.line >= 0, record, f"assignment {a.service_number} line", "is negative")
            seen.add(key)
