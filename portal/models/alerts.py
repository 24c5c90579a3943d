"""Alerts for staff (an officer or a supervisor) and keys for police record systems."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import created_at_field, timestamp_field


class StaffAlert(SQLModel, table=True):
    """Something a member of staff must act on. Holds ids and a kind code only: no text
    from or about the victim, so an alert list can never leak a message."""

    __table_args__ = (sa.Index("ix_staffalert_staff_open", "staff_id", "resolved_at"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int | None = Field(default=None, foreign_key="staffuser.id")
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True)
    victim_id: int | None = Field(default=None, foreign_key="victim.id")
    #: e.g. "channel_unreachable", "check_in_sent", "check_in_overdue".
    kind: str = Field(max_length=40)
    #: Stops the same alert being raised twice, e.g. "check_in_overdue:7:3:2026-01-05".
    dedupe_key: str | None = Field(default=None, max_length=200, unique=True)
    created_at: datetime = created_at_field()
    resolved_at: datetime | None = timestamp_field()


class ApiKey(SQLModel, table=True):
    """A key for a police record system. Only the SHA-256 of the key is stored."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=60, unique=True)
    key_hash: str = Field(max_length=64, unique=True, index=True)
    #: A force's own system sees and creates only that force's cases; None: every force.
    force: str | None = Field(default=None, max_length=80)
    created_at: datetime = created_at_field()
    revoked_at: datetime | None = timestamp_field()
