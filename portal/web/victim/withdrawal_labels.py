"""Plain words for every code in the withdrawal flow (reasons, answers, help offers), and
the answers of a record as (question, answer) rows in whatever locale is active."""

from __future__ import annotations

from datetime import time

from flask_babel import get_locale, gettext, lazy_gettext

from portal.i18n import DEFAULT_LOCALE, format_clock, isolate_text
from portal.models import (
    HelpOffer,
    PressureAnswer,
    WithdrawalAnswer,
    WithdrawalReason,
    WithdrawalRequest,
    YesNoNotSure,
)

R = WithdrawalReason
REASONS = {
    R.MOVE_ON: lazy_gettext("I want to move on with my life"),
    R.RETRAUMATISATION: lazy_gettext("Going through it again is too hard"),
    R.FEAR_OF_OFFENDER: lazy_gettext("I am afraid of the person who did it"),
    R.PRESSURE: lazy_gettext(
        "Someone is putting pressure on me (the suspect, my family or my community)"
    ),
    R.RECONCILED_OR_DEPENDENT: lazy_gettext("We are back together, or I depend on them"),
    R.PROCESS_TOO_LONG: lazy_gettext("It is taking too long"),
    R.NO_UPDATES: lazy_gettext("Nobody tells me what is happening"),
    R.NOT_BELIEVED: lazy_gettext("I do not feel believed"),
    R.TOLD_UNLIKELY_TO_SUCCEED: lazy_gettext("I was told the case would go nowhere"),
    R.COURT_FEAR: lazy_gettext("I am afraid of going to court"),
    R.DIGITAL_EVIDENCE_REQUEST: lazy_gettext("I do not want to give my phone or messages"),
    R.IMMIGRATION_FEAR: lazy_gettext("I am worried about my immigration status"),
    R.LANGUAGE_BARRIER: lazy_gettext("I cannot understand, or I am not understood"),
    R.FAMILY_COURT_OR_CHILDREN: lazy_gettext("Because of family court or my children"),
    R.ALTERNATIVE_OUTCOME: lazy_gettext(
        "I want something else: support, help for them to change, or only to have it on record"
    ),
    R.SAFETY_ACHIEVED: lazy_gettext("I feel safe now"),
    R.OTHER: lazy_gettext("Another reason"),
}

PRESSURE = {
    PressureAnswer.YES: lazy_gettext("Yes"),
    PressureAnswer.NO: lazy_gettext("No"),
    PressureAnswer.PREFER_NOT_TO_SAY: lazy_gettext("I would rather not say"),
}

YES_NO_NOT_SURE = {
    YesNoNotSure.YES: lazy_gettext("Yes"),
    YesNoNotSure.NO: lazy_gettext("No"),
    YesNoNotSure.NOT_SURE: lazy_gettext("Not sure"),
}

SAFE_CONTACT_CHANNELS = {
    "call": lazy_gettext("A phone call"),
    "sms": lazy_gettext("A text message"),
    "email": lazy_gettext("An email"),
    "isva": lazy_gettext("Through my support worker (ISVA)"),
}

UPDATE_CHANNELS = {
    "sms": lazy_gettext("By text message"),
    "email": lazy_gettext("By email"),
}

H = HelpOffer
#: Each offer with one plain line saying what it means.
HELP_OFFERS = {
    H.CALLBACK: (
        lazy_gettext("A call back"),
        lazy_gettext("Someone calls you at a safe time to talk it through."),
    ),
    H.SUPPORT_REFERRAL: (
        lazy_gettext("Support from an adviser"),
        lazy_gettext("We ask a free support service or an ISVA to contact you."),
    ),
    H.FEWER_UPDATES: (
        lazy_gettext("Fewer updates"),
        lazy_gettext("We contact you less often about your case."),
    ),
    H.DIFFERENT_UPDATES: (
        lazy_gettext("Updates in a different way"),
        lazy_gettext("For example by email instead of text, or at other times."),
    ),
    H.ANOTHER_OFFICER: (
        lazy_gettext("A different officer"),
        lazy_gettext("Another officer looks after your case."),
    ),
    H.INTERPRETER: (
        lazy_gettext("An interpreter"),
        lazy_gettext("A free interpreter in your language for calls and meetings."),
    ),
    H.SPECIAL_MEASURES: (
        lazy_gettext("Help to give evidence at court"),
        lazy_gettext("For example a screen, or speaking by video from another room."),
    ),
    H.PROTECTIVE_ORDERS: (
        lazy_gettext("Information about protective orders"),
        lazy_gettext("Court orders that can stop someone contacting you or coming near you."),
    ),
}

A = WithdrawalAnswer
QUESTIONS = {
    A.PRESSURE: lazy_gettext(
        "Has anyone pressured you, threatened you or contacted you about the case?"
    ),
    A.SAFE_TO_CONTACT: lazy_gettext("Is it safe for us to contact you?"),
    A.SAFE_CONTACT_CHANNEL: lazy_gettext("How is it safe to contact you?"),
    A.SAFE_CONTACT_HOURS: lazy_gettext("When is it safe to contact you?"),
    A.SUPPORT_NOW: lazy_gettext("Would you like us to refer you to a support service now?"),
    A.EVIDENCE_LED: lazy_gettext(
        "Would you be content for the police to carry on without your evidence?"
    ),
    A.KEEP_UPDATES: lazy_gettext("Do you still want updates about the case?"),
    A.UPDATE_CHANNELS: lazy_gettext("How do you want updates?"),
    A.TALK_FIRST: lazy_gettext("Would you like to talk to someone before this is final?"),
}

#: The answer labels for each question with a fixed set of answers.
OPTIONS = {
    A.PRESSURE: PRESSURE,
    A.SAFE_TO_CONTACT: YES_NO_NOT_SURE,
    A.SAFE_CONTACT_CHANNEL: SAFE_CONTACT_CHANNELS,
    A.SUPPORT_NOW: YES_NO_NOT_SURE,
    A.EVIDENCE_LED: YES_NO_NOT_SURE,
    A.KEEP_UPDATES: YES_NO_NOT_SURE,
    A.UPDATE_CHANNELS: UPDATE_CHANNELS,
    A.TALK_FIRST: YES_NO_NOT_SURE,
}


def _answer_text(key: str, value) -> str:
    if key == A.SAFE_CONTACT_HOURS:
        locale = str(get_locale() or DEFAULT_LOCALE)
        start, end = (
            isolate_text(format_clock(time.fromisoformat(clock), locale), locale)
            for clock in value.split("-")
        )
        return gettext("From %(start)s to %(end)s", start=start, end=end)
    labels = OPTIONS[key]
    values = value if isinstance(value, list) else [value]
    return ", ".join(str(labels.get(item, item)) for item in values)


def answer_rows(
    record: WithdrawalRequest, keys: tuple[str, ...] | None = None
) -> list[tuple[str, str]]:
    """(question, answer) for every answered question (of `keys`, when given), in the order
    they are asked."""
    return [
        (str(QUESTIONS[key]), _answer_text(key, record.answers[key]))
        for key in QUESTIONS
        if (keys is None or key in keys) and record.answers.get(key) not in (None, [], "")
    ]


def reason_labels(record: WithdrawalRequest) -> list[str]:
    return [str(label) for code, label in REASONS.items() if code in record.reasons]


def help_offer_labels(offers: list[str]) -> list[str]:
    return [str(HELP_OFFERS[code][0]) for code in offers if code in HELP_OFFERS]
