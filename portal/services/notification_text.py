"""Message texts for victims, by SMS and email, in the victim's own language.

The texts live in their own gettext domain, `notifications` (translations/notifications.pot,
extracted from this module with the `_notify` keyword), so they never collide with the web
pages' `messages` domain. A locale without a catalog falls back to English.

Officer free text is never machine-translated: it is sent as written, under a label in the
victim's language, with an offer of an interpreter. Discreet texts name nothing: not the
police, the crime, the court or the portal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from babel.support import NullTranslations, Translations
from markupsafe import escape

from portal.config import PROJECT_ROOT
from portal.i18n import (
    DEFAULT_LOCALE,
    format_day_time,
    isolate_ltr_text,
    isolate_text,
    text_direction,
)

from .events import EVENT_TYPES

DOMAIN = "notifications"
TRANSLATIONS_DIR = PROJECT_ROOT / "translations"
CHECK_IN = "check_in"
WITHDRAWAL_CONFIRM = "withdrawal_confirm_request"
SIGN_IN_CODE = "sign_in_code"


def _notify(message: str) -> str:
    """Mark a text for the `notifications` catalog; it is translated when rendered."""
    return message


@dataclass(frozen=True)
class Texts:
    sms: str
    subject: str
    body: str


#: The English source of every message. Placeholders: {reference} (crime reference),
#: {date} (a date and time), {place}.
TEXTS: dict[str, Texts] = {
    "report_acknowledged": Texts(
        _notify("We have recorded your report. Your crime reference is {reference}."),
        _notify("We have recorded your report"),
        _notify(
            "Thank you for telling us what happened. We have recorded your report. "
            "Your crime reference is {reference}. Keep it safe: you may need it. "
            "An officer will look at your case and keep you updated."
        ),
    ),
    "needs_assessment_done": Texts(
        _notify("We have talked about the support you need. We will keep you updated."),
        _notify("Your support needs"),
        _notify(
            "Thank you for talking with us about the support you need. "
            "We will refer you to the services we agreed. "
            "You can ask for more help at any time."
        ),
    ),
    "suspect_arrested": Texts(
        _notify("A suspect has been arrested in your case {reference}."),
        _notify("A suspect has been arrested"),
        _notify(
            "A suspect has been arrested in your case {reference}. "
            "We will tell you what happens next."
        ),
    ),
    "suspect_interviewed": Texts(
        _notify("The suspect in your case {reference} has been interviewed."),
        _notify("The suspect has been interviewed"),
        _notify(
            "The suspect in your case {reference} has been interviewed. "
            "We will tell you what happens next."
        ),
    ),
    "released_under_investigation": Texts(
        _notify(
            "The suspect in your case {reference} has been released while we keep investigating."
        ),
        _notify("The suspect has been released while we investigate"),
        _notify(
            "The suspect in your case {reference} has been released under investigation. "
            "This means we are still investigating. There are no bail conditions. "
            "If you feel unsafe, call 999."
        ),
    ),
    "bailed": Texts(
        _notify("The suspect in your case {reference} has been released on bail."),
        _notify("The suspect has been released on bail"),
        _notify(
            "The suspect in your case {reference} has been released on bail. "
            "They must keep to conditions that protect you. "
            "If they break a condition, call 999."
        ),
    ),
    "charged": Texts(
        _notify("The suspect in your case {reference} has been charged. Court: {date}, {place}."),
        _notify("The suspect has been charged"),
        _notify(
            "The suspect in your case {reference} has been charged. "
            "The first court hearing is on {date} at {place}. "
            "You do not need to go to this hearing unless we ask you to."
        ),
    ),
    "out_of_court_disposal": Texts(
        _notify("Your case {reference} has been dealt with without going to court."),
        _notify("Your case has been dealt with"),
        _notify(
            "Your case {reference} has been dealt with without going to court. "
            "You can ask us to explain the decision."
        ),
    ),
    "no_further_action": Texts(
        _notify("We have decided to stop your case {reference}. You can ask for a review."),
        _notify("A decision about your case"),
        _notify(
            "We are sorry: we have decided to take no further action in your case "
            "{reference}. You have the right to ask for this decision to be reviewed."
        ),
    ),
    "court_date_set": Texts(
        _notify("Your case {reference} is at court on {date}, {place}."),
        _notify("A court date has been set"),
        _notify(
            "Your case {reference} will be heard at court on {date} at {place}. "
            "If you are a witness, we will tell you what to expect and what help you can have."
        ),
    ),
    "trial_adjourned": Texts(
        _notify("The trial in your case {reference} has moved to {date}."),
        _notify("The trial date has changed"),
        _notify(
            "The trial in your case {reference} has been moved. The new date is {date}. "
            "We know this can be hard. Tell us if you need support."
        ),
    ),
    "outcome_and_sentence": Texts(
        _notify("There is an outcome in your case {reference}."),
        _notify("The outcome of your case"),
        _notify(
            "Your case {reference} has reached an outcome at court. "
            "You can ask us about it, and about the Victim Contact Scheme."
        ),
    ),
    "vps_invitation": Texts(
        _notify("You can tell the court how the crime affected you. Ask us how."),
        _notify("Your Victim Personal Statement"),
        _notify(
            "You can make a Victim Personal Statement in your case {reference}. "
            "It tells the court, in your own words, how the crime has affected you. "
            "Tell us if you would like to make one."
        ),
    ),
    "compensation_information": Texts(
        _notify("You may be able to get compensation. We have sent you the details."),
        _notify("Compensation"),
        _notify(
            "You may be able to get compensation for what happened to you "
            "(case {reference}). Ask us and we will help you apply."
        ),
    ),
    "property_ready": Texts(
        _notify("Your property is ready to collect (case {reference})."),
        _notify("Your property is ready to collect"),
        _notify(
            "Your property is ready to collect (case {reference}). "
            "Please bring something that shows who you are."
        ),
    ),
    "general_update": Texts(
        _notify("There is an update on your case {reference}."),
        _notify("An update on your case"),
        _notify("Your officer has sent you an update on your case {reference}."),
    ),
    CHECK_IN: Texts(
        _notify("We are still working on your case {reference}. Contact us if you need anything."),
        _notify("We are still working on your case"),
        _notify(
            "We want you to know that we are still working on your case {reference}. "
            "There is no news yet. We will write again soon. "
            "Contact us if anything has changed or you need support."
        ),
    ),
    #: An officer recorded a withdrawal (by phone or in person): the victim is asked to say
    #: it is right (YES) or wrong (NO) by SMS reply or in "My case" (email cannot be answered).
    WITHDRAWAL_CONFIRM: Texts(
        _notify(
            "Your officer noted that you want to stop helping with case {reference}. "
            "Is this right? Reply YES, or NO if this is wrong."
        ),
        _notify("Please tell us if this is right"),
        _notify(
            "Your officer noted that you told them you want to stop helping the police "
            "with case {reference}. We want to be sure this is what you want. "
            "Is this right? Sign in to see your case and answer Yes, or No if this is wrong. "
            "If we sent you a text message, you can also reply to it: YES, or NO if this is "
            "wrong. If it is wrong, your case will not be closed for this reason."
        ),
    ),
}

#: Every message to a discreet victim, whatever it is about. It asks for no reply: a
#: withdrawal is confirmed in "My case", never from a phone someone else may hold.
DISCREET = Texts(
    _notify("You have a new message. Please sign in to read it."),
    _notify("New message"),
    _notify("You have a new message. Please sign in to read it."),
)
#: A victim's sign-in code (SMS text or email text, and the email subject). The code is
#: rendered only at send time and never stored.
SIGN_IN_TEXTS = Texts(
    _notify(
        "Your code to see your case on the victim support site is {code}. "
        "It expires in 10 minutes. Do not share it with anyone."
    ),
    _notify("Your sign-in code"),
    _notify(
        "Your code to see your case on the victim support site is {code}. "
        "It expires in 10 minutes. Do not share it with anyone."
    ),
)
DISCREET_SIGN_IN_TEXTS = Texts(
    _notify("Your code is {code}. It expires in 10 minutes."),
    _notify("Your code"),
    _notify("Your code is {code}. It expires in 10 minutes."),
)
#: The SMS answer to a victim's YES or NO (neutral, so discreet victims get it too).
CONFIRMATION_THANKS_YES = _notify("Thank you. We have your answer: yes.")
CONFIRMATION_THANKS_NO = _notify(
    "Thank you. We have noted that this is wrong. We will look into it."
)
OFFICER_TEXT_LABEL = _notify("Your officer wrote this in English:")
INTERPRETER_OFFER = _notify(
    "If you would like an interpreter, reply or ask us and we will arrange one."
)

#: Params holding a date and time, and params holding a place, for each message.
DATE_PARAMS = ("court_date", "new_date")
PLACE_PARAMS = ("court_place",)


@dataclass(frozen=True)
class RenderedMessage:
    locale: str
    sms: str
    subject: str
    text: str
    html: str


@lru_cache(maxsize=64)
def translations(locale: str) -> NullTranslations:
    """The `notifications` catalog for a locale, or English (no catalog) when missing."""
    return Translations.load(str(TRANSLATIONS_DIR), [locale], domain=DOMAIN)


def _values(params: dict[str, Any], crime_reference: str, locale: str) -> dict[str, str]:
    """The placeholders' values, formatted and isolated for the locale: the one place
    message parameters become text. In a right-to-left locale the crime reference is put
    between LRI and PDI and the date between FSI and PDI, so neither is reordered."""
    values = {"reference": isolate_ltr_text(crime_reference, locale), "date": "", "place": ""}
    for name in DATE_PARAMS:
        if params.get(name):
            when = format_day_time(datetime.fromisoformat(params[name]), locale)
            values["date"] = isolate_text(when, locale)
    for name in PLACE_PARAMS:
        if params.get(name):
            values["place"] = isolate_text(params[name], locale)
    return values


def render(
    template_key: str,
    *,
    locale: str,
    params: dict[str, Any],
    crime_reference: str,
    discreet: bool,
) -> RenderedMessage:
    """The exact SMS and email for one victim, in their language."""
    locale = locale or DEFAULT_LOCALE
    gettext = translations(locale).gettext
    if discreet:
        texts, values, officer_text = DISCREET, {}, []
    else:
        texts = TEXTS[template_key]
        values = _values(params, crime_reference, locale)
        event = EVENT_TYPES.get(template_key)
        fields = event.officer_text_fields if event else ()
        officer_text = [params[name] for name in fields if params.get(name)]
    sms = gettext(texts.sms).format(**values)
    subject = gettext(texts.subject).format(**values)
    paragraphs = [gettext(texts.body).format(**values)]
    if officer_text:
        label = gettext(OFFICER_TEXT_LABEL)
        offer = gettext(INTERPRETER_OFFER)
        sms = "\n".join([sms, label, *officer_text, offer])
        paragraphs += [label, *officer_text, offer]
    text = "\n\n".join(paragraphs)
    direction = text_direction(locale)
    html = (
        f'<!doctype html><html lang="{locale.replace("_", "-")}" dir="{direction}">'
        f"<body>{''.join(f'<p>{escape(p)}</p>' for p in paragraphs)}</body></html>"
    )
    return RenderedMessage(locale=locale, sms=sms, subject=subject, text=text, html=html)


def render_sign_in_code(code: str, *, locale: str, discreet: bool) -> RenderedMessage:
    """A sign-in code message in the victim's language; discreet: names nothing at all."""
    locale = locale or DEFAULT_LOCALE
    gettext = translations(locale).gettext
    texts = DISCREET_SIGN_IN_TEXTS if discreet else SIGN_IN_TEXTS
    text = gettext(texts.body).format(code=isolate_ltr_text(code, locale))
    return RenderedMessage(
        locale=locale, sms=text, subject=gettext(texts.subject), text=text, html=""
    )


