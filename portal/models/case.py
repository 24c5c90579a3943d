"""A case (one crime report) and the structured events recorded on it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from .base import UTCDateTime, created_at_field, timestamp_field


class CaseStage(StrEnum):
    REPORTED = "reported"
    INVESTIGATING = "investigating"
    SUSPECT_ARRESTED = "suspect_arrested"
    RELEASED_UNDER_INVESTIGATION = "released_under_investigation"
    BAILED = "bailed"
    CHARGED = "charged"
    NO_FURTHER_ACTION = "no_further_action"
    AWAITING_TRIAL = "awaiting_trial"
    TRIAL = "trial"
    CONCLUDED = "concluded"


class Case(SQLModel, table=True):
    __table_args__ = (
        # The check-in sweep pages through due cases by (next_update_due_at, id). Many
        # cases share a due time (a sweep moves a whole page on to the same moment), so
        # the index must hold id too, or each page rereads every case tied with it.
        sa.Index("ix_case_next_update_due_at_id", "next_update_due_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    crime_reference: str = Field(max_length=40, unique=True, index=True)
    force: str = Field(max_length=80)
    area: str = Field(max_length=80, index=True)
    crime_category: str = Field(max_length=60)
    domestic_abuse: bool = False
    sexual_offence: bool = False
    #: Victims' Code enhanced rights: told within 1 working day instead of 5.
    enhanced_rights: bool = False
    stage: str = Field(default=CaseStage.REPORTED, max_length=40)
    officer_id: int | None = Field(default=None, foreign_key="staffuser.id", index=True)
    reported_at: datetime = created_at_field()
    last_contact_at: datetime | None = timestamp_field()
    next_update_due_at: datetime | None = timestamp_field()
    #: Home Office outcome code once the case is closed (e.g. 14/16: victim does not support).
    outcome_code: str | None = Field(default=None, max_length=8)
    closed_at: datetime | None = timestamp_field()
    #: The confirmed withdrawal record an outcome 14/16 closure rests on. No foreign key:
    #: withdrawalrequest already points at case (a cycle), and a sealed record can never
    #: be deleted (database triggers), so the link cannot dangle.
    closing_withdrawal_id: int | None = Field(default=None, index=True)
    created_at: datetime = created_at_field()


class CaseVictim(SQLModel, table=True):
    """A victim can be linked to several cases; a case can have several victims."""

    case_id: int = Field(foreign_key="case.id", primary_key=True)
    victim_id: int = Field(foreign_key="victim.id", primary_key=True, index=True)


class CaseEvent(SQLModel, table=True):
    """A structured event (arrest, charge, bail...) the victim must be told about."""

    __table_args__ = (sa.Index("ix_caseevent_case_occurred", "case_id", "occurred_at"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id")
    type: str = Field(max_length=60)
    params: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    occurred_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    recorded_by_id: int | None = Field(default=None, foreign_key="staffuser.id")
    #: "officer" or "api:<key name>": who pushed the event.
    source: str = Field(default="officer", max_length=80)
    #: The Code deadline for telling the victim, when the Code times this event.
    tell_by: datetime | None = timestamp_field(index=True)
    victims_told_at: datetime | None = timestamp_field()
    told_in_time: bool | None = None
    #: Idempotency-Key from the police system, so re-sent events create nothing new.
    idempotency_key: str | None = Field(default=None, max_length=200, unique=True)
    created_at: datetime = created_at_field()
