"""Danger first (issue 14): every kind of danger, in every language and script a victim
types, gets the danger answer with the numbers that fit it, on messages never trained on."""

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from portal.chatbot import corpus, reply
from portal.chatbot.danger import detect
from portal.chatbot.language import OWN_SCRIPT_LANGUAGES, SUPPORTED_LANGUAGES
from portal.chatbot.scripts import dominant_script
from portal.chatbot.text import fold
from portal.chatbot.texts import HELPLINE, LOW_CONFIDENCE, REPLIES, SAMARITANS, SELF_HARM
from portal.i18n import SUPPORTED_LOCALES

DANGER_FILE = Path(__file__).parent / "danger_messages.tsv"
DANGER_ROWS = corpus.read_labelled(DANGER_FILE)
LABELLED = [
    e for path in sorted(DANGER_FILE.parent.glob("*.tsv")) for e in corpus.read_labelled(path)
]


@dataclass
class FakeVictim:
    locale: str | None = "en"
    sms_status_replies: bool = False
    discreet: bool = False


def _script(row: corpus.Example) -> str:
    """ "latin" for a language with a script of its own written in Latin letters."""
    own_script = row.language in OWN_SCRIPT_LANGUAGES | {"hi"}
    return "latin" if own_script and dominant_script(row.text) == "latin" else "native"


def _id(row: corpus.Example) -> str:
    return f"{row.language}-{_script(row)}-{row.kind}"


def _numbers(text: str) -> str:
    return " ".join(text.split())


def test_danger_messages_cover_every_kind_language_and_script_and_were_never_trained_on():
    covered = Counter((r.language, _script(r), r.kind) for r in DANGER_ROWS)
    for language in SUPPORTED_LANGUAGES:
        scripts = ["native"] + (["latin"] if language in OWN_SCRIPT_LANGUAGES else [])
        for script in scripts:
            for kind in corpus.DANGER_KINDS:
                assert covered[(language, script, kind)] >= 1, (language, script, kind)
    training = {fold(e.text) for e in corpus.load()} | {
        fold(e.text) for e in corpus.load_held_out()
    }
    assert [r.text for r in DANGER_ROWS if fold(r.text) in training] == []


@pytest.mark.parametrize("row", DANGER_ROWS, ids=_id)
def test_every_danger_kind_gets_the_danger_answer_with_the_right_numbers(row):
    answer = reply(row.text)
    assert answer.intent == "danger", answer
    text = _numbers(answer.text)
    targets = {a.kind: a.target for a in answer.actions}
    assert "999" in text and targets["emergency"] == "999"
    assert "0808 2000 247" in text and targets["helpline"] == "08082000247"
    assert targets["samaritans"] == "116123"
    if row.kind == "self_harm":
        assert answer.danger == "self_harm"
        assert "116 123" in text
        assert "callback" in targets  # the offer of a person
    else:
        assert answer.danger != "self_harm"
        assert "55" in text.replace("999", "")


@pytest.mark.parametrize("row", [r for r in LABELLED if r.intent == "danger"], ids=_id)
def test_not_sure_is_never_the_answer_when_there_is_a_sign_of_danger(row):
    answer = reply(row.text, locale="en")
    assert answer.intent == "danger"
    assert answer.text != LOW_CONFIDENCE and not answer.text.startswith(LOW_CONFIDENCE)


def test_an_uncertain_danger_signal_gets_the_danger_answer_and_the_topics():
    """A message only the classifier flags, that the intent model is unsure about too:
    the danger answer, and the likeliest topics alongside, never "not sure" alone."""
    uncertain = [
        r.text for r in LABELLED if (signal := detect(r.text)) is not None and not signal.certain
    ]
    assert uncertain, "no message in the labelled sets is flagged by the classifier alone"
    for text in uncertain:
        answer = reply(text)
        assert answer.intent == "danger"
        assert "999" in answer.text
        assert 1 <= len(answer.topics) <= 3
        assert "danger" not in [t.intent for t in answer.topics]


def _in_language_of(locale: str, kind: str) -> str:
    """A danger message of ``kind`` in the language of ``locale``, in its own script."""
    language = locale.split("_")[0]
    return next(
        r.text
        for r in DANGER_ROWS
        if (r.language, r.kind) == (language, kind) and _script(r) == "native"
    )


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_crisis_numbers_are_tel_links_and_in_the_text_in_every_locale(locale):
    for kind in ("self_harm", "immediate"):
        text = _in_language_of(locale, kind)
        answer = reply(text, locale=locale, victim=FakeVictim(locale=locale))
        assert answer.locale == locale, text
        targets = {a.kind: a.target for a in answer.actions}
        assert targets["samaritans"] == "116123" and targets["helpline"] == "08082000247"
        assert targets["emergency"] == "999"
        assert all(a.label and a.label != a.kind for a in answer.actions)
        body = _numbers(answer.text)
        assert "0808 2000 247" in body and "999" in body
        assert "116 123" in body  # Samaritans, in the crisis answer and the emergency one
        if locale != "en":  # translated: no English sentence of the answer left in it
            assert not {SELF_HARM, HELPLINE, SAMARITANS, REPLIES["danger"]} & set(
                re.split(r"(?<=\.) ", answer.text)
            ), answer.text


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_sms_to_a_discreet_victim_gives_every_number_and_names_nothing(locale):
    from tests.forbidden import forbidden_in

    victim = FakeVictim(locale=locale, discreet=True)
    for kind in ("self_harm", "immediate"):
        answer = reply(_in_language_of(locale, kind), victim=victim, channel="sms")
        assert answer.locale == locale
        body = _numbers(answer.text)
        for number in ("999", "55", "116 123", "0808 2000 247"):
            assert number in body, (locale, number)
        assert forbidden_in(answer.text, locale) == [], locale


def test_the_danger_answer_fits_the_danger():
    suicidal = reply("i dont want to be alive anymore")
    assert suicidal.danger == "self_harm"
    assert suicidal.text.startswith("I am so sorry")
    assert [a.kind for a in suicidal.actions][:2] == ["samaritans", "emergency"]
    immediate = reply("he is kicking my door in right now")
    assert immediate.danger != "self_harm"
    assert immediate.text.startswith("If you are in danger now, call 999")
    assert [a.kind for a in immediate.actions][0] == "emergency"


PERSON_FILE = Path(__file__).parent / "person_messages.tsv"


@pytest.mark.parametrize("row", corpus.read_labelled(PERSON_FILE), ids=_id)
def test_talk_to_a_person_works_in_every_language_and_script(row):
    training = {fold(e.text) for e in corpus.load()}
    assert fold(row.text) not in training
    answer = reply(row.text)
    assert answer.intent == "talk_to_person", answer
    assert "callback" in [a.kind for a in answer.actions]
    if row.language != "hi":  # Hinglish: English, with an interpreter offered
        assert answer.language == row.language


def test_talk_to_a_person_covers_every_language_and_own_script_in_latin_letters():
    rows = corpus.read_labelled(PERSON_FILE)
    covered = {(r.language, _script(r)) for r in rows}
    for language in SUPPORTED_LANGUAGES:
        assert (language, "native") in covered, language
        if language in OWN_SCRIPT_LANGUAGES:
            assert (language, "latin") in covered, language
