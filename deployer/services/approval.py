"""Offline approval: submit a plan, export it as a bundle, review and sign a decision on a laptop
with no database, and import that decision only when every check passes.

Each check a decision must pass gives its own reason when it fails, and every decision offered
is recorded (accepted or not) in the decisions table and the audit trail.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from deployer.domain.approval import Decision, PlanDiff, Role, Verdict, plan_diff, plan_digest
from deployer.domain.errors import DomainError
from deployer.domain.roster import Plan, PlanStatus
from deployer.domain.roster_lines import coverage_lines
from deployer.domain.scoring import score
from deployer.domain.validator import Breach, validate
from deployer.interchange.bundle import (
    Bundle,
    FileRefused,
    SignedDecision,
    read_bundle,
    read_decision,
    write_bundle,
    write_decision,
)
from deployer.interchange.signing import KeyFileError, load_key, new_key, read_public, verify
from deployer.services.rostering import load_problem
from deployer.store.database import Database
from deployer.store.repositories.approvals import RegisteredKey

__all__ = [
    "DecisionRefused",
    "FileRefused",
    "KeyFileError",
    "Review",
    "decide",
    "export_bundle",
    "import_decision",
    "new_key",
    "new_version",
    "register_key",
    "review_bundle",
    "submit_plan",
]


class DecisionRefused(Exception):
    """A decision that was not accepted; the message says why (it is recorded too)."""


def submit_plan(db: Database, plan_id: int) -> Plan:
    """Freeze a draft for approval: from now on only its status can change."""
    with db.unit_of_work() as uow:
        return uow.plans.set_status(plan_id, PlanStatus.SUBMITTED)


def new_version(db: Database, plan_id: int, note: str = "") -> int:
    """A new draft with the assignments of ``plan_id``: how a frozen plan is changed."""
    with db.unit_of_work() as uow:
        plan = uow.plans.get(plan_id)
        version = uow.plans.next_version(plan.operation)
        draft = replace(
            plan,
            version=version,
            status=PlanStatus.DRAFT,
            note=note or f"From version {plan.version}",
            created_at=datetime.now(UTC),
            created_by=db.actor,
        )
        return uow.plans.add(draft)


def register_key(db: Database, public_file: Path) -> RegisteredKey:
    """Register the public key of a planner or commander from their ``.pub`` file."""
    public = read_public(public_file)
    key = RegisteredKey(public.name, public.role, public.public_key, public.fingerprint)
    with db.unit_of_work() as uow:
        uow.approvals.register_key(key)
    return key


def _findings(breaches: list[Breach]) -> list[dict[str, Any]]:
    return [
        {
            "rule": b.rule,
            "message": b.message,
            "service_number": b.service_number,
            "day": b.day.isoformat() if b.day else None,
            "soft": b.soft,
            "shortfall": b.is_shortfall,
        }
        for b in breaches
    ]


def export_bundle(db: Database, plan_id: int, out: Path) -> Bundle:
    """Write the approval bundle of a submitted plan."""
    with db.unit_of_work() as uow:
        plan = uow.plans.get(plan_id)
        if plan.status is not PlanStatus.SUBMITTED:
            raise DomainError(f"plan {plan_id}", "status", f"is {plan.status}; submit it before export")
        problem = load_problem(uow, plan.operation)
        approved = [
            p
            for p in uow.plans.list(plan.operation)
            if p.status is PlanStatus.APPROVED and p.version < plan.version
        ]
        previous = uow.plans.get(max(approved, key=lambda p: p.version).id) if approved else None
    breaches = validate(problem, plan.assignments)
    bundle = Bundle(
        plan_id=plan_id,
        digest=plan_digest(plan, problem.operation),
        plan=plan,
        problem=problem,
        previous=previous,
        findings=_findings(breaches),
        summary=_summary(problem, plan),
        exported_by=db.actor,
        exported_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    write_bundle(bundle, out)
    return bundle


def _summary(problem: Any, plan: Plan) -> dict[str, Any]:
    scored = score(problem, plan.assignments)
    coverage = coverage_lines(problem, plan.assignments)
    return {
        "assignments": len(plan.assignments),
        "people": len({a.service_number for a in plan.assignments}),
        "required": sum(c.required for c in coverage),
        "filled": sum(min(c.filled, c.required) for c in coverage),
        "short": sum(c.short for c in coverage),
        "objective": scored.total,
        "terms": scored.terms,
    }


@dataclass(frozen=True)
class Review:
    """What a commander sees: the bundle, checked again from its own contents."""

    bundle: Bundle
    findings: list[dict[str, Any]]
    """Recomputed by this application's validator, not taken from the file."""
    summary: dict[str, Any]
    diff: PlanDiff | None
    tampering: list[str]
    """Signs the bundle was edited after export; a bundle with any cannot be decided."""

    @property
    def hard_findings(self) -> list[dict[str, Any]]:
        return [f for f in self.findings if not f["soft"] and not f["shortfall"]]


