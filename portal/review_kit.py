"""A review kit for professional translators: one XLIFF 2.0 file per locale, and reading
the reviewed file back (issue 18).

The kit holds every entry of the three gettext domains (messages, notifications,
chatbot) with the English, the current translation, where the text appears, the SMS
length limit for text messages, the glossary terms it uses with their approved
rendering, and a warning on the yes/no questions that must be asked positively. CAT
tools (Trados, memoQ, OmegaT, Phrase) open XLIFF 2.0; Weblate and Pontoon work on the
.po files directly. A unit marked `state="reviewed"` or `"final"` is taken back into the
catalog, and the review is logged in translations/README.md (who, when, what).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path

from babel.messages.pofile import read_po, write_po

XLIFF = "urn:oasis:names:tc:xliff:document:2.0"
DOMAINS = ("messages", "notifications", "chatbot")
WHERE = {
    "messages": "web pages",
    "notifications": "SMS and email (SMS: 160 GSM-7 characters or 70 UCS-2 per part)",
    "chatbot": "chatbot answers (web and SMS)",
}
REVIEWED_STATES = {"reviewed", "final"}
LOG_HEADING = "## Review log"


def _unit_id(domain: str, msgid: str, form: int) -> str:
    digest = hashlib.sha1(f"{domain}\x00{msgid}".encode()).hexdigest()[:16]  # noqa: S324 - an id, not security
    return f"{domain}-{digest}-{form}"


def _glossary(translations: Path) -> tuple[list[dict], set[tuple[str, str]]]:
    folder = translations / "glossary"
    terms = tomllib.loads((folder / "terms.toml").read_text(encoding="utf-8"))["term"]
    asked = tomllib.loads((folder / "ask_positively.toml").read_text(encoding="utf-8"))
    return terms, {(q["domain"], q["msgid"]) for q in asked["question"]}


def _notes(domain: str, msgid: str, locale: str, terms: list[dict], positive: set) -> list:
    notes = [("location", WHERE[domain])]
    for term in terms:
        if re.search(term["english"], msgid, re.IGNORECASE):
            approved = term["approved"].get(locale) or "(not settled yet: please propose one)"
            notes.append(("glossary", f"{term['id']}: use “{approved}”. {term['definition']}"))
    if (domain, msgid) in positive:
        notes.append(("ask-positively", "A yes/no question: ask it positively, so Yes means yes."))
    return notes


def build_kit(translations: Path, locale: str) -> bytes:
    """The XLIFF 2.0 document for `locale`."""
    ET.register_namespace("", XLIFF)
    root = ET.Element(
        f"{{{XLIFF}}}xliff",
        {"version": "2.0", "srcLang": "en", "trgLang": locale.replace("_", "-")},
    )
    terms, positive = _glossary(translations)
    for domain in DOMAINS:
        path = translations / locale / "LC_MESSAGES" / f"{domain}.po"
        file_element = ET.SubElement(root, f"{{{XLIFF}}}file", {"id": domain})
        for message in read_po(path.open("rb")):
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            for index, target in enumerate(forms):
                unit = ET.SubElement(
                    file_element, f"{{{XLIFF}}}unit", {"id": _unit_id(domain, ids[0], index)}
                )
                notes = ET.SubElement(unit, f"{{{XLIFF}}}notes")
                extra = [("plural", f"plural form {index}")] if len(forms) > 1 else []
                for category, text in _notes(domain, ids[0], locale, terms, positive) + extra:
                    ET.SubElement(notes, f"{{{XLIFF}}}note", {"category": category}).text = text
                segment = ET.SubElement(unit, f"{{{XLIFF}}}segment", {"state": "translated"})
                ET.SubElement(segment, f"{{{XLIFF}}}source").text = ids[min(index, len(ids) - 1)]
                ET.SubElement(segment, f"{{{XLIFF}}}target").text = target or ""
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@dataclass(frozen=True)
class ImportResult:
    locale: str
    reviewed: int
    changed: int


def import_review(translations: Path, kit: bytes, *, reviewer: str, today: date) -> ImportResult:
    """Take the reviewed units of `kit` into the catalogs and log the review."""
    root = ET.fromstring(kit)  # noqa: S314 - a file the reviewer returns to us, no entities
    locale = root.get("trgLang", "").replace("-", "_")
    if not (translations / locale / "LC_MESSAGES").is_dir():
        raise ValueError(f"no catalogs for locale {locale!r}")
    reviewed = changed = 0
    for file_element in root.findall(f"{{{XLIFF}}}file"):
        domain = file_element.get("id")
        if domain not in DOMAINS:
            raise ValueError(f"unknown file {domain!r}")
        path = translations / locale / "LC_MESSAGES" / f"{domain}.po"
        catalog = read_po(path.open("rb"))
        by_unit = {}
        for message in catalog:
            if message.id:
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                count = len(message.string) if isinstance(message.string, tuple) else 1
                for index in range(count):
                    by_unit[_unit_id(domain, ids[0], index)] = (message, index)
        domain_changed = 0
        for unit in file_element.findall(f"{{{XLIFF}}}unit"):
            segment = unit.find(f"{{{XLIFF}}}segment")
            if segment is None or segment.get("state") not in REVIEWED_STATES:
                continue
            reviewed += 1
            found = by_unit.get(unit.get("id"))
            target = segment.findtext(f"{{{XLIFF}}}target") or ""
            if found is None or not target.strip():
                continue
            message, index = found
            if isinstance(message.string, tuple):
                forms = list(message.string)
                if forms[index] != target:
                    forms[index] = target
                    message.string = tuple(forms)
                    domain_changed += 1
            elif message.string != target:
                message.string = target
                domain_changed += 1
        if domain_changed:
            buffer = BytesIO()
            write_po(buffer, catalog, width=76, omit_header=False)
            path.write_bytes(buffer.getvalue())
        changed += domain_changed
    _log(translations / "README.md", locale, reviewer, today, reviewed, changed)
    return ImportResult(locale, reviewed, changed)


def _log(
    readme: Path, locale: str, reviewer: str, today: date, reviewed: int, changed: int
) -> None:
    text = readme.read_text(encoding="utf-8")
    if LOG_HEADING not in text:
        text = text.rstrip("\n") + (
            f"\n\n{LOG_HEADING}\n\nWritten by `flask translations import-review`.\n\n"
            "| date | locale | reviewer | units reviewed | translations changed |\n"
            "|---|---|---|---|---|\n"
        )
    reviewer = " ".join(reviewer.split()).replace("|", "/")
    line = f"| {today.isoformat()} | {locale} | {reviewer} | {reviewed} | {changed} |\n"
    readme.write_text(text.rstrip("\n") + "\n" + line, encoding="utf-8")
