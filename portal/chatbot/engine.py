"""reply(): detect the language, match the intent, answer with approved text and actions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from portal.i18n import normalise

from . import danger, intents, language
from .catalog import translate
from .dialects import choose_locale
from .text import words
from .texts import ACTION_LABELS, INTERPRETER_OFFER, LOW_CONFIDENCE, REPLIES, TOPIC_LABELS

#: Below this confidence we say we are not sure and offer topics and a person.
LOW_CONFIDENCE_THRESHOLD = 0.30
#: Language detection below this confidence is "unsure": the chosen locale wins.
UNSURE_LANGUAGE = 0.5
#: Messages this short are too short to detect a language reliably.
SHORT_MESSAGE_WORDS = 2
TOPIC_COUNT = 3
_NOT_TOPICS = frozenset({"greeting", "fallback"})
_DEFAULT_TOPICS = ("rights_overview", "case_status", "support_services", "talk_to_person")

#: The Victims' Code right each intent is about (the web layer makes it a URL).
RIGHT_FOR_INTENT: dict[str, int] = {
    "interpreter": 1,
    "crime_reference": 3,
    "support_services": 4,
    "compensation": 5,
    "case_updates": 6,
    "personal_statement": 7,
    "court_and_special_measures": 8,
    "case_outcome": 9,
    "expenses_property": 10,
    "offender_release": 11,
    "complaint": 12,
    "immigration_status": 4,
}
#: Actions offered after the rights page, per intent.
EXTRA_ACTIONS: dict[str, tuple[str, ...]] = {
    "greeting": ("topics",),
    "rights_overview": ("rights_index",),
    "interpreter": ("interpreter",),
    "support_services": ("callback",),
    "case_updates": ("callback",),
    "complaint": ("callback",),
    "withdraw": ("callback", "withdraw"),
    "danger": ("emergency",),
    "talk_to_person": ("callback",),
    "change_contact": ("change_contact",),
    "immigration_status": ("callback",),
    "fallback": ("topics", "callback"),
}


class Victim(Protocol):
    locale: str | None
    sms_status_replies: bool


@dataclass(frozen=True)
class Action:
    """kind: what to do; target: a right number for rights pages, "999" for emergency."""

    kind: str
    label: str
    target: int | str | None = None


@dataclass(frozen=True)
class Topic:
    intent: str
    label: str


@dataclass(frozen=True)
class Reply:
    intent: str
    language: str
    locale: str
    text: str
    actions: tuple[Action, ...]
    confidence: float
    topics: tuple[Topic, ...] = ()


@dataclass(frozen=True)
class _Language:
    language: str
    locale: str
    supported: bool


def _resolve_language(text: str, preferred: str | None) -> _Language:
    detection = language.detect(text)
    certain = detection is not None and detection.certain
    short = len(words(text)) <= SHORT_MESSAGE_WORDS
    unsure = detection is None or detection.confidence < UNSURE_LANGUAGE
    if preferred and not certain and (short or unsure):
        return _Language(preferred.split("_")[0], preferred, True)
    if detection is None:
        return _Language("en", "en", True)
    if not detection.supported:
        return _Language(detection.language, "en", False)
    return _Language(detection.language, choose_locale(detection.language, text, preferred), True)


def _intent(text: str, supported: bool) -> tuple[str, float, list[intents.Ranked]]:
    """The intent, with danger first. The low bar for the model's danger score applies
    only to languages the model was trained on; elsewhere its scores are noise."""
    ranked = intents.rank(text)
    if danger.mentions_danger(text):
        return "danger", 1.0, ranked
    danger_p = next(r.probability for r in ranked if r.intent == "danger")
    if supported and danger_p >= danger.MODEL_THRESHOLD:
        return "danger", danger_p, ranked
    return ranked[0].intent, ranked[0].probability, ranked


def _action(kind: str, locale: str, target: int | str | None = None) -> Action:
    return Action(kind, translate(locale, ACTION_LABELS[kind]), target)


def _actions(intent: str, locale: str) -> list[Action]:
    found: list[Action] = []
    if intent in RIGHT_FOR_INTENT:
        found.append(_action("rights_page", locale, RIGHT_FOR_INTENT[intent]))
    for kind in EXTRA_ACTIONS.get(intent, ()):
        found.append(_action(kind, locale, "999" if kind == "emergency" else None))
    return found


def _case_status(locale: str, victim: Victim | None, channel: str) -> tuple[str, list[Action]]:
    """Case details only to a signed-in victim on the web, or by SMS if they allowed it."""
    may_show = victim is not None and (
        channel != "sms" or bool(getattr(victim, "sms_status_replies", False))
    )
    if may_show:
        return REPLIES["case_status_shown"], [_action("case_status", locale)]
    return REPLIES["case_status_sign_in"], [_action("sign_in", locale)]


def _topics(intents_in_order: list[str], locale: str) -> tuple[Topic, ...]:
    chosen = [i for i in intents_in_order if i not in _NOT_TOPICS][:TOPIC_COUNT]
    return tuple(Topic(i, translate(locale, TOPIC_LABELS[i])) for i in chosen)


def all_topics(locale: str) -> tuple[Topic, ...]:
    """Every topic a person can choose from a list, labelled in `locale`."""
    return tuple(Topic(i, translate(locale, label)) for i, label in TOPIC_LABELS.items())


def _answer(
    intent: str, locale: str, victim: Victim | None, channel: str
) -> tuple[str, list[Action], tuple[Topic, ...]]:
    """The approved message, actions and topics for an intent we are sure of."""
    if intent == "case_status":
        message, actions = _case_status(locale, victim, channel)
        return message, actions, ()
    topics = _topics(list(_DEFAULT_TOPICS), locale) if intent == "fallback" else ()
    return REPLIES[intent], _actions(intent, locale), topics


def reply(
    text: str, locale: str | None = None, victim: Victim | None = None, channel: str = "web"
) -> Reply:
    """Answer one message. ``locale`` is the one the victim chose on the page, if any."""
    preferred = normalise(locale) or normalise(getattr(victim, "locale", None))
    lang = _resolve_language(text, preferred)
    intent, confidence, ranked = _intent(text, lang.supported)

    if confidence < LOW_CONFIDENCE_THRESHOLD:
        intent = "fallback"
        message = LOW_CONFIDENCE
        actions = [_action("callback", lang.locale)]
        topics = _topics([r.intent for r in ranked], lang.locale)
    else:
        message, actions, topics = _answer(intent, lang.locale, victim, channel)

    body = translate(lang.locale, message)
    if not lang.supported:
        body = f"{body} {translate('en', INTERPRETER_OFFER)}"
        if intent != "danger":
            actions.append(_action("interpreter", "en"))
    return Reply(
        intent=intent,
        language=lang.language,
        locale=lang.locale,
        text=body,
        actions=tuple(actions),
        confidence=round(confidence, 3),
        topics=topics,
    )


def reply_to_topic(
    intent: str, locale: str | None = None, victim: Victim | None = None, channel: str = "web"
) -> Reply:
    """Answer a topic the person chose from a list (``all_topics``): the intent is certain
    and ``locale`` is the language the list was shown in. KeyError for an unknown topic."""
    if intent not in TOPIC_LABELS:
        raise KeyError(intent)
    chosen = normalise(locale) or normalise(getattr(victim, "locale", None)) or "en"
    message, actions, topics = _answer(intent, chosen, victim, channel)
    return Reply(
        intent=intent,
        language=chosen.split("_")[0],
        locale=chosen,
        text=translate(chosen, message),
        actions=tuple(actions),
        confidence=1.0,
        topics=topics,
    )
