"""Victims' tasks done with the keyboard only, on a phone-sized screen, in English and in
Arabic: every stop shows where focus is, form errors are announced and each one links
to its field. Screenshots of each journey go to test-artifacts/.

The chatbot (/chat) and the withdrawal (/my-case/withdrawal) are being built on other
branches: their journeys skip, naming the route, until the route exists.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from portal.models import Victim, WithdrawalRequest
from tests.browser.helpers import (
    live_pages,
    live_world,
    new_phone_context,
    save_screenshot,
    set_state,
)
from tests.browser.keyboard import focus_problem, tab_through, tab_to
from tests.pages import signed_in_state
from tests.people import latest_code

pytestmark = pytest.mark.browser

LOCALES = [("en", "ltr"), ("ar", "rtl")]


@pytest.fixture
def keyboard(browser):
    context = new_phone_context(browser)
    yield context.new_page()
    context.close()


def open_as(page, server, path: str, locale: str, state: dict | None = None) -> None:
    set_state(page.context, server, state or {}, locale)
    page.goto(server.url + path)


def assert_errors_are_announced_and_linked(page) -> None:
    """The summary is announced (role=alert); each of its links leads to a field that
    says what is wrong (aria-describedby) and that it is wrong (aria-invalid)."""
    summary = page.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    links = summary.locator("a")
    assert links.count() >= 1
    for index in range(links.count()):
        target = links.nth(index).get_attribute("href").lstrip("#")
        field = page.locator(f"[id='{target}']")
        assert field.count() == 1, f"error link to #{target} leads nowhere"
        described = page.evaluate(
            """(id) => {
              const el = document.getElementById(id);
              const holder = el.closest('[aria-describedby]');
              return holder ? holder.getAttribute('aria-describedby') : '';
            }""",
            target,
        )
        assert "error" in described, f"#{target} does not point to its error message"


def follow_first_error_link(page) -> None:
    """Tab to the summary's first link and press Enter: focus lands on the field."""
    link = page.locator(".error-summary a").first
    target = link.get_attribute("href").lstrip("#")
    assert not tab_to(page, ".error-summary a")
    page.keyboard.press("Enter")
    page.wait_for_function("(id) => document.activeElement.id === id", arg=target)
    assert focus_problem(page) is None


@pytest.mark.parametrize(("locale", "direction"), LOCALES)
def test_sign_in_with_the_keyboard_only(live_server, keyboard, locale, direction):
    world = live_world(live_server)
    page = keyboard
    open_as(page, live_server, "/sign-in", locale)
    assert page.get_attribute("html", "dir") == direction

    # Sent empty: the errors are announced and lead to the fields.
    problems = tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    assert_errors_are_announced_and_linked(page)
    save_screenshot(page, f"keyboard-sign-in-errors-{locale}")
    follow_first_error_link(page)

    page.keyboard.type(world.case_a.crime_reference)
    problems += tab_to(page, "#channel-sms")
    page.keyboard.press("Space")
    assert page.is_checked("#channel-sms")
    problems += tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sign-in/code")

    with Session(live_server.app.extensions["db_engine"]) as session:
        code = latest_code(session)
    problems += tab_to(page, "#code")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_url("**/my-case")
    assert world.case_a.crime_reference in page.inner_text("main")
    save_screenshot(page, f"keyboard-sign-in-my-case-{locale}")
    assert not problems, problems


@pytest.mark.parametrize(("locale", "direction"), LOCALES)
def test_read_a_right_with_the_keyboard_only(live_server, keyboard, locale, direction):
    page = keyboard
    open_as(page, live_server, "/", locale)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    assert focus_problem(page) is None, "the skip link must show when focused"
    page.keyboard.press("Enter")
    problems = tab_to(page, "main a[href='/rights']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/rights")
    problems += tab_to(page, "main a[href='/rights/6']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/rights/6")
    assert page.locator("h1").inner_text()
    assert page.get_attribute("html", "dir") == direction
    problems += tab_to(page, "a[rel=next]")
    save_screenshot(page, f"keyboard-right-6-{locale}")
    page.keyboard.press("Enter")
    page.wait_for_url("**/rights/7")
    assert not problems, problems


