"""The language form's `next` never sends the browser off the site (issue 13, item 10)."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tests.support.apps import make_test_app

SITE = "http://portal.test/"

#: Known ways to write "another site" that a naive "starts with one /" check lets through.
BYPASSES = [
    "//evil.example",
    "///evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "\x00//evil.example",
    "/\x0b/evil.example",
    "/\u200b/evil.example",
    "/\u202e/evil.example",
    "/\u3000/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/%09/evil.example",
    "/%2F/evil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%255C%255Cevil.example",
    "https://evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
    "data:text/html,hi",
    "evil.example",
]


def as_browser_follows(location: str) -> str:
    """The host a browser ends up on after this Location, read as browsers read it
    (WHATWG URL: tabs and line breaks dropped, leading controls and spaces trimmed,
    backslashes are slashes, escapes decoded by the next hop)."""
    cleaned = re.sub(r"[\t\n\r]", "", location).lstrip("\x00\x01\x0b\x0c\x1f ")
    for _ in range(3):
        cleaned = unquote(cleaned)
    return urlsplit(urljoin(SITE, cleaned.replace("\\", "/"))).netloc


@pytest.fixture
def client():
    app = make_test_app()
    yield app.test_client()
    app.extensions["db_engine"].dispose()


@pytest.mark.parametrize("target", BYPASSES)
def test_a_next_pointing_off_the_site_goes_home_instead(client, target):
    response = client.post("/language", data={"locale": "en", "next": target})
    assert response.status_code == 303
    location = response.headers["Location"]
    assert as_browser_follows(location) == "portal.test", (target, location)
    assert location == "/"


def test_the_reported_attack_from_a_crafted_link(client):
    """GET /%09/evil.example renders a page whose language form carries that path as
    `next`; choosing a language must not then send the browser to evil.example."""
    page = client.get("/%09/evil.example").get_data(as_text=True)
    carried = unescape(re.search(r'name="next" value="([^"]*)"', page).group(1))
    response = client.post("/language", data={"locale": "ar", "next": carried})
    assert as_browser_follows(response.headers["Location"]) == "portal.test"


@pytest.mark.parametrize("target", ["/rights/3", "/rights/3?from=home", "/my-case#preferences"])
def test_a_page_of_the_site_is_kept(client, target):
    response = client.post("/language", data={"locale": "pl", "next": target})
    assert response.headers["Location"] == target
