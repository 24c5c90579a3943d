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
        # The dispatch sweep looks for due rows by status, then lane, then not_before.
        sa.Index("ix_notification_status_lane_not_before", "status", "lane", "not_before"),
    )

    id: int | None = Field(default=None, primary_key=True)
    #: None only for a sign-in code asked for an unknown reference: the row is queued all
    #: the same (so both paths do the same work) and the dispatcher cancels it.
    victim_id: int | None = Field(default=None, foreign_key="victim.id", index=True)
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
    #: The text as queued; the dispatcher re-renders it at send time from template_key and
    #: params for the victim's settings then, and writes here what it sends (a sign-in
    #: code's text is never stored: body stays empty).
    subject: str | None = Field(default=None, max_length=300)
    body: str = Field(sa_type=sa.Text)
    body_html: str | None = Field(default=None, sa_type=sa.Text)
    to_address: str = Field(max_length=254)
    idempotency_key: str = Field(max_length=200, unique=True)
    status: str = Field(default=NotificationStatus.QUEUED, max_length=12)
    #: Priority lane (portal.services.lanes): a lower lane is always claimed first.
    lane: int = Field(default=2, sa_column_kwargs={"server_default": "2"})
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


class SendRate(SQLModel, table=True):
    """A sender's state shared by every dispatch worker (a Twilio number or messaging
    service): its token bucket, so that together they never send faster than the sender
    may, and its recent temporary errors, so that a failing provider is slowed down."""

    sender: str = Field(max_length=80, primary_key=True)
    tokens: float
    #: When the tokens were last counted, in seconds since the epoch.
    refreshed: float
    #: How many tokens the last take granted (read back in the same statement).
    granted: int = 0
    #: Temporary errors since `failures_since` (epoch seconds), and until when the sender
    #: is slowed down because there were too many.
    failures: int = 0
    failures_since: float = 0.0
    slowed_until: float = 0.0
