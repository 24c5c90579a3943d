"""Dispatch: send due notifications from the outbox, each exactly once.

A sweep claims due rows (FOR UPDATE SKIP LOCKED on PostgreSQL, so any number of
dispatchers can run at once), commits the claim, sends each message and commits its
result straight away. A claim is a lease: rows held by a dispatcher that crashed are
picked up again once it runs out.

Rows are claimed by priority lane (portal.services.lanes), then by due time. Before each
send the victim is looked at again and the message decided afresh (services.send_time):
rendered now for the victim's current discreet mode and language, to their current
address, moved to another allowed channel or cancelled (the officer is told), never
sent as it was written at queue time; and a message that fell outside the victim's safe
hours waits for the window (a sign-in code does not: the victim asked for it). A
permanent provider error stops at once, marks the channel unreachable, queues the same
message on the victim's other usable channel and alerts the officer. Temporary errors
back off exponentially, for at most MAX_RETRY_PERIOD after the message was queued.

Exactly once, even when a dispatcher dies mid-send
--------------------------------------------------
Neither Twilio's Messages API nor SMTP takes an idempotency key. A dispatcher killed (or
cut off from its database) after the provider accepted a message but before the result
was committed leaves a row that, by itself, cannot say whether the message went. Sending
it again blindly duplicates; giving it up loses an update. Three rules close that window:

1. Leases with a fencing token. A claim sets `claimed_until` and a fresh `claim_token`;
   the lease is renewed before each send and every write the dispatcher makes to the row
   is conditional on its token. A dispatcher that stalled past its lease and was
   overtaken can no longer touch the row, so two dispatchers never both send it. The
   lease must outlast the slowest provider call (see DISPATCH_CLAIM_SECONDS).
2. In doubt before the call. `in_doubt_since` is committed just before the provider is
   called and cleared with the result (and kept after a timeout, which may hide a
   success). A row claimed again with it set may already be with the provider.
3. Reconciliation with the provider. Before such a row is sent again the provider is
   asked which messages with exactly this text it accepted for this address since the
   attempt began (`accepted_since`); one whose reference no other row holds is recorded
   as this row's send. `provider_reference` is unique, so one message at the provider is
   never counted for two rows (identical discreet texts included), and any clash simply
   leaves the row in doubt for the next sweep. Only when the provider has nothing is the
   message sent again.

So SMS (Twilio, and the development outbox) goes exactly once. SMTP keeps no record we
could ask: an email in doubt is sent again, under the same Message-ID so that mail
stores can drop the copy. For a victim a missing update is worse than a second email.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from portal.models import Case, Channel, Notification, NotificationStatus, Victim
from portal.models.base import utcnow
from portal.providers import PermanentProviderError, ProviderError, TemporaryProviderError
from portal.providers.email.base import EmailProvider
from portal.providers.sms.base import SmsProvider

from . import send_rate, send_time
from .alerts import raise_alert
from .case_events import mark_event_told, notification_row, plan_messages, record_contact
from .contact import insert_notifications, next_safe_time
from .lanes import SIGN_IN

log = logging.getLogger(__name__)

#: How long a claim holds a row (the default; DISPATCH_CLAIM_SECONDS in configuration).
CLAIM_SECONDS = 120
MAX_ATTEMPTS = 8
RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 3600
#: After this long a message that still fails for temporary reasons is given up.
MAX_RETRY_PERIOD = timedelta(hours=24)
#: A provider's clock may differ from ours: reconciliation looks back this much further.
CLOCK_SKEW = timedelta(minutes=5)
#: Twilio's code for a number that replied STOP.
TWILIO_UNSUBSCRIBED = "21610"


@dataclass
class DispatchResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0
    #: Not sent on its channel any more, queued on the victim's other allowed channel.
    moved: int = 0
    deferred: int = 0
    #: In doubt, and found already accepted by the provider: recorded, not sent again.
    reconciled: int = 0
    #: Claimed, but another dispatcher took the row over after this one's lease ran out.
    overtaken: int = 0

    @property
    def claimed(self) -> int:
        return (
            self.sent
            + self.retrying
            + self.failed
            + self.cancelled
            + self.moved
            + self.deferred
            + self.reconciled
            + self.overtaken
        )


@dataclass(frozen=True)
class _Claim:
    """What one sweep holds: its fencing token and how long each renewal lasts."""

    token: str
    lease: timedelta


@dataclass(frozen=True)
class SmsRate:
    """How fast the SMS sender (a number or messaging service: SmsProvider.sender) may
    send, all workers together: `per_second` (0: no limit) with bursts up to `burst`."""

    per_second: float = 0.0
    burst: int = 1
    sender: str = "sms"


@dataclass(frozen=True)
class _Senders:
    """The providers, SECRET_KEY (a sign-in code is derived from it at send time) and
    the SMS sender's rate."""

    sms: SmsProvider
    email: EmailProvider
    secret_key: str
    sms_rate: SmsRate = SmsRate()


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 30 s, 60 s, 2 min... capped at an hour."""
    return timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS))


def claim_due(
    session: Session,
    *,
    now: datetime,
    limit: int,
    token: str | None = None,
    lease_seconds: float = CLAIM_SECONDS,
    max_lane: int | None = None,
) -> list[int]:
    """Lease up to `limit` due notifications to `token` and return their ids (committed),
    the most urgent lanes first; with `max_lane`, only lanes up to it."""
    table = Notification.__table__
    due = sa.or_(
        sa.and_(table.c.status == NotificationStatus.QUEUED, table.c.not_before <= now),
        sa.and_(table.c.status == NotificationStatus.SENDING, table.c.claimed_until < now),
    )
    if max_lane is not None:
        due = sa.and_(table.c.lane <= max_lane, due)
    candidates = (
        sa.select(table.c.id).where(due).order_by(table.c.lane, table.c.not_before).limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    claim = (
        sa.update(table)
        .where(table.c.id.in_(candidates.scalar_subquery()))
        .values(
            status=NotificationStatus.SENDING,
            claimed_until=now + timedelta(seconds=lease_seconds),
            claim_token=token or uuid.uuid4().hex,
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
    lease_seconds: float = CLAIM_SECONDS,
    secret_key: str = "",
    max_lane: int | None = None,
    concurrency: int = 1,
    sms_rate: SmsRate = SmsRate(),
) -> DispatchResult:
    """Claim and send one batch of due notifications, `concurrency` at a time.

    `now` drives the whole sweep (tests, catching up); by default the real clock is read
    at each send, so sent_at is when the message actually went. `secret_key` is needed
    for sign-in codes (without it they are cancelled).
    """
    token = uuid.uuid4().hex
    claimed = claim_due(
        session,
        now=now or utcnow(),
        limit=batch_size,
        token=token,
        lease_seconds=lease_seconds,
        max_lane=max_lane,
    )
    return send_claimed(
        session,
        claimed,
        token=token,
        sms=sms,
        email=email,
        now=now,
        lease_seconds=lease_seconds,
        secret_key=secret_key,
        concurrency=concurrency,
        sms_rate=sms_rate,
    )


def send_claimed(
    session: Session,
    ids: list[int],
    *,
    token: str,
    sms: SmsProvider,
    email: EmailProvider,
    now: datetime | None = None,
    lease_seconds: float = CLAIM_SECONDS,
    secret_key: str = "",
    concurrency: int = 1,
    sms_rate: SmsRate = SmsRate(),
) -> DispatchResult:
    """Send the rows `claim_due` leased to `token`; rows since taken over are left alone.

    The rows go in waves of `concurrency`: one commit records the wave's decisions and
    in-doubt marks (renewing its lease), then its sends go to the providers at once,
    with no database transaction open, then one commit records their results."""
    clock = (lambda: now) if now is not None else utcnow
    claim = _Claim(token=token, lease=timedelta(seconds=lease_seconds))
    senders = _Senders(sms=sms, email=email, secret_key=secret_key, sms_rate=sms_rate)
    result = DispatchResult()
    if not ids:
        return result
    # populate_existing: the claim was a bulk UPDATE, and a STOP may have changed the
    # victim since, so rows already in this session's identity map must be reloaded.
    notifications = session.exec(
        select(Notification)
        .where(Notification.id.in_(ids))
        .order_by(Notification.lane, Notification.not_before)
        .execution_options(populate_existing=True)
    ).all()
    width = max(1, concurrency)
    with ThreadPoolExecutor(max_workers=width, thread_name_prefix="send") as pool:
        for start in range(0, len(notifications), width):
            wave = notifications[start : start + width]
            for outcome in _dispatch_wave(session, wave, claim, senders, clock, pool):
                setattr(result, outcome, getattr(result, outcome) + 1)
    return result


@dataclass(frozen=True)
class _Send:
    """One message of a wave, marked in doubt and about to go to its provider."""

    notification: Notification
    victim: Victim
    outgoing: send_time.Outgoing
    started: datetime


def _dispatch_wave(
    session: Session,
    wave: list[Notification],
    claim: _Claim,
    senders: _Senders,
    clock: Callable[[], datetime],
    pool: ThreadPoolExecutor,
) -> list[str]:
    """Take a wave of claimed rows to their next state; every write is fenced by the claim."""
    _take_sms_tokens(session, senders, sum(row.channel == Channel.SMS for row in wave))
    outcomes, sends = [], []
    victims = send_time.fresh_victims(session, wave)
    for notification in wave:
        victim = victims.get(notification.victim_id)
        prepared = _prepare(session, notification, victim, claim, senders, now=clock())
        if isinstance(prepared, _Send):
            sends.append(prepared)
        else:
            outcomes.append(prepared)
    held = _mark_in_doubt(session, sends, claim)
    outcomes += ["overtaken"] * (len(sends) - len(held))
    sends = held
    session.commit()  # the wave's decisions and in-doubt marks, before any provider call
    answers = list(pool.map(partial(_attempt, senders=senders), sends))
    sms_errors = sum(
        isinstance(answer, TemporaryProviderError) and send.outgoing.channel == Channel.SMS
        for send, answer in zip(sends, answers, strict=True)
    )
    if sms_errors:
        send_rate.record_failures(session, senders.sms_rate.sender, sms_errors, now=time.time())
    try:
        outcomes += _record_answers(session, sends, answers, claim, sent_at=clock())
        session.commit()
    except sa.exc.IntegrityError:
        # A provider reference recorded twice: leave the wave in doubt, for the next
        # sweep to settle each row with the provider.
        session.rollback()
        log.warning("a provider reference was already recorded: wave left in doubt")
        outcomes += ["retrying"] * len(sends)
    return outcomes


def _take_sms_tokens(session: Session, senders: _Senders, count: int) -> None:
    """Wait until the SMS sender's shared bucket gives `count` sends: at its configured
    rate, or slower while its provider is failing (send_rate)."""
    if not count:
        return
    rate = senders.sms_rate
    if send_rate.slowed(session, rate.sender, now=time.time()):
        slow = send_rate.SLOWED_PER_SECOND
        per_second = min(rate.per_second, slow) if rate.per_second else slow
        rate = SmsRate(per_second, burst=1, sender=rate.sender)
    if rate.per_second:
        send_rate.wait_for(
            session, rate.sender, count, per_second=rate.per_second, burst=rate.burst
        )
    session.commit()


def _prepare(
    session: Session,
    notification: Notification,
    victim: Victim | None,
    claim: _Claim,
    senders: _Senders,
    *,
    now: datetime,
) -> _Send | str:
    """Decide one row: a _Send (to mark in doubt with the wave) or the outcome of a row
    that does not go now (written, not yet committed)."""
    if notification.in_doubt_since is not None:
        settled = _settle_in_doubt(session, notification, victim, claim, senders, now=now)
        if settled is not None:
            return settled
    decision = send_time.decide(
        session, notification, victim, secret_key=senders.secret_key, now=now
    )
    if decision.outgoing is None:
        return _settle(
            session,
            notification,
            claim,
            "moved" if decision.moved_to else "cancelled",
            {"status": NotificationStatus.CANCELLED, "last_error": decision.cancelled},
            then=partial(send_time.carry_out, session, notification, decision, now=now),
        )
    waits = _safe_hours_wait(notification, decision.victim, now=now)
    if waits is not None:
        return _settle(session, notification, claim, *waits)
    return _Send(notification, decision.victim, decision.outgoing, started=now)


def _settle_in_doubt(
    session: Session,
    notification: Notification,
    victim: Victim,
    claim: _Claim,
    senders: _Senders,
    *,
    now: datetime,
) -> str | None:
    """Settle an earlier attempt that may have gone: if the provider has it, it went,
    whatever changed since. None when it must be decided and sent again. (Rare: runs
    row by row, with its own commits.)"""
    if not _renew(session, notification, claim, now=now):
        return "overtaken"
    try:
        reference = _already_accepted(session, notification, senders)
    except TemporaryProviderError as exc:
        retry = _retry_values(notification, exc, now, in_doubt=True)
        return _finish(session, notification, claim, *retry)
    if reference is None:
        return None
    return _record_reconciled(session, notification, victim, claim, reference)


def _attempt(send: _Send, *, senders: _Senders) -> str | ProviderError:
    """The provider's reference, or its error (runs in a sending thread)."""
    try:
        return _send(send.outgoing, send.notification.idempotency_key, senders)
    except ProviderError as exc:
        return exc


