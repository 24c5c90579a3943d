"""`audit verify`: rebuild the tree from the rows and hold it against signed checkpoints.

The database's own checkpoints and every checkpoint a witness kept must carry the log's
signature, and the tree rebuilt from the rows must have each one's root at each one's
size. Anything else is reported with the first entry that differs:

- an entry's text no longer matches its hash: that entry (edited row);
- a log index is missing: that index (deleted middle row);
- a checkpoint counts more entries than the rows hold: the first missing index
  (deleted tail, or the database restored from an older copy: "rolled back");
- the rows hash to another root than a checkpoint: the change lies after the last
  checkpoint that still matches and before this one (history rewritten and re-hashed);
- a checkpoint's signature is not the log's key (re-signed with another key).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session

from portal.models import AuditCheckpoint, AuditEvent, AuditNode

from .entries import GENESIS_HASH, entry_hash
from .merkle import MemoryTree, consistency_proof, leaf_hash, verify_consistency
from .notes import Checkpoint, NoteError, VerifierKey

_events = AuditEvent.__table__


@dataclass(frozen=True)
class Problem:
    kind: str  # missing, edited, chain, rolled_back, rewritten, signature, node
    message: str
    #: The first log index that differs (None when no entry can be named).
    first_index: int | None = None


@dataclass
class VerifyReport:
    checked: int = 0
    #: Entries not yet sequenced (their own hash checked, nothing else covers them yet).
    waiting: int = 0
    checkpoints: int = 0
    witnessed: int = 0
    latest_size: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        """The problem that names the earliest entry."""
        if not self.problems:
            return None
        return min(
            self.problems,
            key=lambda p: (p.first_index is None, p.first_index or 0),
        )


def _leaves(session: Session, report: VerifyReport) -> bytearray:
    """Every sequenced entry's leaf hash in index order, stopping at a missing index."""
    leaves = bytearray()
    expected, chain = 0, GENESIS_HASH
    rows = session.execute(
        sa.select(_events)
        .where(_events.c.log_index.is_not(None))
        .order_by(_events.c.log_index)
        .execution_options(yield_per=20_000)
    )
    for row in rows:
        if row.log_index != expected:
            report.problems.append(
                Problem("missing", f"entry {expected} is missing from the log", expected)
            )
            break
        if entry_hash(row) != row.entry_hash:
            report.problems.append(
                Problem("edited", f"entry {expected} was changed after it was written", expected)
            )
        if row.prev_hash is not None:  # the old chain still holds among its own rows
            if row.prev_hash != chain:
                report.problems.append(
                    Problem("chain", f"entry {expected} does not follow the one before", expected)
                )
            chain = row.entry_hash
        leaves += leaf_hash(bytes.fromhex(row.entry_hash))
        expected += 1
    report.checked = expected
    return leaves


def _waiting(session: Session, report: VerifyReport) -> None:
    """Entries not yet sequenced are covered by nothing but their own hash: check it."""
    rows = session.execute(
        sa.select(_events).where(_events.c.log_index.is_(None)).order_by(_events.c.id)
    )
    for row in rows:
        report.waiting += 1
        if entry_hash(row) != row.entry_hash:
            report.problems.append(
                Problem("edited", f"waiting entry {row.id} was changed after it was written")
            )


def _signed(
    key: VerifierKey | None, notes: Iterable[tuple[str, str]], report: VerifyReport
) -> list[tuple[str, Checkpoint]]:
    opened = []
    for source, note in notes:
        try:
            opened.append((source, key.open(note) if key else _unsigned(note)))
        except NoteError as exc:
            report.problems.append(
                Problem("signature", f"a checkpoint held by {source} is not valid: {exc}")
            )
    return opened


def _unsigned(note: str) -> Checkpoint:
    return Checkpoint.parse(note.partition("\n\n")[0] + "\n")


