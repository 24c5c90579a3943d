"""Topics chosen from a list are answered for sure, in the language of the list."""

from dataclasses import dataclass

import pytest

from portal.chatbot import all_topics, reply_to_topic
from portal.chatbot.catalog import translate
from portal.chatbot.texts import REPLIES, TOPIC_LABELS


@dataclass
class SignedIn:
    locale: str = "pl"
    sms_status_replies: bool = False


def test_every_topic_is_listed_with_its_label_in_the_language_asked():
    topics = all_topics("uk")
    assert [t.intent for t in topics] == list(TOPIC_LABELS)
    assert topics[0].label == translate("uk", TOPIC_LABELS["rights_overview"])
    assert topics[0].label != TOPIC_LABELS["rights_overview"]


def test_a_topic_is_answered_with_its_approved_text_and_actions():
    answer = reply_to_topic("complaint", "pt-BR")
    assert (answer.intent, answer.language, answer.locale) == ("complaint", "pt", "pt_BR")
    assert answer.text == translate("pt_BR", REPLIES["complaint"])
    assert [(a.kind, a.target) for a in answer.actions] == [("rights_page", 12), ("callback", None)]
    assert answer.confidence == 1.0


def test_case_status_by_topic_follows_the_same_rules_as_typed_questions():
    assert reply_to_topic("case_status", "en").actions[0].kind == "sign_in"
    signed_in = reply_to_topic("case_status", None, victim=SignedIn())
    assert signed_in.locale == "pl" and signed_in.actions[0].kind == "case_status"
    by_sms = reply_to_topic("case_status", None, victim=SignedIn(), channel="sms")
    assert by_sms.actions[0].kind == "sign_in"


def test_an_unknown_topic_is_refused():
    with pytest.raises(KeyError):
        reply_to_topic("fallback", "en")
