import re

import pytest
from babel.messages.pofile import read_po

from portal.chatbot.catalog import TRANSLATIONS_DIR
from portal.chatbot.texts import (
    ACTION_LABELS,
    DISCREET_LINES,
    HELPLINE,
    INTERPRETER_OFFER,
    LOW_CONFIDENCE,
    REPLIES,
    SAMARITANS,
    SELF_HARM,
    TOPIC_LABELS,
)
from portal.i18n import RTL_LOCALES, SUPPORTED_LOCALES

MESSAGES = {
    *REPLIES.values(),
    LOW_CONFIDENCE,
    INTERPRETER_OFFER,
    SELF_HARM,
    HELPLINE,
    SAMARITANS,
    DISCREET_LINES,
    *ACTION_LABELS.values(),
    *TOPIC_LABELS.values(),
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}|%[sd]")
NUMBER = re.compile(r"\d+")


def _catalog(path):
    with open(path, "rb") as f:
        return read_po(f)


def test_template_holds_every_approved_text():
    template = _catalog(TRANSLATIONS_DIR / "chatbot.pot")
    assert {m.id for m in template if m.id} == MESSAGES


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalog_is_complete_with_identical_placeholders_and_numbers(locale):
    catalog = _catalog(TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "chatbot.po")
    messages = {m.id: m for m in catalog if m.id}
    assert set(messages) == MESSAGES
    for msgid, message in messages.items():
        assert message.string, (locale, msgid)
        assert not message.fuzzy, (locale, msgid)
        assert sorted(PLACEHOLDER.findall(message.string)) == sorted(PLACEHOLDER.findall(msgid))
        assert sorted(NUMBER.findall(message.string)) == sorted(NUMBER.findall(msgid)), (
            locale,
            msgid,
        )
        if locale != "en" and len(msgid) > 30:
            assert message.string != msgid, (locale, msgid)


@pytest.mark.parametrize("locale", sorted(RTL_LOCALES))
def test_right_to_left_catalogs_are_in_arabic_script(locale):
    catalog = _catalog(TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "chatbot.po")
    for message in catalog:
        if message.id:
            assert re.search(r"[\u0600-\u06FF]", message.string), (locale, message.id)
