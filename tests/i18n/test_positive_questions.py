"""Yes/no questions are asked positively in every locale (issue 18, fault 1).

A negative question ("Do you not object...?") stores the answer backwards. The list of
such questions lives in translations/glossary/ask_positively.toml with, per locale, the
words that mark a negative or "do you object" question.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal.i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES
from portal.models import YesNoNotSure
from portal.services.notification_text import TEXTS, WITHDRAWAL_CONFIRM
from portal.web.victim import withdrawal_labels

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = tomllib.loads((ROOT / "translations/glossary/ask_positively.toml").read_text())
LISTED = {(q["domain"], q["msgid"]) for q in GLOSSARY["question"]}
LOCALES = [locale for locale in SUPPORTED_LOCALES if locale != DEFAULT_LOCALE]
#: A question sentence: up to its question mark (Latin, Arabic-script or Greek-style).
QUESTION = re.compile(r"[^.!?؟।]*[?؟]")


def _answered_yes_or_no() -> set[tuple[str, str]]:
    """Every question the portal answers with Yes / No, read from the code."""
    yes_no = {YesNoNotSure.YES, YesNoNotSure.NO}
    questions = {
        ("messages", str(withdrawal_labels.QUESTIONS[key]._args[0]))
        for key, options in withdrawal_labels.OPTIONS.items()
        if yes_no <= {str(code) for code in options}
    }
    questions.add(("messages", "Is this right?"))
    questions.add(("notifications", TEXTS[WITHDRAWAL_CONFIRM].sms))
    return questions


def test_every_yes_no_question_is_in_the_ask_positively_list():
    missing = _answered_yes_or_no() - LISTED
    assert not missing, f"add to translations/glossary/ask_positively.toml: {sorted(missing)}"


def test_every_locale_has_negative_markers():
    assert set(GLOSSARY["negative_markers"]) == set(LOCALES)


@pytest.mark.parametrize("locale", LOCALES)
def test_questions_are_asked_positively(locale):
    markers = [re.compile(m, re.IGNORECASE) for m in GLOSSARY["negative_markers"][locale]]
    problems = []
    for domain in ("messages", "notifications"):
        path = ROOT / "translations" / locale / "LC_MESSAGES" / f"{domain}.po"
        catalog = read_po(path.open("rb"))
        for listed_domain, msgid in sorted(LISTED):
            if listed_domain != domain:
                continue
            message = catalog.get(msgid)
            assert message is not None and message.string, (locale, msgid)
            asked = QUESTION.findall(message.string)
            assert asked or "?" not in msgid, (locale, msgid, "the question mark is missing")
            problems += [
                f"{msgid[:50]!r}: {question.strip()!r} ({marker.pattern})"
                for question in asked
                for marker in markers
                if marker.search(question)
            ]
    assert not problems, f"{locale}: asked as a negative question:\n" + "\n".join(problems)
