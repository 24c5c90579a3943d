"""Arabic pages show numbers in the order they are dialled (issue 18, fault 2).

Chromium lays the pages out; for every direction isolate that holds a phone number, a
crime reference or an email address, each character must sit to the right of the one
before it, as the reader types it. A control paragraph without the isolate shows the
measurement does see the reversal ("111 89 16 08 08") that victims reported.
Screenshots go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import live_pages, new_phone_context, save_screenshot, set_state
from tests.i18n.rendered import OFFICER_PHONE, VICTIM_SUPPORT_PHONE, sample_world

pytestmark = pytest.mark.browser

#: For each place `value` appears in the text under `root`: the left edge of each of its
#: visible characters, in the order they are written.
OCCURRENCES = """
([root, value]) => {
  const found = [];
  const walker = document.createTreeWalker(document.querySelector(root), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let at = node.data.indexOf(value); at >= 0; at = node.data.indexOf(value, at + 1)) {
      const lefts = [];
      for (let i = at; i < at + value.length; i++) {
        if (!node.data[i].trim()) continue;
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        lefts.push(range.getBoundingClientRect().left);
      }
      found.push(lefts);
    }
  }
  return found;
}
"""

CONTROL = """
() => {
  const p = document.createElement('p');
  p.id = 'bidi-control';
  p.dir = 'rtl';
  p.textContent = 'اتصل على 08 08 16 89 111 مجانًا';
  document.querySelector('main').append(p);
}
"""


def _in_reading_order(lefts: list[float]) -> bool:
    return len(lefts) > 1 and all(a < b for a, b in zip(lefts, lefts[1:], strict=False))


def test_numbers_keep_their_order_on_arabic_pages(live_server, browser):
    world = sample_world(live_server.app)
    values = [OFFICER_PHONE, VICTIM_SUPPORT_PHONE, world.case_a.crime_reference]
    wanted = {"rights.right", "victim.my_case", "staff.case"}
    targets = [p for p in live_pages(live_server, world) if p.endpoint in wanted]
    assert {t.endpoint for t in targets} == wanted
    context = new_phone_context(browser)
    page = context.new_page()
    shown = set()
    try:
        for target in targets:
            set_state(context, live_server, target.state, "ar")
            page.goto(live_server.url + target.path)
            for value in values:
                for lefts in page.evaluate(OCCURRENCES, ["main", value]):
                    assert _in_reading_order(lefts), f"{target}: {value!r} is shown out of order"
                    shown.add(value)
            save_screenshot(page, f"bidi-ar-{target.endpoint}")
        # The measurement sees the fault: the same number without an isolate is reversed.
        page.evaluate(CONTROL)
        (control,) = page.evaluate(OCCURRENCES, ["#bidi-control", VICTIM_SUPPORT_PHONE])
        assert not _in_reading_order(control)
    finally:
        context.close()
    assert shown == set(values), "a sample value was on none of the pages"
