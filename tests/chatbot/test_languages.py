from pathlib import Path

import pytest

from portal.chatbot import reply
from portal.chatbot.corpus import read_labelled
from portal.chatbot.texts import INTERPRETER_OFFER, LOW_CONFIDENCE


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ich brauche einen Dolmetscher für das Gericht", "de"),
        ("我需要帮助，我的丈夫打我", "zh"),
        ("kam nevoje per perkthyes", "sq"),
    ],
)
def test_unsupported_language_gets_english_and_an_interpreter(text, language):
    answer = reply(text)
    assert answer.language == language
    assert answer.locale == "en"
    assert answer.text.endswith(INTERPRETER_OFFER)
    assert "interpreter" in [a.kind for a in answer.actions]


def test_short_message_falls_back_to_the_chosen_locale():
    answer = reply("ok thanks", locale="ro")
    assert (answer.language, answer.locale) == ("ro", "ro")
    assert answer.text != reply("ok thanks").text


def test_a_script_that_names_the_language_beats_the_chosen_locale():
    assert reply("வணக்கம்", locale="en").locale == "ta"


def test_longer_message_uses_the_detected_language_not_the_chosen_locale():
    answer = reply("potrzebuje tlumacza bo slabo mowie po angielsku", locale="en")
    assert (answer.language, answer.locale, answer.intent) == ("pl", "pl", "interpreter")


def test_romanised_urdu_is_urdu():
    answer = reply("mujhe apne case ke bare mein koi khabar nahi mili")
    assert answer.language == "ur"
    assert answer.locale == "ur"


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("a policia levou o meu telemovel, quando o recebo", None, "pt_PT"),
        ("a policia levou meu celular, voce pode me ajudar", None, "pt_BR"),
        ("quero saber quando recebo as minhas coisas de volta", None, "pt_PT"),
        ("quero saber quando recebo as minhas coisas de volta", "pt_BR", "pt_BR"),
        ("la policia se llevo mi movil, podeis ayudarme", None, "es_ES"),
        ("la policia se llevo mi celular, ustedes me pueden ayudar", None, "es_419"),
        ("quiero saber cuando me devuelven mis cosas", None, "es_ES"),
        ("quiero saber cuando me devuelven mis cosas", "es_MX", "es_419"),
    ],
)
def test_dialect_choice(text, locale, expected):
    assert reply(text, locale=locale).locale == expected


def test_low_confidence_says_so_shows_topics_and_offers_a_person():
    answer = reply("zzkv prrt", locale="en")
    assert answer.intent == "fallback"
    assert answer.text == LOW_CONFIDENCE
    assert 1 <= len(answer.topics) <= 3
    assert all(t.label for t in answer.topics)
    assert "callback" in [a.kind for a in answer.actions]


def test_low_confidence_topics_are_translated():
    answer = reply("zzkv prrt", locale="pl")
    assert answer.locale == "pl"
    assert answer.text != LOW_CONFIDENCE


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("ahlan keefak shu fi jdid bel 2adiyye", "ar"),
        ("mane koi phone karo please", "gu"),
        ("ami ahoto", "bn"),
        ("ya poranena", "uk"),
        ("hava farda chetore", "fa"),
        ("kal mausam kiddan da", "pa"),
    ],
)
def test_latin_letters_from_someone_who_chose_a_language_with_its_own_script(text, locale):
    """Issue 14: Roman Gujarati, arabizi... are not Somali, Welsh or Turkish; when the
    script and the words disagree, the language the victim chose wins."""
    assert reply(text, locale=locale).locale == locale


def test_an_unsure_guess_at_the_language_offers_an_interpreter():
    from portal.chatbot.engine import SHORT_MESSAGE_WORDS, UNSURE_LANGUAGE
    from portal.chatbot.language import detect
    from portal.chatbot.text import words

    rows = [r for p in sorted(Path(__file__).parent.glob("*.tsv")) for r in read_labelled(p)]
    unsure = [
        r.text
        for r in rows
        if (found := detect(r.text)) is not None
        and found.supported
        and not found.certain
        and (found.confidence < UNSURE_LANGUAGE or found.close)
        and len(words(r.text)) > SHORT_MESSAGE_WORDS
    ]
    assert unsure
    for text in unsure:
        answer = reply(text)
        if answer.intent not in ("danger", "interpreter"):
            assert "interpreter" in [a.kind for a in answer.actions], text
