"""The audit trail as a transparency log (docs/audit.md).

- `record` appends an entry in the caller's transaction: a plain insert, no lock.
- `sequence_batch` (the scheduler, about once a second) gives committed entries their
  log index in an RFC 6962 Merkle tree and signs a checkpoint (C2SP signed note).
- `witness.export` hands each checkpoint to a place outside the database.
- `verify` rebuilds the tree and checks it against every signed checkpoint.
- `inclusion_bundle` proves entries are in the log, for the people they are about.
"""

from __future__ import annotations

from sqlmodel import Session, select

from portal.models import AuditEvent

from . import witness
from .coverage import CaseCoverage, LogHealth, case_coverage, log_health
from .entries import GENESIS_HASH, canonical_text, entry_hash, record
from .keys import load_signing_key
from .notes import Checkpoint, NoteError, SigningKey, VerifierKey
from .proofs import consistency_between, inclusion_bundle
from .sequencer import AuditLogCorrupt, BatchResult, Lag, lag, latest_checkpoint, sequence_batch
from .verify import Problem, VerifyReport, verify

__all__ = [
    "GENESIS_HASH",
    "AuditLogCorrupt",
    "BatchResult",
    "CaseCoverage",
    "Checkpoint",
    "Lag",
    "LogHealth",
    "NoteError",
    "Problem",
    "SigningKey",
    "VerifierKey",
    "VerifyReport",
    "canonical_text",
    "case_coverage",
    "consistency_between",
    "entry_hash",
    "inclusion_bundle",
    "lag",
    "latest_checkpoint",
    "load_signing_key",
    "log_health",
    "record",
    "sequence_batch",
    "trail_for",
    "verify",
    "witness",
]


def trail_for(session: Session, subject: str, limit: int = 200) -> list[AuditEvent]:
    """The newest `limit` entries about `subject`, newest first (in append order, so
    entries still waiting for the sequencer are included)."""
    return list(
        session.exec(
            select(AuditEvent)
            .where(AuditEvent.subject == subject)
            .order_by(AuditEvent.id.desc())
            .limit(limit)
        ).all()
    )