def review_bundle(path: Path) -> Review:
    """Open a bundle without any database and check it independently."""
    bundle = read_bundle(path)
    problem, plan = bundle.problem, bundle.plan
    tampering = []
    if plan_digest(plan, problem.operation) != bundle.digest:
        tampering.append("the plan, its shifts or its rules do not match the bundle's digest")
    findings = _findings(validate(problem, plan.assignments))
    if findings != bundle.findings:
        tampering.append("the list of rule breaches in the file differs from the validator's")
    summary = _summary(problem, plan)
    if summary != bundle.summary:
        tampering.append("the summary figures in the file differ from the roster's")
    diff = plan_diff(bundle.previous, plan) if bundle.previous else None
    return Review(bundle, findings, summary, diff, tampering)


def decide(
    bundle_path: Path, key_path: Path, passphrase: str, verdict: Verdict, comment: str, out: Path
) -> Decision:
    """Sign a commander's decision on a bundle and write the decision file."""
    review = review_bundle(bundle_path)
    if review.tampering:
        raise DomainError(
            bundle_path.name, "content", "was edited after export: " + "; ".join(review.tampering)
        )
    if verdict is Verdict.REJECT and not comment.strip():
        raise DomainError("decision", "comment", "is required to reject a plan")
    key = load_key(key_path, passphrase)
    if key.public.role is not Role.COMMANDER:
        raise DomainError(key_path.name, "role", f"is {key.public.role}; only a commander can decide")
    bundle = review.bundle
    decision = Decision(
        plan_id=bundle.plan_id,
        operation=bundle.plan.operation,
        version=bundle.plan.version,
        digest=bundle.digest,
        verdict=verdict,
        comment=comment,
        signer=key.public.name,
        fingerprint=key.public.fingerprint,
        signed_at=datetime.now(UTC).replace(microsecond=0),
        nonce=secrets.token_hex(16),
    )
    signed = SignedDecision(decision, "")
    write_decision(replace(signed, signature=key.sign(signed.payload)), out)
    return decision


def import_decision(db: Database, path: Path) -> Plan:
    """Apply a signed decision; raises DecisionRefused (recorded) unless every check passes."""
    try:
        signed = read_decision(path)
    except FileRefused as refused:
        with db.unit_of_work() as uow:
            uow.audit.record("refuse decision", "approval", path.name[:200], after={"reason": str(refused)})
        raise DecisionRefused(str(refused)) from None
    decision = signed.decision
    with db.unit_of_work() as uow:
        reason, plan_exists = _refusal(uow, signed)
        uow.approvals.record(decision, plan_exists, accepted=reason is None, reason=reason or "accepted")
        if reason is None:
            return _apply(uow, decision)
    raise DecisionRefused(reason)


def _refusal(uow: Any, signed: SignedDecision) -> tuple[str | None, bool]:
    """Why the decision cannot be accepted (None when it can), and whether its plan exists."""
    d = signed.decision
    key = uow.approvals.key(d.fingerprint)
    if key is None:
        return f"signed with a key that is not registered (fingerprint {d.fingerprint[:16]}…)", False
    if not verify(key.public_key, signed.payload, signed.signature):
        return "the signature does not verify: the decision was edited or signed with another key", False
    if key.role is not Role.COMMANDER:
        return f"signed by {key.name}, who is registered as a {key.role}, not a commander", False
    if d.signer != key.name:
        return f"the signer's name ({d.signer}) is not the registered key's ({key.name})", False
    try:
        plan = uow.plans.get(d.plan_id)
    except DomainError:
        return f"plan {d.plan_id} does not exist in this database", False
    if (plan.operation, plan.version) != (d.operation, d.version):
        return f"the decision is for {d.operation} v{d.version}, not {plan.operation} v{plan.version}", True
    if uow.approvals.nonce_used(d.nonce):
        return "this decision was imported before (a replayed decision)", True
    if plan_digest(plan, uow.operations.get(plan.operation)) != d.digest:
        return (
            f"the signed content does not match {plan.operation} v{plan.version} as stored "
            "(the bundle was edited, or the plan's shifts or rules changed since)",
            True,
        )
    if plan.status is not PlanStatus.SUBMITTED:
        return f"{plan.operation} v{plan.version} is {plan.status}, not awaiting a decision", True
    return None, True


def _apply(uow: Any, decision: Decision) -> Plan:
    if decision.verdict is Verdict.REJECT:
        return uow.plans.set_status(decision.plan_id, PlanStatus.REJECTED)  # type: ignore[no-any-return]
    for other in uow.plans.list(decision.operation):
        if other.status is PlanStatus.APPROVED:
            uow.plans.set_status(other.id, PlanStatus.SUPERSEDED)
    return uow.plans.set_status(decision.plan_id, PlanStatus.APPROVED)  # type: ignore[no-any-return]
