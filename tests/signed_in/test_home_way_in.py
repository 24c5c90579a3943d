"""The home page is a way in: to sign in, or straight to My case once signed in."""

import re

from tests.people import sign_in_victim


def _buttons(html: str) -> list[str]:
    return re.findall(r'<a class="button" href="([^"]+)"', html)


def test_home_leads_a_visitor_to_sign_in(client):
    html = client.get("/").get_data(as_text=True)
    assert "/sign-in" in _buttons(html)
    assert client.get("/sign-in").status_code == 200


def test_home_leads_a_signed_in_victim_to_my_case(client, session, world):
    sign_in_victim(client, session, "01/000001/26")
    html = client.get("/").get_data(as_text=True)
    assert "/my-case" in _buttons(html)
    assert client.get("/my-case").status_code == 200


def test_the_way_in_is_in_the_readers_language(client):
    client.post("/language", data={"locale": "pl", "next": "/"})
    html = client.get("/").get_data(as_text=True)
    link = re.search(r'<a class="button" href="/sign-in">([^<]+)</a>', html)
    assert link and link.group(1) != "Sign in to see your case"
