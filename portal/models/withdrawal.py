"""A victim's request to withdraw, with structured reasons; immutable once confirmed."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from .base import created_at_field, timestamp_field


class WithdrawalReason(StrEnum):
    """Reason codes from DOMAIN.md; several may apply."""

    MOVE_ON = "move_on"
    RETRAUMATISATION = "retraumatisation"
    FEAR_OF_OFFENDER = "fear_of_offender"
    PRESSURE = "pressure"
    RECONCILED_OR_DEPENDENT = "reconciled_or_dependent"
    PROCESS_TOO_LONG = "process_too_long"
    NO_UPDATES = "no_updates"
    NOT_BELIEVED = "not_believed"
    TOLD_UNLIKELY_TO_SUCCEED = "told_unlikely_to_succeed"
    COURT_FEAR = "court_fear"
    DIGITAL_EVIDENCE_REQUEST = "digital_evidence_request"
    IMMIGRATION_FEAR = "immigration_fear"
    LANGUAGE_BARRIER = "language_barrier"
    FAMILY_COURT_OR_CHILDREN = "family_court_or_children"
    ALTERNATIVE_OUTCOME = "alternative_outcome"
    SAFETY_ACHIEVED = "safety_achieved"
    OTHER = "other"


class WithdrawalStatus(StrEnum):
    DRAFT = "draft"
    SERVICE_RECOVERY = "service_recovery"
    CONFIRMED = "confirmed"
    AWAITING_VICTIM = "awaiting_victim"
    ACKNOWLEDGED = "acknowledged"
    DISPUTED = "disputed"
    RESCINDED = "rescinded"


class WithdrawalRequest(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("case_id", "victim_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    victim_id: int = Field(foreign_key="victim.id", index=True)
    #: Corrections and rescinds are new versions; a confirmed version never changes.
    version: int = 1
    supersedes_id: int | None = Field(default=None, foreign_key="withdrawalrequest.id")
    status: str = Field(default=WithdrawalStatus.DRAFT, max_length=20, index=True)
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    #: Pressure/coercion, support wanted, evidence-led prosecution, updates, safe contact...
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    #: The victim's own words, in their own language.
    own_words: str | None = Field(default=None, sa_type=sa.Text)
    locale: str = Field(default="en", max_length=10)
    safeguarding_flag: bool = Field(default=False, index=True)
    #: "victim", "isva:<id>" or "officer:<id>".
    submitted_by: str = Field(default="victim", max_length=40)
    evidence_reference: str | None = Field(default=None, max_length=120)
    status_history: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    content_hash: str | None = Field(default=None, max_length=64)
    confirmed_at: datetime | None = timestamp_field()
    acknowledged_at: datetime | None = timestamp_field()
    acknowledged_by_id: int | None = Field(default=None, foreign_key="staffuser.id")
    created_at: datetime = created_at_field()
    updated_at: datetime | None = timestamp_field()
