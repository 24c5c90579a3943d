"""Every rights page answers in every language, with the right <html lang> and dir."""

from __future__ import annotations

import re

import pytest

from portal.i18n import SUPPORTED_LOCALES, html_lang, text_direction
from portal.services.rights import RIGHTS

PAGES = [
    "/rights",
    *[f"/rights/{right.number}" for right in RIGHTS],
    "/rights/what-happens-next",
    "/rights/enhanced",
    "/rights/print",
    "/interpreter",
]


def html_tag(body: str) -> str:
    return re.search(r"<html[^>]*>", body).group(0)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_rights_page_answers_in_every_locale(client, locale):
    client.set_cookie("lang", locale)
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 200, page
        expected = f'<html lang="{html_lang(locale)}" dir="{text_direction(locale)}">'
        assert html_tag(response.get_data(as_text=True)) == expected, page


@pytest.mark.parametrize("locale", ["ar", "ur", "fa"])
def test_right_to_left_languages_are_marked_rtl(client, locale):
    client.set_cookie("lang", locale)
    body = client.get("/rights/2").get_data(as_text=True)
    assert 'dir="rtl"' in html_tag(body)
    # The "previous" and "next" arrows are drawn by CSS, which mirrors them for rtl.
    assert 'class="arrow-back"' in body and 'class="arrow"' in body


def test_stylesheet_mirrors_arrows_and_uses_logical_properties(client):
    css = client.get("/static/portal.css").get_data(as_text=True)
    assert '[dir="rtl"] .arrow::after' in css and '[dir="rtl"] .arrow-back::before' in css
    assert not re.search(r"(margin|padding|border)-(left|right)|text-align:\s*(left|right)", css)
    assert "@font-face" not in css and "@import" not in css


@pytest.mark.parametrize("page", ["/rights/0", "/rights/13", "/rights/99", "/rights/one"])
def test_a_right_that_does_not_exist_is_not_found(client, page):
    response = client.get(page)
    assert response.status_code == 404
    assert "We cannot find this page" in response.get_data(as_text=True)


def test_index_lists_all_twelve_rights_in_order(client):
    body = client.get("/rights").get_data(as_text=True)
    links = re.findall(r'href="/rights/(\d+)"', body)
    assert links == [str(n) for n in range(1, 13)]
    for right in RIGHTS:
        assert str(right.title) in body


def test_each_right_explains_itself_and_links_to_complaints(client):
    for right in RIGHTS:
        body = client.get(f"/rights/{right.number}").get_data(as_text=True)
        assert "What this means for you" in body
        assert "What you can ask for" in body
        assert "Where to get help" in body
        assert "If this does not happen" in body
        if right.number != 12:
            assert 'href="/rights/12"' in body


def test_deadlines_use_singular_and_plural_working_days(client):
    body = client.get("/rights/6").get_data(as_text=True)
    assert "Most victims: within 5 working days" in body
    assert "With enhanced rights: within 1 working day<" in body


def test_enhanced_rights_page_shows_the_faster_deadline(client):
    body = client.get("/rights/enhanced").get_data(as_text=True)
    assert "Everyone under 18" in body
    assert "within 1 working day<" in body


def test_journey_has_the_five_steps_in_order(client):
    body = client.get("/rights/what-happens-next").get_data(as_text=True)
    ids = re.findall(r'<li id="(\w+)">', body)
    assert ids == ["report", "investigation", "charge", "court", "outcome"]


@pytest.mark.parametrize(
    ("locale", "date"), [("en", "1 April 2021"), ("pl", "1 kwietnia 2021"), ("ar", "1 أبريل 2021")]
)
def test_dates_use_the_readers_conventions(client, locale, date):
    client.set_cookie("lang", locale)
    assert date in client.get("/rights").get_data(as_text=True)


def test_print_page_has_every_right_and_a_print_stylesheet(client):
    body = client.get("/rights/print").get_data(as_text=True)
    for right in RIGHTS:
        assert str(right.title) in body
    css = client.get("/static/portal.css").get_data(as_text=True)
    print_rules = css.split("@media print", 1)[1]
    assert ".quick-exit-bar" in print_rules and ".language-picker" in print_rules


def test_home_page_and_footer_link_to_the_rights(client):
    home = client.get("/").get_data(as_text=True)
    main, footer = home.split("<footer", 1)
    assert 'href="/rights"' in main.split("<main", 1)[1]
    assert 'href="/rights"' in footer
    assert 'href="/rights"' in client.get("/rights/3").get_data(as_text=True).split("<footer")[1]


def test_rights_pages_are_not_cached_and_have_no_inline_script(client):
    response = client.get("/rights/1")
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    assert "<script>" not in body and "style=" not in body
