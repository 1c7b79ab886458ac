"""Approving plans: the lifecycle, what a signature covers, and how two versions differ.

A commander's signature covers the plan's *digest*: a hash of the operation's name, the plan
version, its assignments, the shifts with their demand, and the fatigue policy the roster was
checked against. Any change to any of these after the bundle was made gives another digest, so
the decision no longer applies.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from deployer.domain.codec import canonical
from deployer.domain.errors import DomainError
from deployer.domain.operations import Operation
from deployer.domain.roster import Assignment, Plan, PlanStatus

TRANSITIONS: dict[PlanStatus, frozenset[PlanStatus]] = {
    PlanStatus.DRAFT: frozenset({PlanStatus.SUBMITTED}),
    PlanStatus.SUBMITTED: frozenset({PlanStatus.APPROVED, PlanStatus.REJECTED, PlanStatus.SUPERSEDED}),
    PlanStatus.APPROVED: frozenset({PlanStatus.SUPERSEDED}),
    PlanStatus.REJECTED: frozenset(),
    PlanStatus.SUPERSEDED: frozenset(),
}
"""The only status changes allowed; the store's triggers enforce the same table."""


def check_transition(plan: Plan, to: PlanStatus) -> None:
    """Refuse a status change the lifecycle does not allow, saying why."""
    if to not in TRANSITIONS[plan.status]:
        raise DomainError(
            f"plan {plan.operation!r} v{plan.version}", "status", f"cannot go from {plan.status} to {to}"
        )


class Role(StrEnum):
    PLANNER = "planner"
    COMMANDER = "commander"


class Verdict(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


def plan_digest(plan: Plan, operation: Operation) -> str:
    """SHA-256 (hex) of everything a decision about ``plan`` speaks for (see module docstring)."""
    content = {
        "operation": operation.name,
        "version": plan.version,
        "assignments": sorted([a.shift_key, a.service_number, a.line, a.pinned] for a in plan.assignments),
        "shifts": operation.shifts,
        "policy": operation.policy.to_dict(),
    }
    return hashlib.sha256(canonical(content)).hexdigest()


@dataclass(frozen=True)
class Decision:
    """What a commander signs: which plan version (by digest), the verdict and why."""

    plan_id: int
    operation: str
    version: int
    digest: str
    verdict: Verdict
    comment: str
    signer: str
    fingerprint: str
    signed_at: datetime
    nonce: str


@dataclass(frozen=True)
class PlanDiff:
    """How a newer version differs from an older one."""

    added: tuple[Assignment, ...]
    removed: tuple[Assignment, ...]
    moved: tuple[str, ...]
    """Service numbers of people whose shifts changed."""
    coverage: tuple[tuple[str, int, int], ...]
    """(shift key, people before, people after) where the head count changed."""


def plan_diff(older: Plan, newer: Plan) -> PlanDiff:
    """Who moved where between two versions, and the coverage change shift by shift."""
    before = {(a.shift_key, a.service_number) for a in older.assignments}
    after = {(a.shift_key, a.service_number) for a in newer.assignments}
    added = tuple(a for a in newer.assignments if (a.shift_key, a.service_number) not in before)
    removed = tuple(a for a in older.assignments if (a.shift_key, a.service_number) not in after)
    moved = tuple(sorted({a.service_number for a in added + removed}))
    old_count = Counter(a.shift_key for a in older.assignments)
    new_count = Counter(a.shift_key for a in newer.assignments)
    coverage = tuple(
        (key, old_count[key], new_count[key])
        for key in sorted(set(old_count) | set(new_count))
        if old_count[key] != new_count[key]
    )
    return PlanDiff(added, removed, moved, coverage)
