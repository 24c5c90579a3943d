"""Tap to call: on every page a victim can open, each number they may need to call (999,
101, the helplines, their officer's phone) is a `tel:` link, in English and in Arabic."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from portal.web.formatting import SERVICE_NUMBERS, dial, tel
from tests.i18n.rendered import OFFICER_PHONE, rendered_site

#: The officer's phone as the sample world writes it, and the service numbers.
NUMBERS = re.compile(rf"{SERVICE_NUMBERS.pattern}|({re.escape(OFFICER_PHONE)})")


class CallableNumbers(HTMLParser):
    """Every number of NUMBERS in the page's visible text, with the tel: link around it
    (None when there is none)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str | None]] = []
        self._links: list[str | None] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._links.append(dict(attrs).get("href"))
        elif tag in ("script", "style", "title", "option"):
            self._skipping += 1

    def handle_endtag(self, tag):
        if tag == "a" and self._links:
            self._links.pop()
        elif tag in ("script", "style", "title", "option"):
            self._skipping -= 1

    def handle_data(self, data):
        if self._skipping:
            return
        link = next((href for href in reversed(self._links) if href), None)
        for match in NUMBERS.finditer(data):
            self.found.append((match.group(0), link))


@pytest.fixture(scope="module")
def site():
    return rendered_site()


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_every_number_a_victim_may_call_is_a_tel_link(site, locale):
    problems, seen = [], set()
    for page in site.pages:
        if not page.for_victims:
            continue
        parser = CallableNumbers()
        parser.feed(site.open(page, locale))
        for number, link in parser.found:
            seen.add(number)
            digits = re.sub(r"[^\d]", "", number)
            if not (link and link.startswith("tel:") and link[4:] == digits):
                problems.append(f"{page.path}: {number} is not a tel: link ({link})")
    assert not problems, "\n".join(problems)
    # The check saw what it is for: the emergency, police and officer numbers at least.
    assert {"999", "101", OFFICER_PHONE} <= seen


def test_dial_links_each_number_once_and_escapes_the_rest():
    html = str(dial("Call 999 <now>, or 101. Not 1999 or 9991."))
    assert html.count('href="tel:999"') == 1 and html.count('href="tel:101"') == 1
    assert "&lt;now&gt;" in html and "1999" in html and "9991" in html
    assert str(dial(dial("Call 999."))) == str(dial("Call 999."))
    assert str(tel("020 7946 0000")).startswith('<a class="tel" href="tel:02079460000">')
