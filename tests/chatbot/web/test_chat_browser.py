"""The chat in Chromium on a phone-sized screen: enhanced by the script, and without it."""

import pytest

from portal.chatbot.catalog import translate
from portal.chatbot.texts import LOW_CONFIDENCE, REPLIES
from tests.browser.helpers import save_screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 640}
FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _ask(page, text: str) -> None:
    page.fill("#message", text)
    page.click("#chat-form button[type=submit]")


@pytest.mark.parametrize(
    ("locale", "question", "direction"),
    [("en", "can I get an interpreter", "ltr"), ("ar", "أحتاج إلى مترجم", "rtl")],
)
def test_script_adds_answers_to_the_page_without_reloading_it(
    live_server, phone, locale, question, direction
):
    phone.context.add_cookies([{"name": "lang", "value": locale, "url": live_server.url}])
    phone.goto(live_server.url + "/chat")
    phone.evaluate("window.notReloaded = true")
    turns = phone.locator("#chat-log .chat-turn")

    _ask(phone, question)
    turns.first.wait_for()
    assert turns.first.get_attribute("dir") == direction
    assert translate(locale, REPLIES["interpreter"]) in turns.first.inner_text()
    assert phone.input_value("#message") == ""

    _ask(phone, "asdkjh qwe")  # not understood: topics to choose from
    turns.nth(1).wait_for()
    assert translate(locale, LOW_CONFIDENCE) in turns.nth(1).inner_text()
    turns.nth(1).locator("button[name=topic]").first.click()
    turns.nth(2).wait_for()

    assert phone.evaluate("window.notReloaded === true"), "the page was reloaded"
    assert phone.get_attribute("#chat-log", "aria-live") == "polite"
    assert phone.evaluate(FITS), "the chat scrolls sideways on a 360px screen"
    save_screenshot(phone, f"chat-js-{locale}-360")

    _ask(phone, "   ")
    phone.wait_for_selector("#chat-errors .error-summary")
    assert phone.evaluate("document.activeElement.classList.contains('error-summary')")
    assert turns.count() == 3 and phone.evaluate("window.notReloaded === true")


def test_chat_works_with_javascript_turned_off(live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/chat")
        with page.expect_navigation():
            _ask(page, "he is outside my door")
        danger = page.locator(".chat-danger")
        assert danger.inner_text().startswith(REPLIES["danger"])
        assert danger.locator("a").first.get_attribute("href") == "tel:999"

        with page.expect_navigation():
            _ask(page, "asdkjh qwe")
        topic = page.locator("button[name=topic]").first
        label = topic.inner_text()
        with page.expect_navigation():
            topic.click()
        assert page.locator(".chat-turn").count() == 1  # only the latest answer is shown
        answer = page.inner_text("#chat-log")
        assert label in answer and LOW_CONFIDENCE not in answer
        save_screenshot(page, "chat-no-js-en-360")
    finally:
        context.close()


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_the_chat_shows_it_is_working_and_takes_no_second_tap(live_server, phone, locale):
    """While an answer is on its way (held back here), the page says so and the buttons are
    off; a second tap sends nothing; then the answer comes and the buttons are back."""
    held, asked = [], []
    phone.route("**/chat/answer", lambda route: held.append(route))
    phone.on("request", lambda request: "/chat/answer" in request.url and asked.append(1))
    phone.context.add_cookies([{"name": "lang", "value": locale, "url": live_server.url}])
    phone.goto(live_server.url + "/chat")
    thinking = phone.locator("#chat-thinking")
    assert thinking.is_hidden()
    _ask(phone, "can I get an interpreter")
    phone.wait_for_function("document.getElementById('chat-thinking').hidden === false")
    assert thinking.is_visible() and thinking.inner_text().strip()
    assert phone.is_disabled("#chat-form button[type=submit]")
    save_screenshot(phone, f"chat-thinking-{locale}-360")
    phone.press("#message", "Enter")  # a second question while waiting goes nowhere
    phone.wait_for_timeout(200)
    assert len(asked) == 1
    held[0].continue_()
    phone.wait_for_selector("#chat-log .chat-turn")
    phone.wait_for_function("document.getElementById('chat-thinking').hidden === true")
    assert phone.is_enabled("#chat-form button[type=submit]")
    assert len(asked) == 1
