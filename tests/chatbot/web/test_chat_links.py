"""Every action the bot offers leads to a page of the portal that exists."""

import pytest

from portal.chatbot import Action
from portal.chatbot.texts import ACTION_LABELS, PHONE_NUMBERS
from portal.web.chat.links import link_for

WITHDRAWAL_PATH = "/my-case/withdrawal"

TARGETS = {"rights_page": 4, **PHONE_NUMBERS}


@pytest.mark.parametrize("kind", sorted(ACTION_LABELS))
def test_each_action_links_to_a_real_route(app, client, kind):
    with app.test_request_context():
        link = link_for(Action(kind, ACTION_LABELS[kind], TARGETS.get(kind)))
    if kind in PHONE_NUMBERS:
        assert link.href == f"tel:{PHONE_NUMBERS[kind]}"
        return
    path = link.href.split("#")[0]
    response = client.get(path)
    # Pages for signed-in victims send everyone else to sign in first.
    assert response.status_code == 200 or (
        response.status_code == 302 and response.headers["Location"] == "/sign-in"
    ), (kind, path, response.status_code)


def test_the_answer_about_withdrawing_offers_help_first_then_the_withdrawal(client):
    page = client.post("/chat", data={"message": "I want to drop the case"}).text
    call_back = page.find('href="/chat/call-back"')
    assert -1 < call_back < page.find(f'href="{WITHDRAWAL_PATH}"')
