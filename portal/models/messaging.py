"""The notification outbox: one row per message per channel."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from .base import UTCDateTime, created_at_field, timestamp_field, utcnow


class NotificationStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Channel(StrEnum):
    SMS = "sms"
    EMAIL = "email"


class Notification(SQLModel, table=True):
    __table_args__ = (
        # The dispatch sweep looks for due rows by status and not_before.
        sa.Index("ix_notification_status_not_before", "status", "not_before"),
    )

    id: int | None = Field(default=None, primary_key=True)
    victim_id: int = Field(foreign_key="victim.id", index=True)
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True)
    event_id: int | None = Field(default=None, foreign_key="caseevent.id")
    #: The withdrawal this message asks the victim to confirm: an SMS YES or NO answers
    #: it only once this very message was delivered (services/withdrawal_confirmation.py).
    withdrawal_id: int | None = Field(default=None, foreign_key="withdrawalrequest.id", index=True)
    channel: str = Field(max_length=10)
    locale: str = Field(max_length=10)
    template_key: str = Field(max_length=80)
    params: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    discreet: bool = False
    #: The exact text sent, rendered in the victim's language when the row was queued.
    subject: str | None = Field(default=None, max_length=300)
    body: str = Field(sa_type=sa.Text)
    body_html: str | None = Field(default=None, sa_type=sa.Text)
    to_address: str = Field(max_length=254)
    idempotency_key: str = Field(max_length=200, unique=True)
    status: str = Field(default=NotificationStatus.QUEUED, max_length=12)
    attempts: int = 0
    #: Not sent before this time (safe contact hours, scheduled sends, retry backoff).
    not_before: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    #: While "sending": the claim expires, so a crashed dispatcher's rows are picked up again.
    claimed_until: datetime | None = timestamp_field()
    #: The claiming dispatcher's fencing token: its writes apply only while it matches.
    claim_token: str | None = Field(default=None, max_length=32)
    #: Set just before the provider is called, cleared when the result is recorded: while
    #: set, the provider may have accepted the message, so it is asked before any resend.
    in_doubt_since: datetime | None = timestamp_field()
    #: Unique: one message at the provider is recorded against one row only.
    provider_reference: str | None = Field(default=None, max_length=100, index=True, unique=True)
    last_error: str | None = Field(default=None, max_length=300)
    created_at: datetime = created_at_field()
    sent_at: datetime | None = timestamp_field()
    delivered_at: datetime | None = timestamp_field()
    failed_at: datetime | None = timestamp_field()
    #: Set when the retention job removed the text (subject, body, params) of a finished
    #: message: what was sent, when and how is kept; what it said is not.
    content_removed_at: datetime | None = timestamp_field()


class OutboxMessage(SQLModel, table=True):
    """What the development outbox providers 'sent' (shown at /dev/outbox)."""

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=10)
    to_address: str = Field(max_length=254)
    subject: str | None = Field(default=None, max_length=300)
    body: str = Field(sa_type=sa.Text)
    body_html: str | None = Field(default=None, sa_type=sa.Text)
    reference: str = Field(max_length=100)
    created_at: datetime = created_at_field()


class WebhookReceipt(SQLModel, table=True):
    """A provider webhook already processed: one row per inbound message SID, and per
    (message SID, status) for delivery callbacks. The unique key makes a replayed or
    retried request a no-op. No phone number or text is kept."""

    __table_args__ = (sa.UniqueConstraint("kind", "message_sid", "message_status"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    message_sid: str = Field(max_length=64)
    #: The delivery status reported ("" for an inbound message).
    message_status: str = Field(default="", max_length=20)
    received_at: datetime = created_at_field()
