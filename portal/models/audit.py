"""The audit trail: append-only and hash-chained (see services/audit.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import JSON, Column, Field, SQLModel

from .base import UTCDateTime


class AuditEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    #: 1, 2, 3... without gaps, so a deleted row shows as a missing number.
    seq: int = Field(unique=True, index=True)
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
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
