"""No English leaks into a page shown in another language (issue 18, fault 3).

Every page (tests/pages.py) is rendered in Polish and in Arabic with the sample world of
tests/i18n/rendered.py. A word of the English source (any msgid) that the locale's own
catalog never uses, or in Arabic any word in Latin letters, fails the test unless it is
an allowed loanword or a value a person typed (names, places, officer free text).
Text marked as another language (`lang="en"` columns, a message in the victim's own
language) and isolated codes (references, emails) are not counted.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.i18n.rendered import rendered_site, text_runs

ROOT = Path(__file__).resolve().parents[2]
DOMAINS = ("messages", "notifications", "chatbot")
LOCALES = ["pl", "ar"]
WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
#: Words a translation may keep in English: names of organisations, standards and
#: technology the reader meets in English anyway.
LOANWORDS = {
    "ISVA", "ISVAs", "WCAG", "EHRC", "EASS", "SMS", "PDF", "HTML", "SHA", "Victim",
    "Support", "Victims", "Code", "Android", "iPhone", "Chrome", "Firefox", "Safari",
    "Edge", "Google", "Apple", "Microsoft", "Authenticator", "TOTP", "OK", "CPS", "Wi", "Fi",
    "Cymraeg", "Polski", "English", "Shift", "JavaScript", "JSON", "AA", "axe", "core",
    "Incognito", "CSV",
}  # fmt: skip
#: English names a translation quotes on purpose: what the reader will see written in
#: English on a browser menu or an official body's own pages.
QUOTED_NAMES = ["Equality Advisory and Support Service", "Private browsing", "History"]


def _words(text: str) -> set[str]:
    return {w.strip("'’") for w in WORD.findall(text)}


def _english_vocabulary() -> set[str]:
    words: set[str] = set()
    for domain in DOMAINS:
        for message in read_po((ROOT / "translations" / f"{domain}.pot").open("rb")):
            for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
                words |= {w.lower() for w in _words(re.sub(r"%\(\w+\)s|\{\w+\}", "", msgid))}
    return words


def _locale_vocabulary(locale: str) -> set[str]:
    words: set[str] = set()
    for domain in DOMAINS:
        for message in read_po(
            (ROOT / "translations" / locale / "LC_MESSAGES" / f"{domain}.po").open("rb")
        ):
            for form in message.string if isinstance(message.string, tuple) else (message.string,):
                words |= {w.lower() for w in _words(form or "")}
    return words


@pytest.fixture(scope="module")
def site():
    rendered = rendered_site()
    yield rendered
    rendered.app.extensions["db_engine"].dispose()


def _typed_values(world) -> list[str]:
    """What people typed or police systems sent: shown as written, in any language."""
    values = ["Leeds Crown Court", "Assault", world.case_a.force, "Test"]
    values += [user.name for user in world.staff.values()]
    values += [world.victim_a.name, world.victim_b.name, world.case_a.area, world.case_b.area]
    return sorted(values, key=len, reverse=True)


@pytest.mark.parametrize("locale", LOCALES)
def test_no_english_word_on_any_page(site, locale):
    english = _english_vocabulary() - _locale_vocabulary(locale)
    typed = _typed_values(site.world)
    problems = set()
    for page in site.pages:
        for run in text_runs(site.open(page, locale)):
            other_language = run.lang and run.lang.replace("-", "_") != locale
            # Isolated values (references, emails) and <code> (audit codes) are not words.
            if run.isolated or other_language or run.tag == "code":
                continue
            text = run.text
            for value in [*typed, *QUOTED_NAMES]:
                text = text.replace(value, " ")
            for word in _words(text) - LOANWORDS:
                latin_in_arabic = locale == "ar"
                if latin_in_arabic or word.lower() in english:
                    problems.add(f"{page.endpoint}: {word!r} in {run.text.strip()[:70]!r}")
    assert not problems, f"{locale}: English on the page:\n" + "\n".join(sorted(problems))
