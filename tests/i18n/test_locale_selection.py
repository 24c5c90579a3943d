"""How the portal picks a language: the victim's choice, then the browser's, then English."""

from __future__ import annotations

import re

import pytest

from portal.i18n import LOCALE_NAMES
from tests.support.apps import make_app

UNAVAILABLE = "Sorry, this site is not in your language yet."


@pytest.fixture
def fresh_app():
    """An app with no app context held open, so each request gets its own, as in
    production (the shared `client` keeps one context, and the first language sticks)."""
    app = make_app()
    yield app
    app.extensions["db_engine"].dispose()


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.get_data(as_text=True)).group(0)


@pytest.mark.parametrize(
    ("accept_language", "lang", "direction"),
    [
        ("pt-BR,pt;q=0.9", "pt-BR", "ltr"),
        ("es-MX,es;q=0.8", "es-419", "ltr"),
        ("es-AR", "es-419", "ltr"),
        ("pt", "pt-PT", "ltr"),
        ("pt-PT", "pt-PT", "ltr"),
        ("es", "es-ES", "ltr"),
        ("ar-EG", "ar", "rtl"),
        ("fa-IR", "fa", "rtl"),
        ("ur-PK", "ur", "rtl"),
        ("de-DE,de;q=0.9,pl;q=0.5", "pl", "ltr"),
        ("cy-GB", "cy", "ltr"),
    ],
)
def test_browser_language_and_dialect_are_matched(client, accept_language, lang, direction):
    response = client.get("/rights", headers={"Accept-Language": accept_language})
    assert html_tag(response) == f'<html lang="{lang}" dir="{direction}">'
    assert UNAVAILABLE not in response.get_data(as_text=True)


def test_unsupported_language_falls_back_to_english_and_says_so(client):
    response = client.get("/rights", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert html_tag(response) == '<html lang="en" dir="ltr">'
    notice = response.get_data(as_text=True).split('class="notice"', 1)[1].split("</p>")[0]
    assert UNAVAILABLE in notice
    assert 'href="/interpreter"' in notice


def test_no_browser_preference_gives_english_without_apology(client):
    response = client.get("/rights")
    assert html_tag(response) == '<html lang="en" dir="ltr">'
    assert UNAVAILABLE not in response.get_data(as_text=True)


def test_chosen_language_beats_the_browser(client):
    client.set_cookie("lang", "pt_BR")
    response = client.get("/rights", headers={"Accept-Language": "pl"})
    assert html_tag(response) == '<html lang="pt-BR" dir="ltr">'


def test_picker_lists_each_language_in_its_own_name(client):
    body = client.get("/rights").get_data(as_text=True)
    for code, name in LOCALE_NAMES.items():
        assert f'<option value="{code}" lang="{code.replace("_", "-")}"' in body
        assert f">{name}</option>" in body


def test_picking_a_language_is_remembered_and_returns_to_the_page(fresh_app):
    client = fresh_app.test_client()
    body = client.get("/rights/4").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', body).group(1)
    response = client.post(
        "/language", data={"csrf_token": token, "locale": "ur", "next": "/rights/4"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/rights/4"
    assert "lang=ur" in response.headers["Set-Cookie"]
    assert html_tag(client.get("/rights/4")) == '<html lang="ur" dir="rtl">'


def test_picking_a_language_needs_a_csrf_token(client):
    response = client.post("/language", data={"locale": "ur", "next": "/rights"})
    assert response.status_code == 400
    assert "lang=ur" not in response.headers.get("Set-Cookie", "")


def test_a_signed_in_victims_choice_is_saved_on_their_profile():
    from sqlmodel import Session, SQLModel

    from portal.models import Victim
    from tests.people import build_world, sign_in_victim
    from tests.support.apps import make_test_app

    app = make_test_app()
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        world = build_world(session)
        client = app.test_client()
        sign_in_victim(client, session, world.case_a.crime_reference)
        client.post("/language", data={"locale": "ar", "next": "/my-case"})
        session.expire_all()
        assert session.get(Victim, world.victim_a.id).locale == "ar"
        # On another device (no language cookie) the profile language is used.
        other = app.test_client()
        sign_in_victim(other, session, world.case_a.crime_reference)
        assert '<html lang="ar" dir="rtl">' in other.get("/my-case").get_data(as_text=True)
