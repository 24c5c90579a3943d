"""The officer's queue and the supervisor's dashboard in headless Chromium, on a phone-
sized screen, with screenshots in test-artifacts/."""

import pyotp
import pytest
from sqlmodel import Session

from portal.models import PressureAnswer, WithdrawalAnswer
from portal.models.base import utcnow
from tests.browser.helpers import save_screenshot
from tests.people import PASSWORD, build_world

from . import figures_fixture
from .records import help_asked, victim_confirmed

pytestmark = pytest.mark.browser
FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _sign_in(page, base: str, user) -> None:
    page.goto(base + "/staff/sign-in")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("form[action='/staff/sign-in'] button[type=submit]")
    page.wait_for_selector("#code")
    page.fill("#code", pyotp.TOTP(user.totp_secret).now())
    page.click("form[action='/staff/sign-in/code'] button[type=submit]")
    page.wait_for_load_state()


def test_officer_works_the_queue_and_supervisor_reads_the_figures(live_server, phone):
    engine = live_server.app.extensions["db_engine"]
    with Session(engine, expire_on_commit=False) as session:
        world = build_world(session)
        ask = help_asked(
            session,
            case_id=world.case_a.id,
            victim_id=world.victim_a.id,
            now=utcnow(),
            offers=["callback", "interpreter"],
        )
        flagged = victim_confirmed(
            session,
            case_id=world.case_a.id,
            victim_id=world.victim_a.id,
            now=utcnow(),
            answers={WithdrawalAnswer.PRESSURE: PressureAnswer.YES},
        )
        figures_fixture.load(session)

    _sign_in(phone, live_server.url, world.staff["officer_north"])
    phone.goto(live_server.url + "/staff/withdrawals")
    rows = phone.locator("table.queue tbody tr")
    assert rows.count() == 2
    assert "Safeguarding concern" in rows.nth(0).inner_text()  # flagged first
    assert phone.evaluate(FITS), "the queue scrolls sideways on a 360px screen"
    save_screenshot(phone, "withdrawal-queue-360")

    phone.click(f"a[href='/staff/withdrawals/{flagged.id}']")
    phone.wait_for_selector("h1")
    assert "Pressured, threatened or contacted about the case" in phone.content()
    phone.fill("#ack-note", "Calling her this afternoon.")
    phone.click("form[action$='/acknowledge'] button[type=submit]")
    phone.wait_for_selector("text=Saved.")
    phone.check("input[name=action][value=callback_made]")
    phone.fill("#note", "Spoke with her; referred to the ISVA service.")
    phone.click("form[action$='/follow-ups'] button[type=submit]")
    phone.wait_for_selector("text=Spoke with her; referred to the ISVA service.")
    save_screenshot(phone, "withdrawal-record-360")

    phone.goto(live_server.url + "/staff/withdrawals")
    assert phone.locator("table.queue tbody tr").count() == 1
    assert f"/staff/withdrawals/asks/{ask.id}" in phone.content()
    phone.click("form[action='/staff/sign-out'] button[type=submit]")

    _sign_in(phone, live_server.url, world.staff["supervisor_north"])
    phone.goto(live_server.url + "/staff/withdrawals/dashboard")
    charts = phone.locator("svg[role=img]")
    assert charts.count() == 6
    assert charts.nth(0).locator("title").text_content() == "Withdrawals by reason"
    assert phone.locator("#figure-withdrawals").inner_text() == "3"  # 2 fixture + case A
    assert phone.evaluate(FITS), "the dashboard scrolls sideways on a 360px screen"
    assert phone.evaluate("[...document.scripts].every(s => s.src.endsWith('quick-exit.js'))")
    save_screenshot(phone, "withdrawal-dashboard-360")