# --- SMS segments (what the officer sees in the preview) -------------------------------

_GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = set("^{}\\[~]|€\f")


@dataclass(frozen=True)
class SmsSegments:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int


def sms_segments(body: str) -> SmsSegments:
    """How many SMS parts a text takes, as a phone network splits it.

    GSM-7: 160 septets in one text, 153 per part once split (6 go to the part header);
    the extension characters (€ [ ] { } ^ ~ | \\ and form feed) take two septets. One
    character outside GSM-7 makes the whole text UCS-2: 70 UTF-16 units in one text, 67
    per part. A two-unit character (an escape pair, an emoji's surrogate pair) is never
    cut between two parts, so a long text can need one part more than units / 153.
    """
    if all(ch in _GSM7_BASIC or ch in _GSM7_EXTENDED for ch in body):
        costs = [2 if ch in _GSM7_EXTENDED else 1 for ch in body]
        single, part, encoding = 160, 153, "GSM-7"
    else:
        costs = [len(ch.encode("utf-16-le")) // 2 for ch in body]
        single, part, encoding = 70, 67, "UCS-2"
    units = sum(costs)
    if units <= single:
        return SmsSegments(encoding, units, 1 if units else 0)
    segments, used = 1, 0
    for cost in costs:
        if used + cost > part:
            segments, used = segments + 1, 0
        used += cost
    return SmsSegments(encoding, units, segments)
