"""Dispatch: send due notifications from the outbox, exactly as queued.

A sweep claims due rows (FOR UPDATE SKIP LOCKED on PostgreSQL, so any number of
dispatchers can run at once), commits the claim, sends each message and commits its
result straight away. A claim expires, so rows held by a crashed dispatcher are picked
up again by the next sweep.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from portal.models import Channel, Notification, NotificationStatus
from portal.models.base import utcnow
from portal.providers import PermanentProviderError, TemporaryProviderError
from portal.providers.email.base import EmailProvider
from portal.providers.sms.base import SmsProvider

log = logging.getLogger(__name__)

CLAIM_SECONDS = 120
MAX_ATTEMPTS = 8
RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 3600


@dataclass
class DispatchResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def claimed(self) -> int:
        return self.sent + self.retrying + self.failed


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 30 s, 60 s, 2 min... capped at an hour."""
    return timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS))


def claim_due(session: Session, *, now: datetime, limit: int) -> list[int]:
    """Mark up to `limit` due notifications as sending and return their ids (committed)."""
    table = Notification.__table__
    due = sa.or_(
        sa.and_(table.c.status == NotificationStatus.QUEUED, table.c.not_before <= now),
        sa.and_(table.c.status == NotificationStatus.SENDING, table.c.claimed_until < now),
    )
    candidates = sa.select(table.c.id).where(due).order_by(table.c.not_before).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    claim = (
        sa.update(table)
        .where(table.c.id.in_(candidates.scalar_subquery()))
        .values(
            status=NotificationStatus.SENDING,
            claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
            attempts=table.c.attempts + 1,
        )
        .returning(table.c.id)
    )
    ids = list(session.execute(claim).scalars())
    session.commit()
    return ids


def dispatch_due(
    session: Session,
    *,
    sms: SmsProvider,
    email: EmailProvider,
    now: datetime | None = None,
    batch_size: int = 100,
) -> DispatchResult:
    """Claim and send one batch of due notifications."""
    now = now or utcnow()
    result = DispatchResult()
    claimed = claim_due(session, now=now, limit=batch_size)
    if not claimed:
        return result
    # populate_existing: the claim was a bulk UPDATE, so rows already in this session's
    # identity map are stale and must be reloaded before they are changed again.
    notifications = session.exec(
        select(Notification)
        .where(Notification.id.in_(claimed))
        .order_by(Notification.not_before)
        .execution_options(populate_existing=True)
    ).all()
    for notification in notifications:
        outcome = _send_one(notification, sms=sms, email=email)
        setattr(result, outcome, getattr(result, outcome) + 1)
        session.commit()
    return result


def _send_one(notification: Notification, *, sms: SmsProvider, email: EmailProvider) -> str:
    reference = notification.idempotency_key
    try:
        if notification.channel == Channel.SMS:
            provider_reference = sms.send_sms(
                to=notification.to_address, body=notification.body, reference=reference
            )
        else:
            provider_reference = email.send_email(
                to=notification.to_address,
                subject=notification.subject or "",
                text=notification.body,
                html=notification.body_html,
                reference=reference,
            )
    except TemporaryProviderError as exc:
        return _temporary_failure(notification, exc)
    except PermanentProviderError as exc:
        _mark_failed(notification, exc)
        return "failed"
    notification.status = NotificationStatus.SENT
    notification.provider_reference = provider_reference
    notification.sent_at = utcnow()
    notification.claimed_until = None
    notification.last_error = None
    return "sent"


def _temporary_failure(notification: Notification, exc: TemporaryProviderError) -> str:
    if notification.attempts >= MAX_ATTEMPTS:
        _mark_failed(notification, exc)
        return "failed"
    notification.status = NotificationStatus.QUEUED
    notification.claimed_until = None
    notification.not_before = utcnow() + retry_delay(notification.attempts)
    notification.last_error = str(exc)[:300]
    log.info("notification %s will be retried (attempt %s)", notification.id, notification.attempts)
    return "retrying"


def _mark_failed(notification: Notification, exc: Exception) -> None:
    notification.status = NotificationStatus.FAILED
    notification.failed_at = utcnow()
    notification.claimed_until = None
    notification.last_error = str(exc)[:300]
    log.warning("notification %s failed: %s", notification.id, type(exc).__name__)
