from dataclasses import dataclass

import pytest

from portal.chatbot import reply


@dataclass
class FakeVictim:
    locale: str | None = "en"
    sms_status_replies: bool = False


@pytest.mark.parametrize(
    "text",
    [
        "he is outside my door and i want to drop the case",
        "i want to complain, he has a knife and is at my door",
        "on jest pod moimi drzwiami, chce wycofac sprawe",
        "quero desistir do caso mas ele ta na minha porta",
        "woh mere darwaze par hai, mujhe case wapas lena hai",
        "هو امام بابي اريد سحب البلاغ",
    ],
)
def test_danger_beats_every_other_intent(text):
    answer = reply(text)
    assert answer.intent == "danger"
    assert "999" in answer.text and "55" in answer.text
    # Nothing that names the case or links to the portal if someone else reads it: only
    # numbers to call (issue 14 added the helpline and Samaritans to 999).
    assert [a.kind for a in answer.actions] == ["emergency", "helpline", "samaritans"]


def test_danger_reply_is_in_the_victims_language():
    answer = reply("ajutor, m a amenintat ca ma omoara")
    assert answer.intent == "danger"
    assert answer.locale == "ro"
    assert "999" in answer.text and "sunați" in answer.text


def test_sms_case_status_never_reveals_details_without_permission():
    for victim in (None, FakeVictim(sms_status_replies=False)):
        answer = reply("what is happening with my case", victim=victim, channel="sms")
        assert answer.intent == "case_status"
        assert [a.kind for a in answer.actions] == ["sign_in"]
        assert "sign in" in answer.text


def test_sms_case_status_when_victim_allowed_status_replies():
    answer = reply("any news on my case", victim=FakeVictim(sms_status_replies=True), channel="sms")
    assert [a.kind for a in answer.actions] == ["case_status"]


def test_web_case_status_for_signed_in_victim_and_for_anonymous():
    signed_in = reply("has he been arrested yet", victim=FakeVictim())
    anonymous = reply("has he been arrested yet")
    assert [a.kind for a in signed_in.actions] == ["case_status"]
    assert [a.kind for a in anonymous.actions] == ["sign_in"]


def test_withdraw_offers_help_before_the_withdrawal_flow():
    answer = reply("i dont want to go ahead with the case any more")
    assert answer.intent == "withdraw"
    assert [a.kind for a in answer.actions] == ["callback", "withdraw"]


def test_rights_pages_are_linked_by_right_number():
    answer = reply("can i claim compensation")
    assert answer.intent == "compensation"
    assert answer.actions[0].kind == "rights_page" and answer.actions[0].target == 5