@pytest.mark.parametrize(("locale", "direction"), LOCALES)
def test_change_contact_preferences_with_the_keyboard_only(
    live_server, keyboard, locale, direction
):
    world = live_world(live_server)
    page = keyboard
    state = signed_in_state(live_server.app, world, "victim")
    open_as(page, live_server, "/my-case", locale, state)

    # Untick both ways of contact: that is refused, with a linked error.
    problems = tab_to(page, "#sms_allowed")
    page.keyboard.press("Space")
    problems += tab_to(page, "#email_allowed")
    page.keyboard.press("Space")
    problems += tab_to(page, "#preferences ~ form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    assert_errors_are_announced_and_linked(page)
    save_screenshot(page, f"keyboard-preferences-errors-{locale}")
    follow_first_error_link(page)

    # Nothing typed is lost: fix the error, choose every 28 days with the arrow keys.
    page.keyboard.press("Space")
    assert page.is_checked("#sms_allowed")
    problems += tab_to(page, "input[name=frequency]:checked")
    while not page.is_checked("#frequency-28"):
        page.keyboard.press("ArrowLeft" if direction == "rtl" else "ArrowRight")
    problems += tab_to(page, "#preferences ~ form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/my-case?saved=1#preferences")
    assert page.locator(".notice[role=status]").is_visible()
    save_screenshot(page, f"keyboard-preferences-saved-{locale}")
    with Session(live_server.app.extensions["db_engine"]) as session:
        victim = session.get(Victim, world.victim_a.id)
        assert (victim.sms_allowed, victim.email_allowed) == (True, False)
        assert victim.update_frequency_days == 28
    assert not problems, problems


@pytest.mark.parametrize(("locale", "direction"), LOCALES)
def test_ask_the_chatbot_with_the_keyboard_only(live_server, keyboard, locale, direction):
    page = keyboard
    open_as(page, live_server, "/chat", locale)
    problems = tab_to(page, "#message")
    page.keyboard.type("What are my rights?")
    problems += tab_to(page, "#chat-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#chat-log .chat-turn")
    assert page.locator("#chat-log a[href^='/rights']").count() >= 1, (
        "the answer should lead to the rights"
    )
    # The answer is announced where the question was asked; the keyboard carries on.
    problems += tab_to(page, "#message")
    save_screenshot(page, f"keyboard-chat-{locale}")
    assert not problems, problems


@pytest.mark.parametrize(("locale", "direction"), LOCALES)
def test_start_and_save_a_withdrawal_with_the_keyboard_only(
    live_server, keyboard, locale, direction
):
    world = live_world(live_server)
    page = keyboard
    state = signed_in_state(live_server.app, world, "victim")
    open_as(page, live_server, "/my-case", locale, state)
    problems = tab_to(page, "main a[href*='/withdrawal']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/withdrawal/about")
    problems += tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/withdrawal/reasons")
    problems += tab_to(page, "main input[type=checkbox]")
    page.keyboard.press("Space")
    problems += tab_to(page, "main button[name=later]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/my-case")
    assert page.locator(".error-summary").count() == 0
    # Saved: My case now offers to carry on where they stopped.
    assert page.locator("main a[href*='/withdrawal']").count() >= 1
    with Session(live_server.app.extensions["db_engine"]) as session:
        [draft] = session.exec(select(WithdrawalRequest)).all()
        assert draft.reasons and draft.content_hash is None
    save_screenshot(page, f"keyboard-withdrawal-{locale}")
    assert not problems, problems


def test_every_page_shows_focus_at_every_stop(live_server, browser):
    """Tab through every page, start to end: focus can always be seen."""
    world = live_world(live_server)
    context = new_phone_context(browser)
    page = context.new_page()
    problems = []
    try:
        for target in live_pages(live_server, world):
            open_as(page, live_server, target.path, "en", target.state)
            problems += tab_through(page)
    finally:
        context.close()
    assert not problems, "\n".join(problems)
