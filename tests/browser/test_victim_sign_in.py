"""A victim signs in on a phone-sized screen, in Polish and in Arabic, and leaves safely."""

import pytest
from sqlmodel import Session

from tests.browser.helpers import save_screenshot
from tests.people import build_world, latest_code

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("locale", "direction"), [("pl", "ltr"), ("ar", "rtl")])
def test_victim_signs_in_reads_my_case_and_quick_exit_leaves_nothing(
    live_server, phone, locale, direction
):
    engine = live_server.app.extensions["db_engine"]
    with Session(engine, expire_on_commit=False) as session:
        world = build_world(session)
    phone.context.add_cookies([{"name": "lang", "value": locale, "url": live_server.url}])

    phone.goto(live_server.url + "/sign-in")
    assert phone.get_attribute("html", "dir") == direction
    phone.fill("#reference", world.case_a.crime_reference)
    phone.check("input[name=channel][value=sms]")
    phone.click("form[action='/sign-in'] button[type=submit]")
    phone.wait_for_selector("#code")
    with Session(engine) as session:
        code = latest_code(session)
    phone.fill("#code", code)
    phone.click("form[action='/sign-in/code'] button[type=submit]")
    phone.wait_for_url("**/my-case")

    assert phone.get_attribute("html", "lang") == locale
    assert world.case_a.crime_reference in phone.content()
    fits = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    assert phone.evaluate(fits), "My case scrolls sideways on a 360px screen"
    save_screenshot(phone, f"my-case-{locale}-360")

    with phone.expect_navigation():
        phone.click("#quick-exit")
    phone.go_back()
    # The page is not served from cache and the session is gone: no case data comes back.
    assert world.case_a.crime_reference not in phone.content()
