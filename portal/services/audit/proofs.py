"""Inclusion proofs for entries, computed on demand from what the sequencer stored.

Hashes of perfect subtrees come from the stored inner nodes (levels 8, 16, 24...) and
the entries' own hashes, fetched a block at a time and cached, so one proof reads a
few hundred hashes at most, and proofs for entries close together share their reads.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from portal.models import AuditEvent, AuditNode

from .entries import canonical_text
from .merkle import consistency_proof, inclusion_proof, leaf_hash, node_hash
from .sequencer import NODE_STRIDE, latest_checkpoint

_events = AuditEvent.__table__
_nodes = AuditNode.__table__
_BLOCK = 1 << NODE_STRIDE


class StoredTree:
    """A `SubtreeSource` over the database (for complete subtrees only)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._memo: dict[tuple[int, int], bytes] = {}
        self._blocks: dict[tuple[int, int], dict[int, bytes]] = {}

    def _stored(self, level: int, index: int) -> bytes:
        block = index // _BLOCK
        if (level, block) not in self._blocks:
            lo, hi = block * _BLOCK, (block + 1) * _BLOCK
            if level == 0:
                rows = self.session.execute(
                    sa.select(_events.c.log_index, _events.c.entry_hash).where(
                        _events.c.log_index >= lo, _events.c.log_index < hi
                    )
                )
                found = {i: leaf_hash(bytes.fromhex(h)) for i, h in rows}
            else:
                rows = self.session.execute(
                    sa.select(_nodes.c.index, _nodes.c.hash).where(
                        _nodes.c.level == level, _nodes.c.index >= lo, _nodes.c.index < hi
                    )
                )
                found = {i: bytes.fromhex(h) for i, h in rows}
            self._blocks[(level, block)] = found
        try:
            return self._blocks[(level, block)][index]
        except KeyError:
            raise LookupError(f"the log has no hash for subtree {level}/{index}") from None

    def subtree(self, level: int, index: int) -> bytes:
        if level % NODE_STRIDE == 0:
            return self._stored(level, index)
        key = (level, index)
        if key not in self._memo:
            self._memo[key] = node_hash(
                self.subtree(level - 1, 2 * index), self.subtree(level - 1, 2 * index + 1)
            )
        return self._memo[key]


def _b64(hashes: list[bytes]) -> list[str]:
    return [base64.b64encode(h).decode() for h in hashes]


@dataclass(frozen=True)
class ProofBundle:
    """Inclusion proofs for some entries against one signed checkpoint, as JSON data."""

    checkpoint: str | None
    verifier_key: str
    entries: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        return {
            "checkpoint": self.checkpoint,
            "verifier_key": self.verifier_key,
            "entries": self.entries,
        }


def inclusion_bundle(
    session: Session, events: list[AuditEvent], *, verifier_key: str
) -> ProofBundle:
    """For each event: its canonical text, hash, log index and an inclusion proof
    against the latest signed checkpoint, or `proof: null` while it waits to be
    sequenced (covered by nothing yet)."""
    latest = latest_checkpoint(session)
    tree = StoredTree(session)
    entries = []
    for event in events:
        covered = latest is not None and event.log_index is not None
        covered = covered and event.log_index < latest.tree_size
        entries.append(
            {
                "id": event.id,
                "log_index": event.log_index,
                "entry": canonical_text(event),
                "entry_hash": event.entry_hash,
                "inclusion_proof": _b64(
                    inclusion_proof(event.log_index, latest.tree_size, tree.subtree)
                )
                if covered
                else None,
            }
        )
    return ProofBundle(latest.note if latest else None, verifier_key, entries)


def consistency_between(session: Session, old_size: int, new_size: int) -> list[str]:
    return _b64(consistency_proof(old_size, new_size, StoredTree(session).subtree))
