"""A victim, how they want to be contacted, and the consents they gave."""

from __future__ import annotations

from datetime import datetime, time

from sqlmodel import Field, SQLModel

from .base import created_at_field, timestamp_field

DEFAULT_UPDATE_FREQUENCY_DAYS = 28


class Victim(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    #: Supported locale with dialect, e.g. "pt_BR" (see portal.i18n).
    locale: str = Field(default="en", max_length=10)
    interpreter_needed: bool = False
    interpreter_language: str | None = Field(default=None, max_length=60)
    interpreter_notes: str | None = Field(default=None, max_length=500)
    phone_e164: str | None = Field(default=None, max_length=20, index=True)
    email: str | None = Field(default=None, max_length=254)
    sms_allowed: bool = True
    email_allowed: bool = True
    #: Set when a provider reports the channel permanently unreachable (or STOP).
    phone_unreachable_at: datetime | None = timestamp_field()
    email_unreachable_at: datetime | None = timestamp_field()
    sms_opted_out_at: datetime | None = timestamp_field()
    #: Safe contact window in UK local time; None means any time.
    safe_hours_start: time | None = None
    safe_hours_end: time | None = None
    #: Messages name nothing: no police, crime, court or portal.
    discreet: bool = False
    update_frequency_days: int = DEFAULT_UPDATE_FREQUENCY_DAYS
    #: The victim allowed the chatbot to answer "what is happening" by SMS.
    sms_status_replies: bool = False
    contact_checked_at: datetime | None = timestamp_field()
    #: Set when retention or an erasure request removed the name and contact details.
    anonymised_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()


class ConsentRecord(SQLModel, table=True):
    """Something the victim agreed to, how and when; withdrawn consents keep their row."""

    id: int | None = Field(default=None, primary_key=True)
    victim_id: int = Field(foreign_key="victim.id", index=True)
    #: e.g. "sms", "email", "advocate_access", "sms_status_replies".
    kind: str = Field(max_length=40)
    #: How it was given: "web", "sms", "phone", "in_person", "letter".
    given_via: str = Field(max_length=20)
    recorded_by_id: int | None = Field(default=None, foreign_key="staffuser.id")
    note: str | None = Field(default=None, max_length=500)
    given_at: datetime = created_at_field()
    withdrawn_at: datetime | None = timestamp_field()
