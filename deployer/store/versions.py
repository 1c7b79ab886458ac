"""Optimistic version counters: a save names the version it started from, and a newer one is a conflict.

Two planners may open the same person, operation or draft plan. Each save raises the record's
counter with ``UPDATE ... SET version = version + 1 WHERE id = :id AND version = :expected``; when
no row matches, someone saved in between, and the save is refused with who changed what (from
the audit trail) instead of silently overwriting their work. The update also locks the row until
commit, so two saves racing each other are ordered by the database.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import InstrumentedAttribute, Session

from deployer.domain.errors import EditConflict
from deployer.store.repositories.audit import AuditEntry, AuditRepository


def advance(session: Session, counter: InstrumentedAttribute[int], row_id: int, expected: int | None) -> bool:
    """Raise the counter of row ``row_id`` by one if it still is ``expected`` (any, when None)."""
    table = counter.class_
    query = update(table).where(table.id == row_id)
    if expected is not None:
        query = query.where(counter == expected)
    result = session.execute(
        query.values({counter.key: counter + 1}).execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def conflict(audit: AuditRepository, record: str, entity: str, key: str) -> EditConflict:
    """The conflict error for ``record``, naming the newest audited change to it."""
    entry = audit.last_change(entity, key)
    if entry is None:
        return EditConflict(record, "another session", "an unknown time", "")
    return EditConflict(record, entry.actor, f"{entry.at:%H:%M on %d %b %Y} UTC", describe(entry))


def describe(entry: AuditEntry) -> str:
    """What an audited change did, in a few words: the edit's own text or the fields it changed."""
    if ": " in entry.key:
        return entry.key.split(": ", 1)[1]
    if isinstance(entry.before, dict) and isinstance(entry.after, dict):
        changed = [name for name, value in entry.after.items() if entry.before.get(name) != value]
        return "changed " + ", ".join(name.replace("_", " ") for name in changed) if changed else ""
    return {"add": "added it", "remove": "removed it"}.get(entry.action, entry.action)