def _mark_in_doubt(session: Session, sends: list[_Send], claim: _Claim) -> list[_Send]:
    """Write what each send will say and where, mark it in doubt and renew its lease, in
    one batched statement for the wave; return the sends this sweep still holds."""
    if not sends:
        return []
    table = Notification.__table__
    columns = ["claimed_until", "in_doubt_since", *send_time.sent_values(sends[0].outgoing)]
    session.execute(
        _fenced_update(claim).values({name: sa.bindparam(f"new_{name}") for name in columns}),
        [
            {
                "row_id": send.notification.id,
                "new_claimed_until": send.started + claim.lease,
                "new_in_doubt_since": send.started,
                **{f"new_{k}": v for k, v in send_time.sent_values(send.outgoing).items()},
            }
            for send in sends
        ],
    )
    held = set(
        session.execute(
            sa.select(table.c.id).where(
                table.c.id.in_([send.notification.id for send in sends]),
                table.c.claim_token == claim.token,
            )
        ).scalars()
    )
    return [send for send in sends if send.notification.id in held]


def _fenced_update(claim: _Claim) -> sa.Update:
    """An UPDATE of the row `row_id` (a bound parameter, for executemany), fenced by the
    claim like _fenced."""
    table = Notification.__table__
    return sa.update(table).where(
        table.c.id == sa.bindparam("row_id"),
        table.c.claim_token == claim.token,
        table.c.status == NotificationStatus.SENDING,
    )


