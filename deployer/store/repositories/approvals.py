"""Registered signing keys and the decisions offered for import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from deployer.domain.approval import Decision, Role
from deployer.domain.errors import DomainError
from deployer.store.models import DecisionRow, SigningKeyRow
from deployer.store.repositories.audit import AuditRepository


@dataclass(frozen=True)
class RegisteredKey:
    name: str
    role: Role
    public_key: str
    fingerprint: str


class ApprovalRepository:
    """Who may sign, and every decision received with its outcome."""

    def __init__(self, session: Session, audit: AuditRepository) -> None:
        self.session = session
        self.audit = audit

    def register_key(self, key: RegisteredKey) -> None:
        """Register a planner's or commander's public key (each key once)."""
        if self.key(key.fingerprint) is not None:
            raise DomainError(f"key {key.fingerprint}", "fingerprint", "is already registered")
        self.session.add(
            SigningKeyRow(
                name=key.name,
                role=key.role.value,
                public_key=key.public_key,
                fingerprint=key.fingerprint,
                registered_at=datetime.now(UTC),
            )
        )
        self.session.flush()
        self.audit.record("register", "key", f"{key.name} ({key.role})", after=key)

    def key(self, fingerprint: str) -> RegisteredKey | None:
        row = self.session.scalar(select(SigningKeyRow).where(SigningKeyRow.fingerprint == fingerprint))
        return (
            None if row is None else RegisteredKey(row.name, Role(row.role), row.public_key, row.fingerprint)
        )

    def keys(self) -> list[RegisteredKey]:
        rows = self.session.scalars(select(SigningKeyRow).order_by(SigningKeyRow.name))
        return [RegisteredKey(r.name, Role(r.role), r.public_key, r.fingerprint) for r in rows]

    def accepted(self, plan_id: int) -> str:
        """Who decided the plan and when, in words (empty when no decision was accepted)."""
        row = self.session.scalar(
            select(DecisionRow)
            .where(DecisionRow.plan_id == plan_id, DecisionRow.accepted.is_(True))
            .order_by(DecisionRow.id.desc())
        )
        if row is None:
            return ""
        when = f"{row.signed_at:%Y-%m-%d %H:%M} UTC" if row.signed_at else "(undated)"
        verdict = "approved" if row.verdict == "approve" else "rejected"
        comment = f" — {row.comment}" if row.comment else ""
        return f"{verdict} by {row.signer} on {when}, signature verified{comment}"

    def nonce_used(self, nonce: str) -> bool:
        """True when a decision with this nonce was already accepted."""
        query = select(DecisionRow.id).where(DecisionRow.nonce == nonce, DecisionRow.accepted.is_(True))
        return self.session.scalar(query) is not None

    def record(self, decision: Decision, plan_exists: bool, accepted: bool, reason: str) -> None:
        """Keep a decision offered for import, whatever the outcome, and put it in the trail."""
        self.session.add(
            DecisionRow(
                plan_id=decision.plan_id if plan_exists else None,
                verdict=decision.verdict.value,
                comment=decision.comment,
                signer=decision.signer,
                fingerprint=decision.fingerprint,
                signed_at=decision.signed_at,
                nonce=decision.nonce,
                digest=decision.digest,
                accepted=accepted,
                reason=reason,
                received_at=datetime.now(UTC),
            )
        )
        self.session.flush()
        action = "accept decision" if accepted else "refuse decision"
        key = f"{decision.operation} v{decision.version} (id {decision.plan_id})"
        self.audit.record(action, "approval", key, after={"decision": decision, "reason": reason})
