"""The sequencer: gives committed entries their place in the log and signs a checkpoint.

It runs in the scheduler about once a second. Each batch is one transaction: it takes
committed entries that have no log index yet, oldest insert first, appends their hashes
to the Merkle tree, stores the few inner hashes that proofs need, and signs a checkpoint.
If the process dies mid-batch the transaction rolls back and the same entries are taken
by the next run, so nothing is lost and nothing is sequenced twice. On PostgreSQL an
advisory lock, held only for the batch, lets exactly one sequencer run; the unique
log index and tree size refuse a second one on any database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from portal.models import AuditCheckpoint, AuditEvent, AuditNode

from .merkle import Frontier, leaf_hash
from .notes import Checkpoint, SigningKey

SEQUENCER_LOCK_ID = 741_002
#: Inner hashes are kept for subtrees of 2^8, 2^16, 2^24... leaves.
NODE_STRIDE = 8

_events = AuditEvent.__table__


class AuditLogCorrupt(RuntimeError):
    """The stored tree cannot be extended (run `flask audit verify` to see why)."""


@dataclass(frozen=True)
class BatchResult:
    sequenced: int
    tree_size: int
    #: The signed note of the new checkpoint, to hand to the witnesses after commit.
    note: str | None = None
    #: Another sequencer held the lock: this one did nothing.
    busy: bool = False


def _take_lock(session: Session) -> bool:
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(
        session.execute(
            sa.text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": SEQUENCER_LOCK_ID}
        ).scalar()
    )


def latest_checkpoint(session: Session) -> AuditCheckpoint | None:
    return session.exec(
        select(AuditCheckpoint).order_by(AuditCheckpoint.tree_size.desc()).limit(1)
    ).first()


def sequence_batch(
    session: Session, key: SigningKey, *, now: datetime, batch_size: int = 5000
) -> BatchResult:
    """Sequence up to `batch_size` entries in the caller's transaction (commit it, then
    export `note` to the witnesses)."""
    if not _take_lock(session):
        return BatchResult(0, 0, busy=True)
    latest = latest_checkpoint(session)
    frontier = (
        Frontier(latest.tree_size, [bytes.fromhex(h) for h in latest.frontier])
        if latest
        else Frontier()
    )
    signed_size = frontier.size
    nodes: list[dict] = []
    # Entries that already have an index but no checkpoint yet: the rows of the old
    # hash chain, numbered by migration 0006a. They go first, in their old order.
    for index, digest in session.execute(
        sa.select(_events.c.log_index, _events.c.entry_hash)
        .where(_events.c.log_index >= frontier.size)
        .order_by(_events.c.log_index)
    ):
        if index != frontier.size:
            raise AuditLogCorrupt(f"log index {frontier.size} is missing")
        nodes += _append(frontier, digest)
    rows = session.execute(
        sa.select(_events.c.id, _events.c.entry_hash)
        .where(_events.c.log_index.is_(None))
        .order_by(_events.c.id)
        .limit(batch_size)
    ).all()
    updates = []
    for row_id, digest in rows:
        updates.append({"b_id": row_id, "b_index": frontier.size})
        nodes += _append(frontier, digest)
    if frontier.size == signed_size:
        return BatchResult(0, signed_size)
    if updates:
        session.execute(
            sa.update(_events)
            .where(_events.c.id == sa.bindparam("b_id"))
            .values(log_index=sa.bindparam("b_index"), sequenced_at=now),
            updates,
        )
    if nodes:
        session.execute(sa.insert(AuditNode.__table__), nodes)
    root = frontier.root()
    note = key.sign(Checkpoint.build(key.name, frontier.size, root, now))
    session.add(
        AuditCheckpoint(
            tree_size=frontier.size,
            root_hash=root.hex(),
            frontier=[h.hex() for h in frontier.hashes],
            note=note,
            created_at=now,
        )
    )
    session.flush()
    return BatchResult(len(updates), frontier.size, note)


def _append(frontier: Frontier, entry_hash_hex: str) -> list[dict]:
    completed = frontier.append(leaf_hash(bytes.fromhex(entry_hash_hex)), NODE_STRIDE)
    return [{"level": lvl, "index": idx, "hash": h.hex()} for lvl, idx, h in completed]


@dataclass(frozen=True)
class Lag:
    """How far the sequencer is behind: entries committed but covered by nothing yet."""

    waiting: int
    oldest_at: datetime | None
    tree_size: int
    last_checkpoint_at: datetime | None

    def seconds(self, now: datetime) -> float:
        return max(0.0, (now - self.oldest_at).total_seconds()) if self.oldest_at else 0.0


def lag(session: Session) -> Lag:
    waiting, oldest = session.execute(
        sa.select(sa.func.count(), sa.func.min(_events.c.at)).where(_events.c.log_index.is_(None))
    ).one()
    latest = latest_checkpoint(session)
    return Lag(
        waiting,
        oldest,
        latest.tree_size if latest else 0,
        latest.created_at if latest else None,
    )
