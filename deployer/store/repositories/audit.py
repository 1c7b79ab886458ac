"""The audit trail: every change appended as an entry hash-chained to the one before.

Each entry's hash covers its own content and the previous entry's hash, and a one-row head keeps
the last sequence number and hash: an entry altered, removed from the middle or cut from the end
no longer matches, and ``verify`` says which.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from deployer.domain.codec import canonical_plain, encode
from deployer.store.models import AuditHeadRow, AuditRow

GENESIS = "0" * 64


def entry_hash(prev: str, seq: int, at: datetime, actor: str, action: str, entity: str, key: str,
               before: Any, after: Any) -> str:  # fmt: skip
    """SHA-256 of one entry's content (plain data) chained to ``prev``."""
    content = [prev, seq, at.astimezone(UTC).isoformat(), actor, action, entity, key, before, after]
    return hashlib.sha256(canonical_plain(content)).hexdigest()


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    entity: str
    key: str
    before: Any
    after: Any


class AuditRepository:
    """Appends to and checks the trail; ``actor`` is who the unit of work acts for."""

    def __init__(self, session: Session, actor: str) -> None:
        self.session = session
        self.actor = actor

    def record(self, action: str, entity: str, key: str, before: Any = None, after: Any = None) -> None:
        """Append one entry (domain records are encoded as plain data)."""
        head = self.session.scalars(select(AuditHeadRow).with_for_update()).first()
        if head is None:
            head = AuditHeadRow(id=1, seq=0, hash=GENESIS)
            self.session.add(head)
        at = datetime.now(UTC).replace(microsecond=0)
        before, after = encode(before), encode(after)
        seq = head.seq + 1
        digest = entry_hash(head.hash, seq, at, self.actor, action, entity, key[:200], before, after)
        self.session.add(
            AuditRow(
                seq=seq,
                at=at,
                actor=self.actor,
                action=action,
                entity=entity,
                key=key[:200],
                before=before,
                after=after,
                prev_hash=head.hash,
                hash=digest,
            )
        )
        head.seq, head.hash = seq, digest
        self.session.flush()

    def entries(self, entity: str | None = None) -> list[AuditEntry]:
        """The trail in order, optionally for one kind of record."""
        query = select(AuditRow).order_by(AuditRow.seq)
        if entity is not None:
            query = query.where(AuditRow.entity == entity)
        return [
            AuditEntry(r.seq, r.at, r.actor, r.action, r.entity, r.key, r.before, r.after)
            for r in self.session.scalars(query)
        ]

    def last_change(self, entity: str, key: str) -> AuditEntry | None:
        """The newest entry about record ``key`` of ``entity`` (an edit's key is ``key: what it did``)."""
        row = self.session.scalars(
            select(AuditRow)
            .where(
                AuditRow.entity == entity,
                (AuditRow.key == key) | AuditRow.key.startswith(key + ": ", autoescape=True),
            )
            .order_by(AuditRow.seq.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        return AuditEntry(row.seq, row.at, row.actor, row.action, row.entity, row.key, row.before, row.after)

    def verify(self) -> list[str]:
        """Every break in the chain, in words; empty when the trail is intact."""
        problems = []
        prev, expected = GENESIS, 1
        for row in self.session.scalars(select(AuditRow).order_by(AuditRow.seq)):
            if row.seq != expected:
                problems.append(f"entries {expected} to {row.seq - 1} are missing")
            elif row.prev_hash != prev:
                problems.append(f"entry {row.seq} does not follow entry {row.seq - 1}")
            content = (row.seq, row.at, row.actor, row.action, row.entity, row.key, row.before, row.after)
            if entry_hash(row.prev_hash, *content) != row.hash:
                problems.append(f"entry {row.seq} ({row.action} {row.entity} {row.key}) was altered")
            prev, expected = row.hash, row.seq + 1
        head = self.session.get(AuditHeadRow, 1)
        last = expected - 1
        if head is not None and (head.seq != last or head.hash != prev):
            if head.seq > last:
                problems.append(f"entries {last + 1} to {head.seq} were removed from the end")
            else:
                problems.append("the trail's head does not match its last entry")
        return problems