def _record_answers(
    session: Session,
    sends: list[_Send],
    answers: list[str | ProviderError],
    claim: _Claim,
    *,
    sent_at: datetime,
) -> list[str]:
    """Record the providers' answers for a wave (in its transaction): the messages sent
    in one batched statement, the errors row by row (the rarer case)."""
    outcomes, sent = [], []
    for send, answer in zip(sends, answers, strict=True):
        if isinstance(answer, ProviderError):
            outcomes.append(_record_error(session, send, answer, claim, now=sent_at))
        else:
            sent.append((send, answer))
    if not sent:
        return outcomes
    session.execute(
        _fenced_update(claim).values(
            **_sent_values(sa.bindparam("reference"), sent_at=sent_at),
            claimed_until=None,
            claim_token=None,
        ),
        [{"row_id": send.notification.id, "reference": reference} for send, reference in sent],
    )
    table = Notification.__table__
    recorded = dict(
        session.execute(
            sa.select(table.c.id, table.c.provider_reference).where(
                table.c.id.in_([send.notification.id for send, _reference in sent])
            )
        ).all()
    )
    told = set()
    for send, reference in sent:
        if recorded.get(send.notification.id) != reference:
            outcomes.append("overtaken")
            continue
        outcomes.append("sent")
        key = (send.notification.case_id, send.victim.id, send.notification.event_id)
        if key not in told:  # one contact per case and victim, one "told" per event
            told.add(key)
            _record_delivery_to_case(session, send.notification, send.victim, sent_at=sent_at)
    return outcomes


