"""Recording an event on a case, and telling every victim about it.

`record_event` validates the fields, stores the CaseEvent with its Victims' Code
deadline, moves the case stage and queues one Notification per victim and usable
channel, holding the exact text rendered in the victim's language. `preview` renders
the same messages without saving anything, for the officer's preview.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from portal.models import Case, CaseEvent, CaseVictim, Notification, NotificationStatus, Victim
from portal.models.base import utcnow

from . import audit
from .contact import address_for, insert_notifications, next_safe_time, usable_channels
from .events import EVENT_TYPES, InvalidEvent, deadline_days, validate_params
from .lanes import lane_for
from .notification_text import render, sms_segments
from .working_days import deadline_after


@dataclass(frozen=True)
class PlannedMessage:
    """One message as it will be sent: who, how, in which language, and when."""

    victim_id: int
    channel: str
    locale: str
    to_address: str
    subject: str | None
    body: str
    body_html: str | None
    not_before: datetime
    discreet: bool
    sms_encoding: str | None
    sms_segments: int | None
    sms_units: int | None  # septets (GSM-7) or UTF-16 units (UCS-2)


@dataclass(frozen=True)
class RecordedEvent:
    event: CaseEvent
    created: bool  # False when the idempotency key had been seen: nothing new was made
    queued: int


def victims_of(session: Session, case_id: int) -> list[Victim]:
    return list(
        session.exec(
            select(Victim)
            .join(CaseVictim, CaseVictim.victim_id == Victim.id)
            .where(CaseVictim.case_id == case_id)
            .order_by(Victim.id)
        ).all()
    )


def plan_messages(
    session: Session,
    case: Case,
    template_key: str,
    params: dict[str, Any],
    *,
    now: datetime,
    send_at: datetime | None = None,
    victims: list[Victim] | None = None,
) -> list[PlannedMessage]:
    """The messages for every victim of the case (or `victims`), on every usable channel."""
    planned = []
    for victim in victims if victims is not None else victims_of(session, case.id):
        rendered = render(
            template_key,
            locale=victim.locale,
            params=params,
            crime_reference=case.crime_reference,
            discreet=victim.discreet,
        )
        earliest = max(send_at or now, now)
        not_before = next_safe_time(victim.safe_hours_start, victim.safe_hours_end, earliest)
        for channel in usable_channels(victim):
            is_sms = channel == "sms"
            segments = sms_segments(rendered.sms) if is_sms else None
            planned.append(
                PlannedMessage(
                    victim_id=victim.id,
                    channel=str(channel),
                    locale=rendered.locale,
                    to_address=address_for(victim, channel),
                    subject=None if is_sms else rendered.subject,
                    body=rendered.sms if is_sms else rendered.text,
                    body_html=None if is_sms else rendered.html,
                    not_before=not_before,
                    discreet=victim.discreet,
                    sms_encoding=segments.encoding if segments else None,
                    sms_segments=segments.segments if segments else None,
                    sms_units=segments.units if segments else None,
                )
            )
    return planned


def notification_row(
    message: PlannedMessage,
    *,
    case_id: int,
    event_id: int | None,
    template_key: str,
    params: dict[str, Any],
    idempotency_key: str,
    now: datetime,
) -> dict[str, Any]:
    """A complete Notification row for a bulk insert (no ORM defaults apply there)."""
    return {
        "victim_id": message.victim_id,
        "case_id": case_id,
        "event_id": event_id,
        "channel": message.channel,
        "locale": message.locale,
        "template_key": template_key,
        "params": params,
        "discreet": message.discreet,
        "subject": message.subject,
        "body": message.body,
        "body_html": message.body_html,
        "to_address": message.to_address,
        "idempotency_key": idempotency_key,
        "status": NotificationStatus.QUEUED,
        "lane": lane_for(template_key),
        "attempts": 0,
        "not_before": message.not_before,
        "created_at": now,
    }


def preview(
    session: Session,
    case: Case,
    event_type: str,
    params: Any,
    *,
    now: datetime | None = None,
    send_at: datetime | None = None,
) -> list[PlannedMessage]:
    """Exactly what `record_event` would send, without saving anything."""
    clean = validate_params(event_type, params)
    return plan_messages(session, case, event_type, clean, now=now or utcnow(), send_at=send_at)


def record_event(
    session: Session,
    case: Case,
    event_type: str,
    params: Any,
    *,
    occurred_at: datetime,
    actor: str,
    recorded_by_id: int | None = None,
    idempotency_key: str | None = None,
    send_at: datetime | None = None,
    now: datetime | None = None,
) -> RecordedEvent:
    """Record the event and queue the victims' messages, in the caller's transaction.

    With an `idempotency_key` already used on this case, nothing new is created and the
    first event is returned.
    """
    now = now or utcnow()
    if occurred_at.tzinfo is None:
        raise InvalidEvent([{"field": "occurred_at", "message": "needs a time zone"}])
    if idempotency_key:
        scoped_key = f"{case.id}:{idempotency_key}"
        seen = session.exec(
            select(CaseEvent).where(CaseEvent.idempotency_key == scoped_key)
        ).first()
        if seen is not None:
            return RecordedEvent(seen, created=False, queued=0)
    else:
        scoped_key = None
    clean = validate_params(event_type, params)
    days = deadline_days(event_type, enhanced_rights=case.enhanced_rights)
    event = CaseEvent(
        case_id=case.id,
        type=event_type,
        params=clean,
        occurred_at=occurred_at,
        recorded_by_id=recorded_by_id,
        source=actor,
        tell_by=deadline_after(occurred_at, days) if days is not None else None,
        idempotency_key=scoped_key,
        created_at=now,
    )
    session.add(event)
    session.flush()
    moves_to = EVENT_TYPES[event_type].moves_to
    if moves_to is not None:
        case.stage = moves_to
    planned = plan_messages(session, case, event_type, clean, now=now, send_at=send_at)
    rows = [
        notification_row(
            message,
            case_id=case.id,
            event_id=event.id,
            template_key=event_type,
            params=clean,
            idempotency_key=f"event:{event.id}:{message.victim_id}:{message.channel}",
            now=now,
        )
        for message in planned
    ]
    queued = insert_notifications(session, rows)
    session.add(case)
    audit.record(
        session,
        actor=actor,
        action="case_event.recorded",
        subject=f"case:{case.id}",
        details={"event_id": event.id, "type": event_type, "notifications": queued},
    )
    session.flush()
    return RecordedEvent(event, created=True, queued=queued)


def mark_event_told(session: Session, event_id: int, *, sent_at: datetime) -> None:
    """Record when the victims were first told, and whether it met the Code deadline."""
    table = CaseEvent.__table__
    session.execute(
        sa.update(table)
        .where(table.c.id == event_id, table.c.victims_told_at.is_(None))
        .values(
            victims_told_at=sent_at,
            told_in_time=sa.case(
                (table.c.tell_by.is_(None), sa.null()), else_=table.c.tell_by >= sent_at
            ),
        )
    )


def record_contact(session: Session, case_id: int, victim: Victim, *, sent_at: datetime) -> None:
    """A message reached the victim: the next routine update is due after their frequency."""
    table = Case.__table__
    session.execute(
        sa.update(table)
        .where(table.c.id == case_id)
        .values(
            last_contact_at=sent_at,
            next_update_due_at=sent_at + timedelta(days=victim.update_frequency_days),
        )
    )


def events_of(session: Session, case_id: int) -> list[tuple[CaseEvent, int]]:
    """The case's events, newest first, each with how many messages it queued."""
    messages = sa.func.count(Notification.id)
    query = (
        sa.select(CaseEvent, messages)
        .outerjoin(Notification, Notification.event_id == CaseEvent.id)
        .where(CaseEvent.case_id == case_id)
        .group_by(CaseEvent.id)
        .order_by(CaseEvent.occurred_at.desc(), CaseEvent.id.desc())
    )
    return [(event, count) for event, count in session.execute(query).all()]
