"""What a queued message says, and where it goes, decided at the moment it is sent.

A message may wait a long time in the outbox (safe hours, an officer's "send at", a
retry) while the victim changes what is safe for them: discreet mode on, another
language, SMS off, a new number, STOP, erasure. So a row keeps its template key and
parameters, and just before every send the dispatcher asks `decide`, which reads the
victim as they are now and renders the text again. The text stored at queue time is
never what decides.

- The channel is still allowed: the text is rendered now (discreet, language) and goes
  to the address on record now.
- The channel is no longer allowed but another one is: the message moves there (a new
  row on that channel, unless the same message already has one).
- No channel is allowed, or the victim's data was erased: cancelled, and the officer in
  charge of the case gets an alert (the victim was not told).
- A question or code that no longer needs an answer (the withdrawal was answered or
  superseded; the sign-in challenge expired, was used or locked): cancelled quietly.
- A sign-in code never moves: the victim is waiting for it where they asked for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from portal.models import (
    Case,
    Channel,
    Notification,
    NotificationStatus,
    SignInChallenge,
    Victim,
    WithdrawalRequest,
    WithdrawalStatus,
)

from .alerts import raise_alert
from .contact import address_for, insert_notifications, usable_channels
from .notification_text import (
    SIGN_IN_CODE,
    WITHDRAWAL_CONFIRM,
    RenderedMessage,
    render,
    render_sign_in_code,
)
from .victim_sign_in import code_for, live_challenge

#: Statuses of a message that is on its way or has gone.
_LIVE = (
    NotificationStatus.QUEUED,
    NotificationStatus.SENDING,
    NotificationStatus.SENT,
    NotificationStatus.DELIVERED,
)


@dataclass(frozen=True)
class Outgoing:
    """The message exactly as it leaves now."""

    channel: str
    to_address: str
    locale: str
    discreet: bool
    subject: str | None
    body: str
    html: str | None
    #: What the outbox row keeps of it: the body, except for a sign-in code (nothing).
    stored_body: str


@dataclass(frozen=True)
class Decision:
    victim: Victim | None
    outgoing: Outgoing | None = None
    #: Why it is not sent (for last_error); None when it goes.
    cancelled: str | None = None
    #: The channel it moves to instead (its row here is cancelled).
    moved_to: str | None = None
    #: Whether the officer in charge must be told that the victim was not told.
    tell_officer: bool = False


def fresh_victims(session: Session, notifications: list[Notification]) -> dict[int, Victim]:
    """The victims of these messages as they are in the database now (one query), even
    if this session read them before."""
    ids = {n.victim_id for n in notifications if n.victim_id is not None}
    if not ids:
        return {}
    query = select(Victim).where(Victim.id.in_(ids)).execution_options(populate_existing=True)
    return {victim.id: victim for victim in session.exec(query)}


def decide(
    session: Session,
    notification: Notification,
    victim: Victim | None,
    *,
    secret_key: str,
    now: datetime,
) -> Decision:
    """Send (what and where), move or cancel this message, for `victim` as they are now
    (from `fresh_victims`; None if they no longer exist)."""
    is_code = notification.template_key == SIGN_IN_CODE
    if victim is None or victim.anonymised_at is not None:
        return Decision(victim, cancelled="no recipient", tell_officer=not is_code)
    if not _still_asked(session, notification, now=now):
        return Decision(victim, cancelled="no longer needed")
    channels = usable_channels(victim)
    if notification.channel not in channels:
        if is_code or not channels:
            return Decision(victim, cancelled="channel no longer usable", tell_officer=not is_code)
        return Decision(victim, cancelled="moved", moved_to=str(channels[0]))
    if is_code:
        if not secret_key:
            return Decision(victim, cancelled="no key to derive the code")
        rendered = _render_code(session, notification, victim, secret_key=secret_key)
    else:
        case = session.get(Case, notification.case_id)
        rendered = render(
            notification.template_key,
            locale=victim.locale,
            params=notification.params,
            crime_reference=case.crime_reference,
            discreet=victim.discreet,
        )
    is_sms = notification.channel == Channel.SMS
    body = rendered.sms if is_sms else rendered.text
    return Decision(
        victim,
        outgoing=Outgoing(
            channel=notification.channel,
            to_address=address_for(victim, notification.channel),
            locale=rendered.locale,
            discreet=victim.discreet,
            subject=None if is_sms else rendered.subject,
            body=body,
            html=None if is_sms or not rendered.html else rendered.html,
            stored_body="" if is_code else body,
        ),
    )


def attempt_body(session: Session, notification: Notification, *, secret_key: str) -> str:
    """The exact text of the row's last attempt, for asking the provider whether it has
    it: the stored body, or for a sign-in code the same rendering again (the row keeps
    the locale and discreet setting it was sent with)."""
    if notification.template_key != SIGN_IN_CODE:
        return notification.body
    challenge = session.get(SignInChallenge, notification.params["challenge_id"])
    rendered = render_sign_in_code(
        code_for(secret_key, challenge.token_hash),
        locale=notification.locale,
        discreet=notification.discreet,
    )
    return rendered.sms if notification.channel == Channel.SMS else rendered.text


def sent_values(outgoing: Outgoing) -> dict[str, Any]:
    """The row's columns for what is being sent (written with the in-doubt mark)."""
    return {
        "channel": outgoing.channel,
        "to_address": outgoing.to_address,
        "locale": outgoing.locale,
        "discreet": outgoing.discreet,
        "subject": outgoing.subject,
        "body": outgoing.stored_body,
        "body_html": outgoing.html,
    }


