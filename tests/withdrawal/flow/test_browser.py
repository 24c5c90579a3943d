"""The whole withdrawal flow in headless Chromium on a 360px phone, in English and Arabic:
every step, saving and coming back after signing out, help first, confirming, and quick
exit in the middle of the flow. A screenshot of every page goes to test-artifacts/."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from portal.models import Victim, WithdrawalRequest, WithdrawalStatus
from tests.browser.helpers import save_screenshot
from tests.people import build_world, latest_code

from .helpers import requests_of

pytestmark = pytest.mark.browser

OWN_WORDS = {"en": "I want to forget it and move on.", "ar": "أريد أن أنسى وأمضي في حياتي."}
FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _sign_in(phone, live_server, reference: str) -> None:
    phone.goto(live_server.url + "/sign-in")
    phone.fill("#reference", reference)
    phone.check("input[name=channel][value=sms]")
    phone.click("form[action='/sign-in'] button[type=submit]")
    phone.wait_for_selector("#code")
    with Session(live_server.app.extensions["db_engine"]) as session:
        code = latest_code(session)
    phone.fill("#code", code)
    phone.click("form[action='/sign-in/code'] button[type=submit]")
    phone.wait_for_url("**/my-case")


def _page_ok(phone, name: str, direction: str) -> None:
    """The page reads in the right direction, fits the phone, keeps quick exit; snapshot."""
    assert phone.get_attribute("html", "dir") == direction
    assert phone.evaluate(FITS), f"{name} scrolls sideways on a 360px screen"
    assert phone.locator("#quick-exit").is_visible()
    save_screenshot(phone, name)


def _choose(phone, *ids: str) -> None:
    for choice in ids:
        phone.check(f"#{choice}")


def _submit(phone, step: str) -> None:
    phone.click(f"form[action$='/withdrawal/{step}'] button[type=submit]:not([name])")


@pytest.fixture
def world(live_server):
    with Session(live_server.app.extensions["db_engine"], expire_on_commit=False) as session:
        return build_world(session)


@pytest.mark.parametrize(("locale", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_whole_flow_on_a_phone_with_save_and_resume(live_server, phone, world, locale, direction):
    # Their language is on their profile: signing out clears the language cookie too.
    with Session(live_server.app.extensions["db_engine"]) as session:
        session.get(Victim, world.victim_a.id).locale = locale
        session.commit()
    shot = f"withdrawal-{locale}-360"
    _sign_in(phone, live_server, world.case_a.crime_reference)
    base = f"{live_server.url}/my-case/cases/{world.case_a.id}/withdrawal"

    phone.click(f"a[href='/my-case/cases/{world.case_a.id}/withdrawal']")
    phone.wait_for_url(base + "/about")
    _page_ok(phone, f"{shot}-1-about", direction)
    _submit(phone, "about")

    phone.wait_for_url(base + "/reasons")
    _submit(phone, "reasons")  # nothing chosen: the error is listed and linked
    phone.wait_for_selector(".error-summary")
    phone.fill("#own_words", OWN_WORDS[locale])
    _page_ok(phone, f"{shot}-2-reasons-error", direction)
    phone.click(".error-summary a")
    assert phone.evaluate("document.activeElement.id") == "reasons-move_on"
    assert phone.input_value("#own_words") == OWN_WORDS[locale]  # nothing typed is lost
    _choose(phone, "reasons-process_too_long", "reasons-no_updates")
    _page_ok(phone, f"{shot}-2-reasons", direction)
    _submit(phone, "reasons")

    phone.wait_for_url(base + "/safety")
    _choose(phone, "pressure-no", "safe_to_contact-yes", "safe_contact_channel-sms")
    phone.fill("#safe_from", "18:00")
    phone.fill("#safe_until", "21:00")
    _page_ok(phone, f"{shot}-3-safety", direction)
    _submit(phone, "safety")

    phone.wait_for_url(base + "/wishes")
    _choose(phone, "support_now-yes", "evidence_led-not_sure", "keep_updates-yes",
            "update_channels-sms", "talk_first-no")  # fmt: skip
    _page_ok(phone, f"{shot}-4-wishes", direction)
    phone.click("form[action$='/withdrawal/wishes'] button[name=later]")  # stop for now
    phone.wait_for_url("**/my-case")

    # Sign out; later, sign in again and carry on where they stopped.
    phone.click("form[action='/sign-out'] button[type=submit]")
    phone.wait_for_url("**/signed-out?lang=*")
    _sign_in(phone, live_server, world.case_a.crime_reference)
    _page_ok(phone, f"{shot}-0-my-case-resume", direction)
    phone.click(f"a[href='/my-case/cases/{world.case_a.id}/withdrawal']")
    phone.wait_for_url(base + "/help")
    phone.click("a.arrow-back")
    phone.wait_for_url(base + "/wishes")
    assert phone.is_checked("#evidence_led-not_sure") and phone.is_checked("#update_channels-sms")
    phone.click("a.arrow-back")
    phone.click("a.arrow-back")
    phone.wait_for_url(base + "/reasons")
    assert phone.is_checked("#reasons-no_updates")
    assert phone.input_value("#own_words") == OWN_WORDS[locale]
    phone.goto(base + "/help")

    _page_ok(phone, f"{shot}-5-help", direction)
    phone.check("#offers-callback")
    _submit(phone, "help")
    phone.wait_for_url(base + "/help-asked")
    _page_ok(phone, f"{shot}-5-help-asked", direction)
    with Session(live_server.app.extensions["db_engine"]) as session:
        [draft] = requests_of(session, world.victim_a.id)
        assert draft.status == WithdrawalStatus.SERVICE_RECOVERY

    phone.click("a[href$='/withdrawal/check']")
    phone.wait_for_url(base + "/check")
    assert OWN_WORDS[locale] in phone.content()
    _page_ok(phone, f"{shot}-6-check", direction)
    _submit(phone, "check")

    phone.wait_for_url(base + "/receipt")
    _page_ok(phone, f"{shot}-7-receipt", direction)
    with Session(live_server.app.extensions["db_engine"]) as session:
        [record] = requests_of(session, world.victim_a.id)
        assert record.status == WithdrawalStatus.CONFIRMED and record.locale == locale
    assert f"WR-{record.id:06d}-1" in phone.content()
    with phone.expect_download() as download:
        phone.click("a[href$='/withdrawal/statement']")
    assert OWN_WORDS[locale] in download.value.path().read_text(encoding="utf-8")

    phone.click("a[href$='/withdrawal/change-my-mind']")
    phone.wait_for_url(base + "/change-my-mind")
    _page_ok(phone, f"{shot}-8-change-my-mind", direction)


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_quick_exit_mid_flow_leaves_and_ends_the_session(live_server, phone, world, locale):
    phone.context.add_cookies([{"name": "lang", "value": locale, "url": live_server.url}])
    _sign_in(phone, live_server, world.case_a.crime_reference)
    base = f"{live_server.url}/my-case/cases/{world.case_a.id}/withdrawal"
    phone.goto(base + "/about")
    _submit(phone, "about")
    phone.wait_for_url(base + "/reasons")
    phone.check("#reasons-court_fear")
    _submit(phone, "reasons")
    phone.wait_for_url(base + "/safety")
    cookie_name = live_server.app.config["SESSION_COOKIE_NAME"]
    [session_cookie] = [c for c in phone.context.cookies() if c["name"] == cookie_name]

    with phone.expect_navigation():
        phone.click("#quick-exit")
    assert phone.url == live_server.app.config["QUICK_EXIT_URL"]
    phone.wait_for_timeout(200)  # the beacon is sent as the page goes
    assert not [c for c in phone.context.cookies() if c["name"] == cookie_name]
    phone.go_back()
    assert "court_fear" not in phone.content()

    # Even the old cookie, replayed, no longer opens anything: the session ended on the server.
    phone.context.add_cookies([session_cookie])
    phone.goto(base + "/safety")
    assert phone.url.endswith("/sign-in")
    with Session(live_server.app.extensions["db_engine"]) as session:
        [draft] = session.exec(
            WithdrawalRequest.__table__.select().where(
                WithdrawalRequest.victim_id == world.victim_a.id
            )
        ).all()
        assert draft.current_step == "safety"  # what they answered is kept for next time
