"""The audit trail as a transparency log (see portal/services/audit/ and docs/audit.md).

An `AuditEvent` is inserted with its content hash and no log index; the sequencer later
gives it `log_index`, its place among the leaves of an RFC 6962 Merkle tree, and signs a
checkpoint (`AuditCheckpoint`) over the tree. `AuditNode` keeps a few inner hashes so
proofs can be computed without reading every leaf.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from .base import UTCDateTime


class AuditEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    #: 0, 1, 2... the leaf index in the Merkle tree; empty until the sequencer runs.
    log_index: int | None = Field(default=None, unique=True, index=True)
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    #: "staff:12", "victim:40", "api:rms", "system".
    actor: str = Field(max_length=60)
    #: Set when someone acts for a victim, e.g. an ISVA: "victim:40".
    on_behalf_of: str | None = Field(default=None, max_length=60)
    action: str = Field(max_length=60, index=True)
    #: The record concerned, e.g. "victim:40", "case:7".
    subject: str | None = Field(default=None, max_length=60, index=True)
    reason: str | None = Field(default=None, max_length=500)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    #: SHA-256 (hex) of the entry's canonical text, computed when it is appended; the
    #: Merkle leaf is this hash. Rows from before the log (migration 0006a) keep their
    #: old chain hash here, and `prev_hash` holds the link their canonical text covered.
    entry_hash: str = Field(max_length=64)
    prev_hash: str | None = Field(default=None, max_length=64)
    sequenced_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)


class AuditCheckpoint(SQLModel, table=True):
    """One signed checkpoint per sequencer batch (a C2SP signed note)."""

    id: int | None = Field(default=None, primary_key=True)
    tree_size: int = Field(unique=True, index=True)
    #: Hex SHA-256 Merkle tree hash of the first `tree_size` leaves.
    root_hash: str = Field(max_length=64)
    #: The right edge of the tree (hex hashes of its perfect subtrees, largest first),
    #: so the next batch extends the tree without reading old leaves.
    frontier: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    note: str = Field(sa_type=sa.Text, nullable=False)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class AuditNode(SQLModel, table=True):
    """The hash of a complete perfect subtree at level 8, 16, 24... (2^level leaves
    starting at leaf `index << level`): enough for any proof to read at most a few
    hundred hashes."""

    level: int = Field(primary_key=True)
    index: int = Field(primary_key=True)
    hash: str = Field(max_length=64)