def _record_error(
    session: Session,
    send: _Send,
    answer: ProviderError,
    claim: _Claim,
    *,
    now: datetime,
) -> str:
    """Record a provider's error for one send: retry later, or fail and fall back."""
    notification, victim = send.notification, send.victim
    if isinstance(answer, TemporaryProviderError):
        retry = _retry_values(notification, answer, now, in_doubt=answer.maybe_sent)
        return _settle(session, notification, claim, *retry)
    return _settle(
        session,
        notification,
        claim,
        "failed",
        _failed_values(notification, answer, now),
        then=partial(_channel_unreachable, session, notification, victim, answer, now=now),
    )


def _safe_hours_wait(
    notification: Notification, victim: Victim, *, now: datetime
) -> tuple[str, dict[str, Any]] | None:
    """Defer a message that falls outside the victim's safe hours; None when it may go.
    A sign-in code is never held: the victim has just asked for it."""
    if notification.lane == SIGN_IN:
        return None
    opens = next_safe_time(victim.safe_hours_start, victim.safe_hours_end, now)
    if opens > now:
        # Waiting for the window is not a failed attempt.
        return "deferred", {
            "status": NotificationStatus.QUEUED,
            "not_before": opens,
            "attempts": Notification.__table__.c.attempts - 1,
        }
    return None


