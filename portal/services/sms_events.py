"""What Twilio tells us about SMS: delivery status callbacks and texts victims send.

Each callback and each text is processed at most once (webhook_receipts: a replayed or
retried request does nothing), and a callback about a message we never sent is ignored.
Status only moves forward (queued < sending < sent < delivered; failed or undelivered
only from sent), so late callbacks change nothing. A text is read in a fixed order: STOP
and START keywords change the victim's SMS consent (later messages to an opted-out
number are cancelled by the dispatcher before any attempt); then a YES or NO answering a
withdrawal question delivered to that number; anything else goes to the chatbot.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from portal import chatbot
from portal.models import Case, CaseVictim, ConsentRecord, Notification, NotificationStatus, Victim
from portal.models.base import utcnow

from . import audit, chat_counts, notification_text, webhook_receipts, withdrawal_confirmation
from .case_stages import stage_name

#: Twilio's opt-out and opt-in keywords. YES is not one: it may answer a withdrawal
#: question (services/withdrawal_confirmation.py, asked before the chatbot).
STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
START_WORDS = frozenset({"START", "UNSTOP"})

_RANK = {
    NotificationStatus.QUEUED: 0,
    NotificationStatus.SENDING: 1,
    NotificationStatus.SENT: 2,
    NotificationStatus.DELIVERED: 3,
}
_TWILIO_STATUS = {
    "accepted": NotificationStatus.SENDING,
    "queued": NotificationStatus.SENDING,
    "sending": NotificationStatus.SENDING,
    "sent": NotificationStatus.SENT,
    "delivered": NotificationStatus.DELIVERED,
    "read": NotificationStatus.DELIVERED,
    "undelivered": NotificationStatus.FAILED,
    "failed": NotificationStatus.FAILED,
}


def record_status(
    session: Session,
    *,
    provider_reference: str,
    twilio_status: str,
    error_code: str | None,
    now: datetime,
) -> bool:
    """Apply a status callback; True when it moved the notification forward. Nothing
    happens for an unknown status, a message we did not send or a callback seen before."""
    new = _TWILIO_STATUS.get(twilio_status.lower())
    notification = session.exec(
        select(Notification).where(Notification.provider_reference == provider_reference)
    ).first()
    if new is None or notification is None:
        return False
    if not webhook_receipts.first_time(
        session,
        kind=webhook_receipts.STATUS,
        message_sid=provider_reference,
        message_status=twilio_status.lower(),
        now=now,
    ):
        return False
    current = notification.status
    if new == NotificationStatus.FAILED:
        if current != NotificationStatus.SENT:
            return False
        notification.status = NotificationStatus.FAILED
        notification.failed_at = now
        notification.last_error = f"Twilio status {twilio_status} code {error_code or '-'}"[:300]
    elif current in _RANK and _RANK[new] > _RANK[current]:
        notification.status = new
        if new == NotificationStatus.DELIVERED:
            notification.delivered_at = now
    else:
        return False
    session.add(notification)
    return True


def receive_text(
    session: Session, *, message_sid: str, from_number: str, body: str, now: datetime
) -> str | None:
    """Process a text a victim sent, once; return the SMS reply, if any. The caller
    commits (the receipt and the effect together)."""
    if not webhook_receipts.first_time(
        session, kind=webhook_receipts.INBOUND, message_sid=message_sid, now=now
    ):
        return None
    word = keyword(body)
    if word is not None:
        # Twilio's own opt-out handling answers STOP/START; we only record the consent.
        apply_keyword(session, from_number=from_number, word=word, now=now)
        return None
    answer = withdrawal_confirmation.answer_by_sms(
        session, from_number=from_number, body=body, now=now
    )
    if answer is not None:
        return answer
    return reply_to_inbound_text(session, from_number=from_number, body=body)


def keyword(body: str) -> str | None:
    """'stop', 'start' or None for any other text."""
    word = body.strip().upper()
    if word in STOP_WORDS:
        return "stop"
    if word in START_WORDS:
        return "start"
    return None


def apply_keyword(session: Session, *, from_number: str, word: str, now: datetime) -> int:
    """Record STOP or START for every victim with this number; return how many."""
    victims = session.exec(select(Victim).where(Victim.phone_e164 == from_number)).all()
    for victim in victims:
        open_consents = session.exec(
            select(ConsentRecord).where(
                ConsentRecord.victim_id == victim.id,
                ConsentRecord.kind == "sms",
                ConsentRecord.withdrawn_at.is_(None),
            )
        ).all()
        if word == "stop":
            victim.sms_opted_out_at = victim.sms_opted_out_at or now
            for consent in open_consents:
                consent.withdrawn_at = now
                session.add(consent)
            if not open_consents:
                session.add(
                    ConsentRecord(
                        victim_id=victim.id,
                        kind="sms",
                        given_via="sms",
                        given_at=now,
                        withdrawn_at=now,
                    )
                )
            action = "sms_consent.withdrawn"
        else:
            victim.sms_opted_out_at = None
            victim.phone_unreachable_at = None
            session.add(
                ConsentRecord(victim_id=victim.id, kind="sms", given_via="sms", given_at=now)
            )
            action = "sms_consent.given"
        session.add(victim)
        audit.record(
            session,
            actor=f"victim:{victim.id}",
            action=action,
            subject=f"victim:{victim.id}",
            details={"via": "sms_keyword"},
        )
    return len(victims)


def reply_to_inbound_text(session: Session, *, from_number: str, body: str) -> str:
    """Answer any other text with the chatbot, never storing what was written (only the
    count of answers per intent and language). The caller commits.

    The phone may be read by someone else: a victim in discreet mode gets only the
    neutral "sign in to read it" line (advice in danger excepted), and the stage of the
    case goes out only when the victim allowed status replies by SMS.
    """
    victim = session.exec(select(Victim).where(Victim.phone_e164 == from_number)).first()
    answer = chatbot.reply(body, victim=victim, channel="sms")
    chat_counts.record(
        session, intent=answer.intent, language=answer.language, channel="sms", now=utcnow()
    )
    if victim is not None and victim.discreet and answer.intent != "danger":
        return notification_text.translations(victim.locale).gettext(notification_text.DISCREET.sms)
    if victim is not None and any(action.kind == "case_status" for action in answer.actions):
        case = session.exec(
            select(Case)
            .join(CaseVictim, CaseVictim.case_id == Case.id)
            .where(CaseVictim.victim_id == victim.id)
            .order_by(Case.reported_at.desc())
        ).first()
        if case is not None:
            return f"{answer.text} {stage_name(case.stage, answer.locale)}."
    return answer.text
