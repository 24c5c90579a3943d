"""Dispatch: send due notifications from the outbox, exactly as queued.

A sweep claims due rows (FOR UPDATE SKIP LOCKED on PostgreSQL, so any number of
dispatchers can run at once), commits the claim, sends each message and commits its
result straight away. A claim expires, so rows held by a crashed dispatcher are picked
up again by the next sweep.

Before each send the victim is looked at again: a message to a number that has since
opted out (STOP) or become unreachable is cancelled, not attempted, and a message that
fell outside the victim's safe hours waits for the window. A permanent provider error
stops at once, marks the channel unreachable, queues the same message on the victim's
other usable channel and alerts the officer. Temporary errors back off exponentially,
for at most MAX_RETRY_PERIOD after the message was queued.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from portal.models import Case, Channel, Notification, NotificationStatus, Victim
from portal.models.base import utcnow
from portal.providers import PermanentProviderError, TemporaryProviderError
from portal.providers.email.base import EmailProvider
from portal.providers.sms.base import SmsProvider

from .alerts import raise_alert
from .case_events import mark_event_told, notification_row, plan_messages, record_contact
from .contact import insert_notifications, next_safe_time, usable_channels

log = logging.getLogger(__name__)

CLAIM_SECONDS = 120
MAX_ATTEMPTS = 8
RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 3600
#: After this long a message that still fails for temporary reasons is given up.
MAX_RETRY_PERIOD = timedelta(hours=24)
#: Twilio's code for a number that replied STOP.
TWILIO_UNSUBSCRIBED = "21610"


@dataclass
class DispatchResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0
    deferred: int = 0

    @property
    def claimed(self) -> int:
        return self.sent + self.retrying + self.failed + self.cancelled + self.deferred


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
    """Claim and send one batch of due notifications.

    `now` drives the whole sweep (tests, catching up); by default the real clock is read
    at each send, so sent_at is when the message actually went.
    """
    clock = (lambda: now) if now is not None else utcnow
    now = clock()
    result = DispatchResult()
    claimed = claim_due(session, now=now, limit=batch_size)
    if not claimed:
        return result
    # populate_existing: the claim was a bulk UPDATE, and a STOP may have changed the
    # victim since, so rows already in this session's identity map must be reloaded.
    notifications = session.exec(
        select(Notification)
        .where(Notification.id.in_(claimed))
        .order_by(Notification.not_before)
        .execution_options(populate_existing=True)
    ).all()
    for notification in notifications:
        victim = session.get(Victim, notification.victim_id, populate_existing=True)
        outcome = _check_before_sending(notification, victim, now=now) or _send_one(
            session, notification, victim, sms=sms, email=email, now=clock()
        )
        setattr(result, outcome, getattr(result, outcome) + 1)
        session.commit()
    return result


def _check_before_sending(
    notification: Notification, victim: Victim, *, now: datetime
) -> str | None:
    """Cancel or defer a claimed message that must not go now; None when it may go."""
    if notification.channel not in usable_channels(victim):
        notification.status = NotificationStatus.CANCELLED
        notification.claimed_until = None
        notification.last_error = "channel no longer usable"
        return "cancelled"
    opens = next_safe_time(victim.safe_hours_start, victim.safe_hours_end, now)
    if opens > now:
        notification.status = NotificationStatus.QUEUED
        notification.claimed_until = None
        notification.not_before = opens
        notification.attempts -= 1  # waiting for the window is not a failed attempt
        return "deferred"
    return None


def _send_one(
    session: Session,
    notification: Notification,
    victim: Victim,
    *,
    sms: SmsProvider,
    email: EmailProvider,
    now: datetime,
) -> str:
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
        return _temporary_failure(notification, exc, now=now)
    except PermanentProviderError as exc:
        _mark_failed(notification, exc, now=now)
        _channel_unreachable(session, notification, victim, exc, now=now)
        return "failed"
    sent_at = now
    notification.status = NotificationStatus.SENT
    notification.provider_reference = provider_reference
    notification.sent_at = sent_at
    notification.claimed_until = None
    notification.last_error = None
    _record_delivery_to_case(session, notification, victim, sent_at=sent_at)
    return "sent"


def _record_delivery_to_case(
    session: Session, notification: Notification, victim: Victim, *, sent_at: datetime
) -> None:
    if notification.case_id is not None:
        record_contact(session, notification.case_id, victim, sent_at=sent_at)
    if notification.event_id is not None:
        mark_event_told(session, notification.event_id, sent_at=sent_at)


def _temporary_failure(
    notification: Notification, exc: TemporaryProviderError, *, now: datetime
) -> str:
    retry_at = now + retry_delay(notification.attempts)
    if (
        notification.attempts >= MAX_ATTEMPTS
        or retry_at > notification.created_at + MAX_RETRY_PERIOD
    ):
        _mark_failed(notification, exc, now=now)
        return "failed"
    notification.status = NotificationStatus.QUEUED
    notification.claimed_until = None
    notification.not_before = retry_at
    notification.last_error = str(exc)[:300]
    log.info("notification %s will be retried (attempt %s)", notification.id, notification.attempts)
    return "retrying"


def _mark_failed(notification: Notification, exc: Exception, *, now: datetime) -> None:
    notification.status = NotificationStatus.FAILED
    notification.failed_at = now
    notification.claimed_until = None
    notification.last_error = str(exc)[:300]
    log.warning("notification %s failed: %s", notification.id, type(exc).__name__)


def _channel_unreachable(
    session: Session,
    notification: Notification,
    victim: Victim,
    exc: PermanentProviderError,
    *,
    now: datetime,
) -> None:
    """Mark the channel unreachable, queue the message on the other channel, alert the officer."""
    if notification.channel == Channel.SMS:
        victim.phone_unreachable_at = victim.phone_unreachable_at or now
        if exc.code == TWILIO_UNSUBSCRIBED:
            victim.sms_opted_out_at = victim.sms_opted_out_at or now
    else:
        victim.email_unreachable_at = victim.email_unreachable_at or now
    session.add(victim)
    case = session.get(Case, notification.case_id) if notification.case_id else None
    if case is None:
        return
    fallback = [
        message
        for message in plan_messages(
            session, case, notification.template_key, notification.params, now=now, victims=[victim]
        )
        if message.channel != notification.channel
    ]
    insert_notifications(
        session,
        [
            notification_row(
                message,
                case_id=case.id,
                event_id=notification.event_id,
                template_key=notification.template_key,
                params=notification.params,
                idempotency_key=f"{notification.idempotency_key}:fallback:{message.channel}",
                now=now,
            )
            for message in fallback
        ],
    )
    raise_alert(
        session,
        kind="channel_unreachable",
        staff_id=case.officer_id,
        case_id=case.id,
        victim_id=victim.id,
        dedupe_key=f"unreachable:{notification.id}",
        now=now,
    )
