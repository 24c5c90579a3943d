"""Checks over every page (tests/pages.py finds them): never cached, quick exit and the
online-safety link on every victim page, no victim data in any URL, neutral tab titles
in discreet mode, no revealing web app manifest, and the 50 KB page-weight budget."""

from __future__ import annotations

import gzip
from dataclasses import replace
from html.parser import HTMLParser

import pytest
from flask_babel import force_locale, gettext
from sqlmodel import Session, SQLModel

from portal.i18n import SUPPORTED_LOCALES
from tests.forbidden import forbidden_in
from tests.pages import NOT_PAGES, discover, open_in_client, signed_in_state
from tests.people import build_world
from tests.support.apps import make_app

#: HTML + CSS + JavaScript of one victim page, gzip-compressed, as sent over the wire.
PAGE_BUDGET_BYTES = 50 * 1024


class PageParts(HTMLParser):
    """The parts of a page these checks read: title, links, forms, scripts, styles."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.urls: list[str] = []
        self.forms: list[dict] = []
        self.ids: set[str] = set()
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []
        self.manifests: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src", "action"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag == "form":
            self.forms.append({"method": (attrs.get("method") or "get").lower(), "inputs": []})
        if tag in ("input", "textarea", "select") and self.forms:
            self.forms[-1]["inputs"].append(attrs.get("type", tag))
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs["href"])
        if tag == "link" and attrs.get("rel") == "manifest":
            self.manifests.append(attrs["href"])
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse(response) -> PageParts:
    parts = PageParts()
    parts.feed(response.get_data(as_text=True))
    return parts


def _world(app):
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        return build_world(session)


@pytest.fixture(scope="module")
def catalogue():
    """One app, world and page list for the checks that only read."""
    app = make_app()
    world = _world(app)
    yield app, world, discover(app, world)
    app.extensions["db_engine"].dispose()


@pytest.fixture
def app(catalogue):
    return catalogue[0]


@pytest.fixture
def world(catalogue):
    return catalogue[1]


@pytest.fixture
def pages(catalogue):
    return catalogue[2]


def test_every_route_is_a_page_someone_can_open(app, pages):
    by_endpoint = {page.endpoint: page for page in pages}
    # Spot checks that the right people were found for the pages that exist today.
    assert by_endpoint["rights.right"].audience == "public"
    assert by_endpoint["victim.my_case"].audience == "victim"
    assert by_endpoint["staff.my_cases"].audience == "officer"
    assert by_endpoint["staff.case_audit"].audience == "supervisor"
    assert by_endpoint["staff.clients"].audience == "isva"
    assert by_endpoint["staff.accounts"].audience == "admin"
    assert {"public.online_safety", "public.accessibility"} <= by_endpoint.keys()
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(NOT_PAGES) <= endpoints, "a NOT_PAGES entry names a route that is gone"


def test_every_page_is_never_cached(app, pages):
    client = app.test_client()
    for page in pages:
        response = open_in_client(client, app, page)
        assert response.headers["Cache-Control"] == "no-store", page


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_every_victim_page_has_quick_exit_and_the_online_safety_link(app, pages, locale):
    client = app.test_client()
    for page in filter(lambda p: p.for_victims, pages):
        parts = parse(open_in_client(client, app, page, locale))
        assert "quick-exit" in parts.ids, page
        assert "/exit" in parts.urls and "/static/quick-exit.js" in parts.scripts, page
        assert "/online-safety" in parts.urls and "/accessibility" in parts.urls, page


def test_no_victim_data_in_any_url(app, pages, world):
    """URLs end up in history, logs and referrers: no reference, name, phone or email."""
    client = app.test_client()
    secrets = []
    for victim in (world.victim_a, world.victim_b):
        secrets += [victim.name, victim.phone_e164, victim.email]
    for case in (world.case_a, world.case_b):
        secrets.append(case.crime_reference)
    secrets = [s for s in secrets if s]
    for page in pages:
        parts = parse(open_in_client(client, app, page))
        for url in [page.path, *parts.urls]:
            assert not [s for s in secrets if s in url or s.replace("/", "%2F") in url], (page, url)
        for form in parts.forms:
            typed = {"text", "email", "tel", "password", "textarea", "time", "number"}
            if typed & set(form["inputs"]):
                assert form["method"] == "post", (page, "a form sends what is typed in its URL")


def test_discreet_mode_gives_every_victim_page_a_neutral_title_in_every_language():
    """Signed in with discreet mode on, every page a victim can open (the public ones too)
    has the same neutral tab title: it is what history and the tab switcher show."""
    app = make_app()
    world = _world(app)
    with Session(app.extensions["db_engine"]) as session:
        victim = session.get(type(world.victim_a), world.victim_a.id)
        victim.discreet = True
        session.add(victim)
        session.commit()
    signed_in = signed_in_state(app, world, "victim")
    pages = [replace(p, state={**p.state, **signed_in}) for p in discover(app, world)]
    client = app.test_client()
    for locale in SUPPORTED_LOCALES:
        with app.test_request_context(), force_locale(locale):
            neutral = gettext("Messages")
        assert not forbidden_in(neutral, locale), locale
        for page in filter(lambda p: p.for_victims, pages):
            title = parse(open_in_client(client, app, page, locale)).title.strip()
            assert title == neutral, (locale, page, title)
    app.extensions["db_engine"].dispose()


def test_without_discreet_mode_titles_say_what_the_page_is(app, pages):
    client = app.test_client()
    my_case = next(page for page in pages if page.endpoint == "victim.my_case")
    assert parse(open_in_client(client, app, my_case)).title.strip() == "My case"


def test_no_page_offers_a_web_app_manifest_or_fetches_a_favicon(app, pages):
    """A manifest would put the service's name and icon on the home screen of a watched
    phone, so there is none; the icon link is empty so no request names one either."""
    client = app.test_client()
    for page in pages:
        response = open_in_client(client, app, page)
        parts = parse(response)
        assert parts.manifests == [], page
        assert '<link rel="icon" href="data:,">' in response.get_data(as_text=True), page


def _gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def test_every_victim_page_weighs_under_50_kb_compressed_in_every_language(app, pages):
    client = app.test_client()
    for locale in SUPPORTED_LOCALES:
        for page in filter(lambda p: p.for_victims, pages):
            response = open_in_client(client, app, page, locale)
            parts = parse(response)
            total = _gzip_size(response.data)
            for asset in parts.stylesheets + parts.scripts:
                total += _gzip_size(client.get(asset).data)
            assert total < PAGE_BUDGET_BYTES, (locale, page, total)