def carry_out(
    session: Session, notification: Notification, decision: Decision, *, now: datetime
) -> None:
    """The consequences of a message not sent here: its copy on the channel it moved
    to, or the officer's alert. Runs in the transaction that cancels the row."""
    tell_officer = decision.tell_officer
    if decision.moved_to is not None:
        tell_officer = not _queue_on(
            session, notification, decision.victim, decision.moved_to, now=now
        )
    if not tell_officer or notification.case_id is None:
        return
    case = session.get(Case, notification.case_id)
    raise_alert(
        session,
        kind="victim_unreachable",
        staff_id=case.officer_id if case else None,
        case_id=notification.case_id,
        victim_id=notification.victim_id,
        dedupe_key=f"not_sent:{notification.id}",
        now=now,
    )


def _still_asked(session: Session, notification: Notification, *, now: datetime) -> bool:
    """False for a question or code nobody needs any more."""
    if notification.template_key == SIGN_IN_CODE:
        return live_challenge(session, notification.params["challenge_id"], now=now) is not None
    withdrawal_id = notification.params.get("withdrawal_id")
    if notification.template_key == WITHDRAWAL_CONFIRM and withdrawal_id is not None:
        request = session.get(WithdrawalRequest, withdrawal_id, populate_existing=True)
        return request is not None and request.status == WithdrawalStatus.AWAITING_VICTIM
    return True


def _render_code(
    session: Session, notification: Notification, victim: Victim, *, secret_key: str
) -> RenderedMessage:
    challenge = session.get(SignInChallenge, notification.params["challenge_id"])
    return render_sign_in_code(
        code_for(secret_key, challenge.token_hash), locale=victim.locale, discreet=victim.discreet
    )


def sibling_key(notification: Notification, channel: str) -> str:
    """The idempotency key of the same message on `channel` (keys end in the channel)."""
    key, suffix = notification.idempotency_key, f":{notification.channel}"
    base = key[: -len(suffix)] if key.endswith(suffix) else key
    return f"{base}:{channel}"


def _queue_on(
    session: Session, notification: Notification, victim: Victim, channel: str, *, now: datetime
) -> bool:
    """Queue the message on `channel`; True when the victim will get it there (the new
    row, or one the same message already has and that is not cancelled or failed)."""
    key = sibling_key(notification, channel)
    row = {
        column.name: getattr(notification, column.name)
        for column in Notification.__table__.columns
        if column.name != "id"
    }
    row.update(
        channel=channel,
        to_address=address_for(victim, channel),
        idempotency_key=key,
        status=NotificationStatus.QUEUED,
        attempts=0,
        not_before=now,
        claimed_until=None,
        claim_token=None,
        in_doubt_since=None,
        provider_reference=None,
        last_error=None,
        sent_at=None,
        delivered_at=None,
        failed_at=None,
        created_at=now,
    )
    if insert_notifications(session, [row]):
        return True
    table = Notification.__table__
    status = session.execute(
        sa.select(table.c.status).where(table.c.idempotency_key == key)
    ).scalar_one_or_none()
    return status in _LIVE
