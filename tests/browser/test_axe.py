"""axe-core on every page (tests/pages.py finds them) for every audience, in English,
Arabic (right to left) and Tamil (long words, its own script), on a phone screen: each
page as it opens, and again after each of its forms is sent empty (the error states).

No serious or critical finding is allowed at all. A moderate or minor one fails too,
unless it is listed in JUSTIFIED with the reason it is acceptable.
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    axe_violations,
    live_pages,
    live_world,
    need_axe,
    new_phone_context,
    set_state,
)
from tests.pages import AUDIENCES

pytestmark = pytest.mark.browser

LOCALES = ["en", "ar", "ta"]
#: Pages that are not routes of their own, checked for everybody who is not signed in.
EXTRA_PUBLIC_PATHS = ["/this-page-does-not-exist"]
#: Moderate or minor findings accepted on purpose: rule id -> why.
JUSTIFIED: dict[str, str] = {}
#: Forms that validate on the server (all of ours, marked novalidate) sent as they are.
#: Forms sent empty to check their error state: visible ones that load a new page (the
#: chat form answers through its script; a download form loads nothing).
SEND_FORMS = "main form[novalidate]:not([data-chat]):not([data-download]) >> visible=true"


def _findings(page, where: str) -> list[str]:
    problems = []
    for violation in axe_violations(page):
        if violation["impact"] in ("serious", "critical") or violation["id"] not in JUSTIFIED:
            problems.append(
                f"{where}: {violation['impact']} {violation['id']} ({violation['help']}) "
                f"at {violation['targets'][:3]}"
            )
    return problems


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_accessibility_findings_on_any_page(live_server, browser, audience, locale):
    need_axe()
    world = live_world(live_server)
    pages = [page for page in live_pages(live_server, world) if page.audience == audience]
    assert pages, f"no page found for {audience}"
    targets = [(page.path, page.state) for page in pages]
    if audience == "public":
        targets += [(path, {}) for path in EXTRA_PUBLIC_PATHS]
    context = new_phone_context(browser, bypass_csp=True)
    tab = context.new_page()
    problems = []

    def open_page(path, state):
        set_state(context, live_server, state, locale)
        tab.goto(live_server.url + path)
        assert tab.evaluate("document.documentElement.lang") == locale.replace("_", "-")

    try:
        for path, state in targets:
            open_page(path, state)
            problems += _findings(tab, f"{locale} {path}")
            for index in range(tab.locator(SEND_FORMS).count()):
                open_page(path, state)
                with tab.expect_navigation():
                    tab.locator(SEND_FORMS).nth(index).locator("button[type=submit]").click()
                problems += _findings(tab, f"{locale} {path} after form {index + 1} was sent")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
