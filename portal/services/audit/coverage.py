"""What staff see: are a case's entries sequenced, signed and witnessed, and how far
behind is the sequencer?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from portal.models import AuditEvent

from . import witness
from .notes import NoteError, VerifierKey
from .sequencer import lag as sequencer_lag
from .sequencer import latest_checkpoint


@dataclass(frozen=True)
class CaseCoverage:
    total: int
    #: Entries with a log index inside the latest signed checkpoint.
    signed: int
    #: Entries inside the latest checkpoint a witness holds (with a valid signature).
    witnessed: int
    signed_size: int
    witnessed_size: int | None

    def status(self, event: AuditEvent) -> str:
        """ "witnessed", "signed" or "waiting" (not yet sequenced)."""
        if event.log_index is None or event.log_index >= self.signed_size:
            return "waiting"
        if self.witnessed_size is not None and event.log_index < self.witnessed_size:
            return "witnessed"
        return "signed"


def witnessed_size(key: VerifierKey, witness_dir: str | None) -> int | None:
    """The size of the newest checkpoint in the portal's own witness, if it verifies."""
    note = witness.latest_note(witness_dir) if witness_dir else None
    if note is None:
        return None
    try:
        return key.open(note).tree_size
    except NoteError:
        return None


def case_coverage(
    session: Session, events: list[AuditEvent], *, key: VerifierKey, witness_dir: str | None
) -> CaseCoverage:
    latest = latest_checkpoint(session)
    signed_size = latest.tree_size if latest else 0
    seen = witnessed_size(key, witness_dir)
    coverage = CaseCoverage(len(events), 0, 0, signed_size, seen)
    statuses = [coverage.status(event) for event in events]
    return CaseCoverage(
        len(events),
        sum(s != "waiting" for s in statuses),
        statuses.count("witnessed"),
        signed_size,
        seen,
    )


@dataclass(frozen=True)
class LogHealth:
    """The sequencer's lag and what the log's checkpoints cover, for staff and logs."""

    waiting: int
    lag_seconds: float
    tree_size: int
    last_checkpoint_at: datetime | None
    witnessed_size: int | None
    limit_seconds: float

    @property
    def alert(self) -> bool:
        return self.lag_seconds > self.limit_seconds


def log_health(
    session: Session,
    *,
    key: VerifierKey,
    witness_dir: str | None,
    now: datetime,
    limit_seconds: float,
) -> LogHealth:
    lag = sequencer_lag(session)
    return LogHealth(
        lag.waiting,
        lag.seconds(now),
        lag.tree_size,
        lag.last_checkpoint_at,
        witnessed_size(key, witness_dir),
        limit_seconds,
    )
