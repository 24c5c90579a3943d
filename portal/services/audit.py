"""The audit trail: append-only, hash-chained events.

Each event stores the hash of the one before it and a gap-free sequence number, so
editing a past row breaks its own hash, and deleting one breaks the chain or leaves a
missing number. `verify` walks the chain and reports the first broken link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from portal.models import AuditEvent
from portal.models.base import utcnow

GENESIS_HASH = "0" * 64
_HASHED_FIELDS = (
    "seq",
    "at",
    "actor",
    "on_behalf_of",
    "action",
    "subject",
    "reason",
    "details",
    "prev_hash",
)
_CHAIN_LOCK_ID = 741_001  # PostgreSQL advisory lock that serialises appends


def _digest(
    *,
    seq: int,
    at: datetime,
    actor: str,
    on_behalf_of: str | None,
    action: str,
    subject: str | None,
    reason: str | None,
    details: dict[str, Any],
    prev_hash: str,
) -> str:
    canonical = json.dumps(
        {
            "seq": seq,
            "at": at.isoformat(timespec="microseconds"),
            "actor": actor,
            "on_behalf_of": on_behalf_of,
            "action": action,
            "subject": subject,
            "reason": reason,
            "details": details,
            "prev_hash": prev_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


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
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK_ID})
    last = session.exec(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).first()
    seq = (last.seq + 1) if last else 1
    prev_hash = last.hash if last else GENESIS_HASH
    fields = {
        "seq": seq,
        "at": utcnow(),
        "actor": actor,
        "on_behalf_of": on_behalf_of,
        "action": action,
        "subject": subject,
        "reason": reason,
        "details": json.loads(json.dumps(details or {}, default=str)),
        "prev_hash": prev_hash,
    }
    event = AuditEvent(**fields, hash=_digest(**fields))
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at_seq: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_at_seq is None


def _events_in_order(session: Session, batch: int = 1000) -> Iterator[AuditEvent]:
    last_seq = 0
    while True:
        rows = session.exec(
            select(AuditEvent)
            .where(AuditEvent.seq > last_seq)
            .order_by(AuditEvent.seq)
            .limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last_seq = rows[-1].seq


def verify(session: Session) -> ChainReport:
    """Walk the whole chain; report the first row that was edited, removed or reordered."""
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    for event in _events_in_order(session):
        if event.seq != expected_seq:
            return ChainReport(checked, expected_seq, f"event {expected_seq} is missing")
        if event.prev_hash != prev_hash:
            return ChainReport(checked, event.seq, "does not follow the event before it")
        recomputed = _digest(**{name: getattr(event, name) for name in _HASHED_FIELDS})
        if recomputed != event.hash:
            return ChainReport(checked, event.seq, "its content was changed after it was written")
        prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    return ChainReport(checked)


def trail_for(session: Session, subject: str, limit: int = 200) -> list[AuditEvent]:
    return list(
        session.exec(
            select(AuditEvent)
            .where(AuditEvent.subject == subject)
            .order_by(AuditEvent.seq.desc())
            .limit(limit)
        ).all()
    )