def _fenced(session: Session, notification: Notification, claim: _Claim, **values: Any) -> bool:
    """Write to the row only while this sweep's claim on it still stands."""
    table = Notification.__table__
    written = session.execute(
        sa.update(table)
        .where(
            table.c.id == notification.id,
            table.c.claim_token == claim.token,
            table.c.status == NotificationStatus.SENDING,
        )
        .values(**values)
    )
    return written.rowcount == 1


def _renew(
    session: Session, notification: Notification, claim: _Claim, *, now: datetime, **values: Any
) -> bool:
    """Extend the lease (with `values`) and commit, before talking to the provider."""
    held = _fenced(session, notification, claim, claimed_until=now + claim.lease, **values)
    session.commit()
    return held


def _settle(
    session: Session,
    notification: Notification,
    claim: _Claim,
    outcome: str,
    values: dict[str, Any],
    *,
    then: Callable[[], None] | None = None,
) -> str:
    """Record the outcome, release the claim and run `then` (not committed yet);
    "overtaken" (and nothing written) if the claim was lost."""
    held = _fenced(session, notification, claim, claimed_until=None, claim_token=None, **values)
    if held and then is not None:
        then()
    return outcome if held else "overtaken"


def _finish(
    session: Session,
    notification: Notification,
    claim: _Claim,
    outcome: str,
    values: dict[str, Any],
    *,
    then: Callable[[], None] | None = None,
) -> str:
    """_settle, committed."""
    outcome = _settle(session, notification, claim, outcome, values, then=then)
    session.commit()
    return outcome


