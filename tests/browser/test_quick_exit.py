"""Quick exit in a real browser on a phone-sized screen."""

import pytest

from tests.conftest import save_screenshot

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
