"""reply(): detect the language, match the intent, answer with approved text and actions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from portal.i18n import normalise

from . import danger, intents, language
from .catalog import translate
from .dialects import choose_locale
from .text import words
from .texts import (
    ACTION_LABELS,
    DISCREET_LINES,
    HELPLINE,
    INTERPRETER_OFFER,
    LOW_CONFIDENCE,
    PHONE_NUMBERS,
    REPLIES,
    SAMARITANS,
    SELF_HARM,
    TOPIC_LABELS,
)

#: Below this confidence we say we are not sure and offer topics and a person.
LOW_CONFIDENCE_THRESHOLD = 0.30
#: Language detection below this confidence is "unsure": the chosen locale wins.
UNSURE_LANGUAGE = 0.5
#: Messages this short are too short to detect a language reliably.
SHORT_MESSAGE_WORDS = 2
TOPIC_COUNT = 3
_NOT_TOPICS = frozenset({"greeting", "fallback", "danger"})
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
    "danger": ("emergency", "helpline", "samaritans"),
    "talk_to_person": ("callback",),
    "change_contact": ("change_contact",),
    "immigration_status": ("callback",),
    "fallback": ("topics", "callback"),
}


class Victim(Protocol):
    locale: str | None
    sms_status_replies: bool
    discreet: bool


@dataclass(frozen=True)
class Action:
    """kind: what to do; target: a right number for rights pages, the number to call for
    "emergency", "samaritans" and "helpline" (a tel: link on the web)."""

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
    #: For a danger answer: the kind of danger (corpus.DANGER_KINDS).
    danger: str | None = None


@dataclass(frozen=True)
class _Language:
    language: str
    locale: str
    supported: bool
    #: A guess we are not sure of: the answer also offers an interpreter.
    unsure: bool = False


def _resolve_language(text: str, preferred: str | None) -> _Language:
    detection = language.detect(text)
    certain = detection is not None and detection.certain
    short = len(words(text)) <= SHORT_MESSAGE_WORDS
    unsure = detection is None or detection.confidence < UNSURE_LANGUAGE or detection.close
    if preferred and not certain and (short or unsure):
        return _Language(preferred.split("_")[0], preferred, True)
    if detection is None:
        return _Language("en", "en", True)
    if not detection.supported:
        return _Language(detection.language, "en", False)
    chosen = choose_locale(detection.language, text, preferred)
    return _Language(detection.language, chosen, True, unsure=unsure and not short)


def _language_hint(text: str, lang: _Language, preferred: str | None) -> _Language:
    """Latin letters for a language with its own script (Roman Urdu, arabizi...): when
    the victim chose that language, answer in it rather than in a detected Latin one."""
    if not preferred or lang.language == preferred.split("_")[0]:
        return lang
    if language.script_of_text(text) == "latin" and language.writes_in_own_script(preferred):
        return _Language(preferred.split("_")[0], preferred, True)
    return lang


def _without_danger(ranked: list[intents.Ranked]) -> list[intents.Ranked]:
    """The intent model's ranking of everything else: danger is the detector's call
    alone (danger.py), so its share is given back to the other intents."""
    rest = 1.0 - sum(r.probability for r in ranked if r.intent == "danger")
    return [
        intents.Ranked(r.intent, r.probability / rest if rest > 0 else r.probability)
        for r in ranked
        if r.intent != "danger"
    ]


def _action(kind: str, locale: str, target: int | str | None = None) -> Action:
    return Action(kind, translate(locale, ACTION_LABELS[kind]), target)


def _actions(intent: str, locale: str) -> list[Action]:
    found: list[Action] = []
    if intent in RIGHT_FOR_INTENT:
        found.append(_action("rights_page", locale, RIGHT_FOR_INTENT[intent]))
    for kind in EXTRA_ACTIONS.get(intent, ()):
        found.append(_action(kind, locale, PHONE_NUMBERS.get(kind)))
    return found


def _danger_answer(
    signal: danger.Signal, locale: str, victim: Victim | None, channel: str
) -> tuple[str, list[Action]]:
    """The answer that fits the danger, every number in it, in ``locale``.

    Suicidal thoughts: Samaritans first, in warm words, and a person. Any other danger:
    999, and 55 when they cannot speak. Both: the domestic abuse helpline. By SMS to a
    victim in discreet mode, the same numbers with nothing that says what they are for.
    """
    self_harm = signal.kind == "self_harm"
    if channel == "sms" and bool(getattr(victim, "discreet", False)):
        parts = ([SELF_HARM] if self_harm else []) + [REPLIES["danger"], DISCREET_LINES]
    elif self_harm:
        parts = [SELF_HARM, HELPLINE]
    else:
        parts = [REPLIES["danger"], HELPLINE, SAMARITANS]
    order = ("samaritans", "emergency", "helpline") if self_harm else EXTRA_ACTIONS["danger"]
    actions = [_action(kind, locale, PHONE_NUMBERS[kind]) for kind in order]
    if self_harm:
        actions.append(_action("callback", locale))
    return " ".join(translate(locale, part) for part in parts), actions


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
    """Answer one message. ``locale`` is the one the victim chose on the page, if any.

    Danger is looked for first, by its own detector (danger.py): a message with any sign
    of danger gets the danger answer, never "not sure"; when the sign is uncertain (the
    classifier's only) the likeliest topics come with it.
    """
    preferred = normalise(locale) or normalise(getattr(victim, "locale", None))
    lang = _language_hint(text, _resolve_language(text, preferred), preferred)
    signal = danger.detect(text)
    ranked = _without_danger(intents.rank(text))
    actions: list[Action]
    if signal is not None:
        intent, confidence = "danger", max(signal.score, 1.0 if signal.certain else 0.0)
        body, actions = _danger_answer(signal, lang.locale, victim, channel)
        topics = () if signal.certain else _topics([r.intent for r in ranked], lang.locale)
    else:
        intent, confidence = ranked[0].intent, ranked[0].probability
        if confidence < LOW_CONFIDENCE_THRESHOLD:
            intent, message = "fallback", LOW_CONFIDENCE
            actions = [_action("callback", lang.locale)]
            topics = _topics([r.intent for r in ranked], lang.locale)
        else:
            message, actions, topics = _answer(intent, lang.locale, victim, channel)
        body = translate(lang.locale, message)
    if not lang.supported:
        body = f"{body} {translate('en', INTERPRETER_OFFER)}"
    if (not lang.supported or lang.unsure) and intent not in ("danger", "interpreter"):
        actions.append(_action("interpreter", lang.locale))
    return Reply(
        intent=intent,
        language=lang.language,
        locale=lang.locale,
        text=body,
        actions=tuple(actions),
        confidence=round(confidence, 3),
        topics=topics,
        danger=signal.kind if signal is not None else None,
    )


def reply_to_topic(
    intent: str, locale: str | None = None, victim: Victim | None = None, channel: str = "web"
) -> Reply:
    """Answer a topic the person chose from a list (``all_topics``): the intent is certain
    and ``locale`` is the language the list was shown in. KeyError for an unknown topic."""
    if intent not in TOPIC_LABELS:
        raise KeyError(intent)
    chosen = normalise(locale) or normalise(getattr(victim, "locale", None)) or "en"
    if intent == "danger":
        chosen_danger = danger.Signal("immediate", certain=True, score=1.0)
        text, actions = _danger_answer(chosen_danger, chosen, victim, channel)
        topics: tuple[Topic, ...] = ()
    else:
        message, actions, topics = _answer(intent, chosen, victim, channel)
        text = translate(chosen, message)
    return Reply(
        intent=intent,
        language=chosen.split("_")[0],
        locale=chosen,
        text=text,
        actions=tuple(actions),
        confidence=1.0,
        topics=topics,
        danger="immediate" if intent == "danger" else None,
    )
