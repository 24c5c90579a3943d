"""The victim's answer to a withdrawal an officer recorded: YES makes it count, NO
disputes it, and no answer within 14 days is flagged to the supervisor.

The answer comes from the Yes / No buttons in "My case", or as an SMS reply. An SMS YES
or NO answers one question only: the newest question about a withdrawal still waiting
for an answer that was actually delivered (sent or delivered by the provider, not queued,
failed or waiting for safe hours) to that very number, which is still the victim's
number, before the answer window closed; once answered it is not open any more. Any
other text, including a YES to nothing, is ordinary text for the chatbot. A discreet
victim's phone may be held by the person they fear, so it never answers: they are not
asked by SMS (the message names nothing and says to sign in) and answer in "My case".
A NO, or silence, moves the record to DISPUTED and raises one alert for the area's
supervisor; a disputed record is never a basis for closing the case as "victim does not
support".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, select

from portal.models import (
    Case,
    Channel,
    Notification,
    NotificationStatus,
    Victim,
    WithdrawalRequest,
    WithdrawalStatus,
)

from . import audit, notification_text, withdrawal
from .alerts import raise_alert, supervisor_for_area
from .notification_text import CONFIRMATION_THANKS_NO, CONFIRMATION_THANKS_YES

YES, NO = "yes", "no"

#: Short replies understood by SMS. English works for everyone; each language adds its
#: own words (only for victims whose locale it is, so a word that means "yes" in one
#: language and something else in another is never misread).
REPLY_WORDS: dict[str, dict[str, frozenset[str]]] = {
    "en": {YES: frozenset({"yes", "y", "yeah", "yep"}), NO: frozenset({"no", "n", "nope"})},
    "cy": {
        YES: frozenset({"ie", "do", "ydw", "ydy", "ydi", "oes"}),
        NO: frozenset({"na", "nac ydw", "nac ydy", "nac ydi", "nage"}),
    },
    "pl": {YES: frozenset({"tak"}), NO: frozenset({"nie"})},
    "ro": {YES: frozenset({"da"}), NO: frozenset({"nu"})},
    "pa": {YES: frozenset({"ਹਾਂ", "ਹਾਂਜੀ", "haan", "han", "ji"}), NO: frozenset({"ਨਹੀਂ", "nahi"})},
    "ur": {YES: frozenset({"ہاں", "جی", "haan", "han", "ji"}), NO: frozenset({"نہیں", "nahi"})},
    "pt": {YES: frozenset({"sim"}), NO: frozenset({"não", "nao"})},
    "es": {YES: frozenset({"sí", "si"}), NO: frozenset({"no"})},
    "ar": {YES: frozenset({"نعم", "ايوه", "أيوه", "اه"}), NO: frozenset({"لا", "كلا"})},
    "bn": {YES: frozenset({"হ্যাঁ", "হ্যা", "হাঁ", "ha", "haan"}), NO: frozenset({"না", "na"})},
    "gu": {YES: frozenset({"હા", "ha", "haa"}), NO: frozenset({"ના", "na"})},
    "it": {YES: frozenset({"sì", "si"}), NO: frozenset({"no"})},
    "ta": {YES: frozenset({"ஆம்", "ஆமாம்", "aam", "aamam"}), NO: frozenset({"இல்லை", "illai"})},
    "fr": {YES: frozenset({"oui"}), NO: frozenset({"non"})},
    "lt": {YES: frozenset({"taip"}), NO: frozenset({"ne"})},
    "tr": {YES: frozenset({"evet"}), NO: frozenset({"hayır", "hayir"})},
    "fa": {YES: frozenset({"بله", "آره", "بلی", "bale"}), NO: frozenset({"نه", "خیر", "na"})},
    "so": {YES: frozenset({"haa", "haah"}), NO: frozenset({"maya", "mayo"})},
    "uk": {YES: frozenset({"так"}), NO: frozenset({"ні"})},
}


def _is_part_of_a_word(character: str) -> bool:
    # Letters, numbers and marks: Tamil, Bengali or Gurmukhi words end in vowel signs.
    return unicodedata.category(character)[0] in "LMN"


def reply_word(body: str, locale: str) -> str | None:
    """YES, NO or None for a short SMS reply, in English or the victim's language."""
    text = " ".join(unicodedata.normalize("NFC", body).casefold().split())
    start, end = 0, len(text)
    while start < end and not _is_part_of_a_word(text[start]):
        start += 1
    while end > start and not _is_part_of_a_word(text[end - 1]):
        end -= 1
    text = text[start:end]
    language = locale.split("_")[0]
    for table in (REPLY_WORDS["en"], REPLY_WORDS.get(language, {})):
        for answer, words in table.items():
            if text in words:
                return answer
    return None


def _awaiting(
    session: Session, victim_ids: list[int], *, lock: bool = False
) -> list[WithdrawalRequest]:
    """Records waiting for these victims' answer (newest sealed version only); `lock`
    holds them until commit, so two answers at once cannot both apply."""
    if not victim_ids:
        return []
    query = (
        select(WithdrawalRequest)
        .where(
            WithdrawalRequest.victim_id.in_(victim_ids),
            WithdrawalRequest.status == WithdrawalStatus.AWAITING_VICTIM,
            withdrawal.newest_sealed(),
        )
        .order_by(WithdrawalRequest.id)
    )
    return list(session.exec(query.with_for_update() if lock else query).all())


@dataclass(frozen=True)
class Awaiting:
    request: WithdrawalRequest
    case: Case