def _send(outgoing: send_time.Outgoing, reference: str, senders: _Senders) -> str:
    if outgoing.channel == Channel.SMS:
        return senders.sms.send_sms(to=outgoing.to_address, body=outgoing.body, reference=reference)
    return senders.email.send_email(
        to=outgoing.to_address,
        subject=outgoing.subject or "",
        text=outgoing.body,
        html=outgoing.html,
        reference=reference,
    )


def _already_accepted(
    session: Session, notification: Notification, senders: _Senders
) -> str | None:
    """The provider's reference for this in-doubt message if the provider has it and no
    other row has recorded it; None when it must be sent (again)."""
    provider = senders.sms if notification.channel == Channel.SMS else senders.email
    candidates = provider.accepted_since(
        to=notification.to_address,
        body=send_time.attempt_body(session, notification, secret_key=senders.secret_key),
        since=notification.in_doubt_since - CLOCK_SKEW,
    )
    if not candidates:
        return None
    table = Notification.__table__
    recorded = set(
        session.execute(
            sa.select(table.c.provider_reference).where(table.c.provider_reference.in_(candidates))
        ).scalars()
    )
    return next((reference for reference in candidates if reference not in recorded), None)


def _sent_values(reference: str | sa.BindParameter, *, sent_at: datetime) -> dict[str, Any]:
    return {
        "status": NotificationStatus.SENT,
        "provider_reference": reference,
        "sent_at": sent_at,
        "in_doubt_since": None,
        "last_error": None,
    }


def _record_reconciled(
    session: Session, notification: Notification, victim: Victim, claim: _Claim, reference: str
) -> str:
    """Record an in-doubt send found at the provider (at the time its attempt began),
    and the contact on the case, in one commit. The provider reference is unique: if
    another row recorded it first, this row stays in doubt for a later sweep to settle."""
    sent_at = notification.in_doubt_since
    try:
        return _finish(
            session,
            notification,
            claim,
            "reconciled",
            _sent_values(reference, sent_at=sent_at),
            then=partial(_record_delivery_to_case, session, notification, victim, sent_at=sent_at),
        )
    except sa.exc.IntegrityError:
        session.rollback()
        log.warning("notification %s: provider reference already recorded", notification.id)
        return "retrying"


def _record_delivery_to_case(
    session: Session, notification: Notification, victim: Victim, *, sent_at: datetime
) -> None:
    if notification.case_id is not None:
        record_contact(session, notification.case_id, victim, sent_at=sent_at)
    if notification.event_id is not None:
        mark_event_told(session, notification.event_id, sent_at=sent_at)


def _retry_values(
    notification: Notification, exc: TemporaryProviderError, now: datetime, *, in_doubt: bool
) -> tuple[str, dict[str, Any]]:
    """Back off and try again, or give up once the retry period is over. `in_doubt`: the
    message may be at the provider (a timeout, or the provider could not be asked)."""
    retry_at = now + retry_delay(notification.attempts)
    if (
        notification.attempts >= MAX_ATTEMPTS
        or retry_at > notification.created_at + MAX_RETRY_PERIOD
    ):
        return "failed", _failed_values(notification, exc, now)
    log.info("notification %s will be retried (attempt %s)", notification.id, notification.attempts)
    values = {
        "status": NotificationStatus.QUEUED,
        "not_before": retry_at,
        "last_error": str(exc)[:300],
    }
    if not in_doubt:
        values["in_doubt_since"] = None  # the provider answered: it did not take it
    return "retrying", values


def _failed_values(notification: Notification, exc: Exception, now: datetime) -> dict[str, Any]:
    log.warning("notification %s failed: %s", notification.id, type(exc).__name__)
    return {
        "status": NotificationStatus.FAILED,
        "failed_at": now,
        "in_doubt_since": None,
        "last_error": str(exc)[:300],
    }


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
