"""Staff work at desks: every staff page uses the width of a desktop screen, while a
victim's page keeps a readable line length."""

import pytest

from tests.browser.helpers import (
    live_pages,
    live_world,
    new_phone_context,
    save_screenshot,
    set_state,
)

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
MAIN_WIDTH = "document.querySelector('main').getBoundingClientRect().width"


def test_staff_pages_use_a_desktop_screen_and_victim_pages_stay_readable(live_server, browser):
    world = live_world(live_server)
    context = new_phone_context(browser, viewport=DESKTOP)
    page = context.new_page()
    narrow, checked = [], 0
    try:
        for target in live_pages(live_server, world):
            staff = target.endpoint.startswith("staff.")
            if not staff and target.endpoint not in ("public.home", "victim.my_case"):
                continue
            set_state(context, live_server, target.state, "en")
            page.goto(live_server.url + target.path)
            width = page.evaluate(MAIN_WIDTH)
            checked += 1
            if staff and width < 1100:
                narrow.append(f"{target.path}: {width:.0f}px")
            if not staff:
                assert width < 800, (target.path, width)
            if target.endpoint == "staff.my_cases":
                save_screenshot(page, "staff-cases-desktop-en")
    finally:
        context.close()
    assert checked > 10
    assert not narrow, narrow
