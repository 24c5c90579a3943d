"""Every page at 320 CSS pixels wide (a 1280px screen zoomed to 400%), and with text
twice as big on a 640px screen (a 1280px screen zoomed to 200%), in English, Arabic and
Tamil: nothing scrolls sideways, spills out of its box or is cut off (WCAG 1.4.4, 1.4.10).
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    FIND_OVERFLOW,
    FITS_WIDTH,
    live_pages,
    live_world,
    new_phone_context,
    save_screenshot,
    set_state,
)

pytestmark = pytest.mark.browser

LOCALES = ["en", "ar", "ta"]
#: name -> (viewport, root font size)
VIEWS = {
    "320px": ({"width": 320, "height": 640}, "100%"),
    "text-200": ({"width": 640, "height": 400}, "200%"),
}
#: Boxes that hide what does not fit, and do not fit what they hold.
FIND_CLIPPED = """
() => [...document.body.querySelectorAll('*')].filter(el => {
  const style = getComputedStyle(el);
  const hiding = ['hidden', 'clip'];
  const hides = hiding.includes(style.overflowY) || hiding.includes(style.overflowX);
  return hides && style.display !== 'none'
    && (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1);
}).map(el => `${el.tagName}.${el.className}`)
"""


#: Staff pages known not to reflow yet (issue 8 is open for them): the withdrawal
#: dashboard's SVG labels spill at 320px and at 200% text, and the case page scrolls
#: sideways in Tamil at 200% text.
NOT_YET_REFLOWING = {"staff.withdrawal_dashboard", "staff.case"}


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_reflows_without_loss(live_server, browser, locale, view):
    viewport, font_size = VIEWS[view]
    world = live_world(live_server)
    context = new_phone_context(browser, viewport=viewport)
    page = context.new_page()
    problems = []
    try:
        for target in live_pages(live_server, world):
            if target.endpoint in NOT_YET_REFLOWING:
                continue
            set_state(context, live_server, target.state, locale)
            page.goto(live_server.url + target.path)
            page.evaluate(
                "(size) => { document.documentElement.style.fontSize = size; }", font_size
            )
            where = f"{locale} {view} {target.path}"
            if not page.evaluate(FITS_WIDTH):
                problems.append(f"{where}: the page scrolls sideways")
            problems += [f"{where}: spills out: {p}" for p in page.evaluate(FIND_OVERFLOW)]
            problems += [f"{where}: cut off: {p}" for p in page.evaluate(FIND_CLIPPED)]
            if target.endpoint in ("victim.my_case", "rights.right"):
                save_screenshot(page, f"reflow-{target.endpoint}-{locale}-{view}")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
