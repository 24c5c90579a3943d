"""An officer signs in, records a charge, previews the Polish messages and sends them."""

from datetime import timedelta

import pyotp
import pytest
from sqlmodel import Session, select

from portal.models import CaseEvent, Notification
from portal.models.base import utcnow
from portal.services.working_days import LONDON
from tests.browser.helpers import save_screenshot
from tests.people import PASSWORD, build_world

pytestmark = pytest.mark.browser


def test_officer_records_an_event_previews_and_sends(live_server, browser):
    engine = live_server.app.extensions["db_engine"]
    with Session(engine, expire_on_commit=False) as session:
        world = build_world(session)
    officer = world.staff["officer_north"]
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/staff/sign-in")
        page.fill("#email", officer.email)
        page.fill("#password", PASSWORD)
        page.click("form[action='/staff/sign-in'] button[type=submit]")
        page.wait_for_selector("#code")
        page.fill("#code", pyotp.TOTP(officer.totp_secret).now())
        page.click("form[action='/staff/sign-in/code'] button[type=submit]")
        page.wait_for_url("**/staff/cases")

        page.click(f"text={world.case_a.crime_reference}")
        page.click("text=Record an event and tell the victims")
        page.click("text=Suspect charged")
        # Submitting an empty form shows the problems, linked to their fields.
        page.click("text=Preview the messages")
        assert page.locator(".error-summary a[href='#offence']").count() == 1
        page.fill("#offence", "Assault by beating")
        court = (utcnow() + timedelta(days=21)).astimezone(LONDON)
        page.fill("#court_date_date", court.date().isoformat())
        page.fill("#court_date_time", "09:30")
        page.fill("#court_place", "Leeds Magistrates' Court")
        page.click("text=Preview the messages")

        page.wait_for_selector("text=Check the messages before they go")
        body = page.locator("pre.message-body[lang='pl']").first
        assert world.case_a.crime_reference in body.inner_text()
        assert "UCS-2" in page.content()
        save_screenshot(page, "officer-event-preview")

        page.click("text=Record the event and send the messages")
        page.wait_for_selector("text=The event is recorded")
        save_screenshot(page, "officer-event-recorded")
    finally:
        context.close()
    with Session(engine) as session:
        assert len(session.exec(select(CaseEvent)).all()) == 1
        channels = sorted(row.channel for row in session.exec(select(Notification)))
        assert channels == ["email", "sms"]