def awaiting_for(session: Session, victim_id: int) -> list[Awaiting]:
    """What a victim is asked to confirm, for the section on "My case"."""
    return [
        Awaiting(request, session.get(Case, request.case_id))
        for request in _awaiting(session, [victim_id])
    ]


def _dispute(
    session: Session, request: WithdrawalRequest, *, kind: str, actor: str, now: datetime
) -> None:
    case = session.get(Case, request.case_id)
    withdrawal.move_status(session, request, WithdrawalStatus.DISPUTED, actor=actor, now=now)
    raise_alert(
        session,
        kind=kind,
        staff_id=supervisor_for_area(session, case.force, case.area),
        case_id=case.id,
        victim_id=request.victim_id,
        dedupe_key=f"{kind}:{request.id}",
        now=now,
    )


def answer(
    session: Session, request: WithdrawalRequest, *, yes: bool, via: str, now: datetime
) -> None:
    """Apply the victim's YES (the record now counts) or NO (disputed, supervisor told)."""
    actor = f"victim:{request.victim_id}"
    if yes:
        withdrawal.move_status(session, request, WithdrawalStatus.CONFIRMED, actor=actor, now=now)
    else:
        _dispute(session, request, kind="withdrawal_disputed", actor=actor, now=now)
    audit.record(
        session,
        actor=actor,
        action="withdrawal.victim_confirmed" if yes else "withdrawal.victim_disputed",
        subject=f"case:{request.case_id}",
        details={"withdrawal_id": request.id, "via": via},
    )
    session.flush()


def _open_sms_question(
    session: Session, from_number: str, *, now: datetime
) -> tuple[Notification, WithdrawalRequest, Victim] | None:
    """The question an SMS from this number can answer, locked until commit (so two
    answers at once cannot both apply), or None."""
    delivered = (NotificationStatus.SENT, NotificationStatus.DELIVERED)
    row = session.exec(
        select(Notification, WithdrawalRequest, Victim)
        .join(WithdrawalRequest, WithdrawalRequest.id == Notification.withdrawal_id)
        .join(Victim, Victim.id == Notification.victim_id)
        .where(
            Notification.channel == Channel.SMS,
            Notification.to_address == from_number,
            Notification.status.in_(delivered),
            Notification.sent_at.is_not(None),
            Notification.discreet.is_(False),
            Victim.phone_e164 == from_number,
            Victim.discreet.is_(False),
            WithdrawalRequest.status == WithdrawalStatus.AWAITING_VICTIM,
            WithdrawalRequest.confirmation_due_at > now,
            withdrawal.newest_sealed(),
        )
        .order_by(Notification.sent_at.desc(), Notification.id.desc())
        .limit(1)
        .with_for_update(of=WithdrawalRequest)
    ).first()
    return tuple(row) if row is not None else None


def answer_by_sms(session: Session, *, from_number: str, body: str, now: datetime) -> str | None:
    """The reply to send when this text answers an open question (see the module
    docstring), else None (the chatbot answers). The text itself is never stored."""
    question = _open_sms_question(session, from_number, now=now)
    if question is None:
        return None
    asked, request, _victim = question
    word = reply_word(body, asked.locale)  # English, or the language it was asked in
    if word is None:
        return None
    answer(session, request, yes=word == YES, via="sms", now=now)
    thanks = CONFIRMATION_THANKS_YES if word == YES else CONFIRMATION_THANKS_NO
    return notification_text.translations(asked.locale).gettext(thanks)


class WebAnswer(StrEnum):
    APPLIED = "applied"
    #: Their own record, answered already (a second tap on the button).
    ALREADY_ANSWERED = "already_answered"
    #: Not a record waiting for this victim's answer.
    NOT_THEIRS = "not_theirs"


def answer_on_web(
    session: Session, victim_id: int, request_id: int, *, yes: bool, now: datetime
) -> WebAnswer:
    """Apply an answer from "My case", if this record waits for this victim's answer."""
    request = next(
        (r for r in _awaiting(session, [victim_id], lock=True) if r.id == request_id), None
    )
    if request is not None:
        answer(session, request, yes=yes, via="web", now=now)
        return WebAnswer.APPLIED
    record = session.get(WithdrawalRequest, request_id)
    answered = (
        record is not None
        and record.victim_id == victim_id
        and any(
            entry["status"] == WithdrawalStatus.AWAITING_VICTIM for entry in record.status_history
        )
    )
    return WebAnswer.ALREADY_ANSWERED if answered else WebAnswer.NOT_THEIRS


def flag_unanswered(session: Session, *, now: datetime) -> int:
    """Records nobody answered within 14 days become DISPUTED, and the supervisor gets one
    alert each. Idempotent: a record is moved once, an alert raised once."""
    overdue = session.exec(
        select(WithdrawalRequest)
        .where(
            WithdrawalRequest.status == WithdrawalStatus.AWAITING_VICTIM,
            WithdrawalRequest.confirmation_due_at <= now,
        )
        .order_by(WithdrawalRequest.confirmation_due_at)
        .with_for_update(skip_locked=True)
    ).all()
    for request in overdue:
        _dispute(session, request, kind="withdrawal_unanswered", actor="system", now=now)
        audit.record(
            session,
            actor="system",
            action="withdrawal.unanswered",
            subject=f"case:{request.case_id}",
            details={"withdrawal_id": request.id},
        )
    session.flush()
    return len(overdue)
