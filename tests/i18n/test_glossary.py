"""Every translation of a legal or safety term uses the glossary's approved rendering
(translations/glossary/terms.toml), across messages, notifications and the chatbot.

A catalog that says "bail" one way on a page and another in an SMS confuses a victim;
a wrong rendering ("released on a money bond", "withdraw the report") misleads them.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal.i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = tomllib.loads((ROOT / "translations/glossary/terms.toml").read_text())["term"]
DOMAINS = ("messages", "notifications", "chatbot")
LOCALES = [locale for locale in SUPPORTED_LOCALES if locale != DEFAULT_LOCALE]
#: The issue names these; the glossary must keep an approved rendering for each.
REQUIRED = {
    "bail", "charge", "caution", "no_further_action", "released_under_investigation",
    "victim_personal_statement", "isva", "review", "special_measures", "withdraw",
    "crime_reference", "out_of_court_disposal", "restorative_justice", "victims_code",
}  # fmt: skip


def test_the_glossary_has_the_terms_translators_need():
    ids = [term["id"] for term in GLOSSARY]
    assert len(ids) == len(set(ids)) and len(ids) >= 40
    assert REQUIRED <= set(ids)
    for term in GLOSSARY:
        assert term["definition"] and re.compile(term["english"]), term["id"]
        assert set(term["approved"]) | set(term["pending"]) <= set(LOCALES), term["id"]
        assert not set(term["approved"]) & set(term["pending"]), term["id"]


def test_the_issue_terms_are_settled_where_the_issue_fixed_them():
    by_id = {term["id"]: term for term in GLOSSARY}
    for term_id in ("bail", "isva", "victim_personal_statement", "crime_reference", "victims_code"):
        assert not by_id[term_id]["pending"], term_id
    assert by_id["isva"]["approved"]["pt_BR"].lower() == "isva"
    assert by_id["bail"]["approved"]["pl"].startswith("warunk")


def _messages(locale: str):
    for domain in DOMAINS:
        path = ROOT / "translations" / locale / "LC_MESSAGES" / f"{domain}.po"
        for message in read_po(path.open("rb")):
            if message.id:
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                forms = message.string if isinstance(message.string, tuple) else (message.string,)
                yield domain, ids[0], [form for form in forms if form]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_translation_uses_the_approved_rendering(locale):
    problems = []
    messages = list(_messages(locale))
    for term in GLOSSARY:
        approved = term["approved"].get(locale)
        if not approved:
            continue
        english = re.compile(term["english"], re.IGNORECASE)
        for domain, msgid, forms in messages:
            if not english.search(msgid):
                continue
            problems += [
                f"{term['id']} ({approved!r}) missing in {domain}: {msgid[:50]!r} -> {form[:70]!r}"
                for form in forms
                if approved.lower() not in form.lower()
            ]
    assert not problems, f"{locale}:\n" + "\n".join(problems)
