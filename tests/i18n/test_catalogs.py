"""Every locale is complete, and says the same things as the English.

Run for each gettext domain: no untranslated or fuzzy entry, placeholders and HTML tags
identical to the source, and the catalogs up to date with the code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal.cli import extract_domain
from portal.i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
DOMAINS = sorted(p.stem for p in TRANSLATIONS.glob("*.pot"))
LOCALES = [locale for locale in SUPPORTED_LOCALES if locale != DEFAULT_LOCALE]

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdfr]|%[sdfr]|\{\w*\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")


def _catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def _forms(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def _ids(message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


def _placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


def _tags(text: str) -> list[str]:
    return sorted(TAG.findall(text))


def test_there_are_catalogs_to_check():
    assert set(DOMAINS) == {"messages", "chatbot", "notifications"}


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_is_complete_and_faithful(domain, locale):
    path = TRANSLATIONS / locale / "LC_MESSAGES" / f"{domain}.po"
    assert path.exists(), f"{path} is missing"
    template = {m.id for m in _catalog(TRANSLATIONS / f"{domain}.pot") if m.id}
    catalog = _catalog(path)
    problems = []
    present = set()
    for message in catalog:
        if not message.id:
            continue
        present.add(message.id)
        label = _ids(message)[0][:60]
        if message.fuzzy:
            problems.append(f"fuzzy: {label}")
        forms = _forms(message)
        if not all(form.strip() for form in forms):
            problems.append(f"untranslated: {label}")
            continue
        source_ids = _ids(message)
        # A plural form may drop the number only if the singular source has none either.
        expected = set(_placeholders(source_ids[-1]))
        for form in forms:
            found = set(_placeholders(form))
            if found - expected or (len(forms) == 1 and found != expected):
                problems.append(
                    f"placeholders differ: {label}: {sorted(found)} != {sorted(expected)}"
                )
            if _tags(form) != _tags(source_ids[0]):
                problems.append(f"HTML tags differ: {label}")
    missing = template - present
    problems += [f"missing from catalog: {_ids_text(m)[:60]}" for m in missing]
    assert not problems, f"{locale}/{domain}:\n" + "\n".join(problems)


def _ids_text(message_id) -> str:
    return message_id[0] if isinstance(message_id, tuple) else message_id


@pytest.mark.parametrize("domain", DOMAINS)
def test_catalogs_are_up_to_date_with_the_code(domain, tmp_path, monkeypatch):
    """Extraction from the code finds exactly the ids that the committed template has."""
    monkeypatch.chdir(ROOT)
    fresh = tmp_path / f"{domain}.pot"
    extract_domain(domain, fresh)
    extracted = {m.id for m in _catalog(fresh) if m.id}
    committed = {m.id for m in _catalog(TRANSLATIONS / f"{domain}.pot") if m.id}
    new = sorted(_ids_text(i)[:70] for i in extracted - committed)
    gone = sorted(_ids_text(i)[:70] for i in committed - extracted)
    assert not new and not gone, f"run `make i18n-update` and translate; new: {new}; gone: {gone}"
