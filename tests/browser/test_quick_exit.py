"""Quick exit in a real browser on a phone-sized screen."""

import pytest
from sqlmodel import Session

from portal.models.base import utcnow
from tests.browser.helpers import live_world, new_phone_context, save_screenshot, set_state
from tests.pages import signed_in_state

pytestmark = pytest.mark.browser


def _session_cookie(page, live_server):
    name = live_server.app.config["SESSION_COOKIE_NAME"]
    return [c for c in page.context.cookies() if c["name"] == name]


def test_home_page_fits_a_phone_and_shows_quick_exit(live_server, phone):
    phone.goto(live_server.url + "/")
    button = phone.locator("#quick-exit")
    assert button.is_visible()
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    assert phone.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    save_screenshot(phone, "home-en-360")


def test_quick_exit_button_leaves_and_clears_the_session(live_server, phone):
    phone.goto(live_server.url + "/")
    assert _session_cookie(phone, live_server)  # the CSRF token put something in the session
    with phone.expect_navigation():
        phone.click("#quick-exit")
    assert phone.url == live_server.app.config["QUICK_EXIT_URL"]
    assert "Weather" in phone.title()
    phone.wait_for_timeout(200)  # the beacon is sent as the page goes
    assert not _session_cookie(phone, live_server)


def test_shift_three_times_leaves(live_server, phone):
    phone.goto(live_server.url + "/")
    with phone.expect_navigation():
        for _ in range(3):
            phone.keyboard.press("Shift")
    assert phone.url == live_server.app.config["QUICK_EXIT_URL"]


def test_quick_exit_works_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 640})
    context.route(
        lambda url: not url.startswith("http://127.0.0.1"),
        lambda route: route.fulfill(status=200, body="<title>Weather</title>"),
    )
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.click("#quick-exit")
    page.wait_for_url(live_server.app.config["QUICK_EXIT_URL"])
    assert not _session_cookie(page, live_server)
    context.close()


def _leave(page, how: str) -> None:
    with page.expect_navigation():
        if how == "button":
            page.click("#quick-exit")
        else:
            for _ in range(3):
                page.keyboard.press("Shift")


@pytest.mark.parametrize("locale", ["en", "ar"])
@pytest.mark.parametrize("how", ["button", "shift"])
def test_quick_exit_ends_the_server_session_and_back_shows_no_case_data(
    live_server, browser, how, locale
):
    world = live_world(live_server)
    state = signed_in_state(live_server.app, world, "victim")
    context = new_phone_context(browser)
    page = context.new_page()
    try:
        set_state(context, live_server, state, locale)
        page.goto(live_server.url + "/my-case")
        assert world.case_a.crime_reference in page.inner_text("main")
        page.goto(live_server.url + "/rights/1")  # leave from a page without case data
        save_screenshot(page, f"quick-exit-before-{how}-{locale}")
        _leave(page, how)
        assert page.url == live_server.app.config["QUICK_EXIT_URL"]
        page.wait_for_timeout(300)  # the beacon is sent as the page goes

        with Session(live_server.app.extensions["db_engine"]) as db:
            store = live_server.app.extensions["session_store"]
            assert store.resolve(db, state["sid"], now=utcnow()) is None, "still signed in"
        assert not _session_cookie(page, live_server)

        # Back, as far as the history goes: My case is not shown from the cache, and the
        # server no longer knows the session, so no case data comes back.
        while page.go_back() is not None:
            assert world.case_a.crime_reference not in page.content(), page.url
        save_screenshot(page, f"quick-exit-back-{how}-{locale}")
    finally:
        context.close()


def test_typing_capital_letters_never_leaves_but_shift_three_times_does(live_server, phone):
    phone.goto(live_server.url + "/sign-in")
    phone.click("#reference")
    for char in "AB CD EF GH":  # Shift held for each capital, as a person types them
        phone.keyboard.press(f"Shift+{char}" if char.isupper() else char)
    assert phone.url == live_server.url + "/sign-in"
    assert phone.input_value("#reference") == "AB CD EF GH"
    _leave(phone, "shift")
    assert phone.url == live_server.app.config["QUICK_EXIT_URL"]
