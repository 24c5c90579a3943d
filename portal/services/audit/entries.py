"""Appending to the audit trail: a plain insert in the caller's transaction.

No lock and no read of an earlier row: the entry's content hash covers the entry alone,
and its place in the log is given later by the sequencer. Rows written before the log
became a Merkle tree (migration 0006a) keep their old canonical form, which also covered
their sequence number and the hash of the row before them.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any, Protocol

from sqlmodel import Session

from portal.models import AuditEvent
from portal.models.base import utcnow

#: The `prev_hash` of the first row of the old hash chain.
GENESIS_HASH = "0" * 64


class EntryFields(Protocol):
    log_index: int | None
    at: datetime
    actor: str
    on_behalf_of: str | None
    action: str
    subject: str | None
    reason: str | None
    details: dict[str, Any]
    prev_hash: str | None


def canonical_text(entry: EntryFields) -> str:
    """The exact text whose SHA-256 is the entry hash (and the Merkle leaf's data).

    Sorted keys, no spaces, UTF-8, the time in ISO 8601 with microseconds. This is what
    a subject access export hands out, so a person can hash it themselves.
    """
    fields: dict[str, Any] = {
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "on_behalf_of": entry.on_behalf_of,
        "action": entry.action,
        "subject": entry.subject,
        "reason": entry.reason,
        "details": entry.details,
    }
    if entry.prev_hash is not None:  # a row of the old chain: its number and link count
        fields["seq"] = None if entry.log_index is None else entry.log_index + 1
        fields["prev_hash"] = entry.prev_hash
    return json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def entry_hash(entry: EntryFields) -> str:
    return hashlib.sha256(canonical_text(entry).encode()).hexdigest()


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    subject: str | None = None,
    on_behalf_of: str | None = None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an event in the caller's transaction (it commits or rolls back with it).

    `details` must hold identifiers and codes only: never names, numbers or message text.
    """
    event = AuditEvent(
        at=utcnow(),
        actor=actor,
        on_behalf_of=on_behalf_of,
        action=action,
        subject=subject,
        reason=reason,
        details=json.loads(json.dumps(details or {}, default=str)),
        entry_hash="",
    )
    event.entry_hash = entry_hash(event)
    session.add(event)
    session.flush()
    return event
