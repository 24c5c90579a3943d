"""The rights pages in a real browser on a small phone screen (360x640)."""

from __future__ import annotations

import pytest

from tests.browser.helpers import FIND_OVERFLOW, save_screenshot

pytestmark = pytest.mark.browser

LOCALES = ["en", "ar", "ur", "ta", "pl"]
PAGES = {"index": "/rights", "right-1": "/rights/1"}


def open_in(page, server, locale: str, path: str) -> None:
    page.context.add_cookies([{"name": "lang", "value": locale, "url": server.url}])
    page.goto(server.url + path)


@pytest.mark.parametrize("locale", LOCALES)
def test_rights_fit_a_small_phone_screen(phone, live_server, locale):
    for name, path in PAGES.items():
        open_in(phone, live_server, locale, path)
        assert phone.evaluate("document.documentElement.lang") == locale
        scroll_width, client_width = phone.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll_width <= client_width, (name, scroll_width, client_width)
        assert phone.evaluate(FIND_OVERFLOW) == [], name
        save_screenshot(phone, f"rights-{name}-{locale}")


def test_rights_and_language_picker_work_without_javascript(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 640}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        page.click("main a[href='/rights']")
        assert page.locator("h1").inner_text() == "Your rights as a victim of crime"
        page.click("a[href='/rights/4']")
        assert page.locator("h1").inner_text() == "To be referred to support services"
        page.click(".language-picker summary")
        page.select_option("#language-select", "ur")
        page.click(".language-picker button")
        assert page.url == live_server.url + "/rights/4"
        html = page.locator("html")
        assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ur", "rtl")
    finally:
        context.close()


def test_language_names_render_in_their_own_scripts(phone, live_server):
    """Every language name is drawn with an installed font (look at the screenshot)."""
    phone.goto(live_server.url + "/rights")
    # Show the picker as an open list so every language name is on the screenshot.
    phone.click(".language-picker summary")
    phone.evaluate("document.getElementById('language-select').size = 21")
    names = phone.locator("#language-select option").all_inner_texts()
    assert "বাংলা" in names and "ગુજરાતી" in names and "தமிழ்" in names
    assert "ਪੰਜਾਬੀ" in names and "العربية" in names and "اردو" in names
    save_screenshot(phone, "language-picker-scripts")