def verify(
    session: Session,
    key: VerifierKey | None = None,
    witnesses: Iterable[tuple[str, str]] = (),
) -> VerifyReport:
    """Check the log against its own checkpoints and the (source, note) pairs of the
    witnesses. Without the log's `key` the checkpoints' signatures are not checked (a
    quick check of the rows; `flask audit verify` always passes the key)."""
    report = VerifyReport()
    # Checkpoints before rows: the sequencer commits a batch's rows with its checkpoint,
    # so rows read afterwards hold at least what every checkpoint read covers, even
    # while the sequencer keeps running (and the caller read the witnesses before this).
    own = [
        ("the database", note)
        for (note,) in session.execute(
            sa.select(AuditCheckpoint.note).order_by(AuditCheckpoint.tree_size)
        )
    ]
    tree = MemoryTree(_leaves(session, report))
    _waiting(session, report)
    witnessed = list(witnesses)
    report.checkpoints, report.witnessed = len(own), len(witnessed)
    checkpoints = _signed(key, own + witnessed, report)
    checkpoints.sort(key=lambda item: item[1].tree_size)
    own_sizes = [cp.tree_size for source, cp in checkpoints if source == "the database"]
    report.latest_size = max(own_sizes, default=0)
    truncated = any(p.kind == "missing" for p in report.problems)
    matched = {0}
    for source, cp in checkpoints:
        if key is not None and cp.origin != key.name:
            report.problems.append(Problem("signature", f"{source}: a checkpoint of another log"))
        elif cp.tree_size > tree.size:
            if not truncated:
                report.problems.append(_missing_tail(checkpoints, tree.size))
            break
        elif tree.root(cp.tree_size) != cp.root_hash:
            good = max(size for size in matched if size < cp.tree_size)
            report.problems.append(
                Problem(
                    "rewritten",
                    f"the entries no longer hash to the checkpoint of {cp.tree_size} held by "
                    f"{source}: an entry from {good} to {cp.tree_size - 1} was rewritten",
                    good,
                )
            )
            break
        else:
            matched.add(cp.tree_size)
            if source != "the database" and not _consistent(tree, cp, report.latest_size):
                report.problems.append(
                    Problem("rewritten", f"no consistency proof from {source}", cp.tree_size)
                )
    if not truncated:
        report.problems += _node_problems(session, tree)
    return report


def _missing_tail(checkpoints: list[tuple[str, Checkpoint]], held: int) -> Problem:
    signed = max(cp.tree_size for _source, cp in checkpoints)
    own = any(s == "the database" and cp.tree_size > held for s, cp in checkpoints)
    source = "the database" if own else next(s for s, cp in checkpoints if cp.tree_size == signed)
    what = "deleted" if own else "deleted, or the database was rolled back"
    return Problem(
        "rolled_back",
        f"{source} holds a checkpoint of {signed} entries but the log has {held}: "
        f"entries {held} to {signed - 1} were {what}",
        held,
    )


def _consistent(tree: MemoryTree, cp: Checkpoint, latest: int) -> bool:
    """Prove the witnessed checkpoint consistent with the database's latest one, with
    the same proof an outside verifier would check."""
    latest = min(latest, tree.size)
    if cp.tree_size > latest:
        return True  # newer than anything the database signed: its root was checked
    proof = consistency_proof(cp.tree_size, latest, tree.subtree)
    return verify_consistency(cp.tree_size, latest, cp.root_hash, tree.root(latest), proof)


def _node_problems(session: Session, tree: MemoryTree) -> list[Problem]:
    """The stored inner hashes that proofs for people are built from must match."""
    for level, index, stored in session.execute(
        sa.select(AuditNode.level, AuditNode.index, AuditNode.hash)
    ):
        if (index + 1) << level > tree.size:
            continue  # written by a batch after the rows were read
        if tree.subtree(level, index).hex() != stored:
            first = index << level
            message = f"a stored proof hash over entries from {first} differs"
            return [Problem("node", message, first)]
    return []
