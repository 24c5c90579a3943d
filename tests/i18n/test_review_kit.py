"""The translators' review kit: XLIFF 2.0 out, reviewed units back into the catalogs, and
the review logged in translations/README.md."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal.review_kit import XLIFF, build_kit, import_review
from tests.support.apps import make_app

ROOT = Path(__file__).resolve().parents[2]
NS = {"x": XLIFF}
BAIL = "Suspect released on bail"


@pytest.fixture
def translations(tmp_path):
    copy = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", copy, ignore=shutil.ignore_patterns("*.mo", "review"))
    return copy


def _xml(data: bytes):
    return ET.fromstring(data)  # noqa: S314 - the kit this test just wrote


def _unit(root, source: str):
    for unit in root.iterfind(".//x:unit", NS):
        if unit.findtext("x:segment/x:source", namespaces=NS) == source:
            return unit
    raise AssertionError(source)


def test_the_kit_has_every_entry_with_its_notes(translations):
    root = _xml(build_kit(translations, "pl"))
    assert root.tag == f"{{{XLIFF}}}xliff" and root.get("version") == "2.0"
    assert root.get("srcLang") == "en" and root.get("trgLang") == "pl"
    assert {f.get("id") for f in root.iterfind("x:file", NS)} == {
        "messages",
        "notifications",
        "chatbot",
    }
    unit = _unit(root, BAIL)
    notes = [(n.get("category"), n.text) for n in unit.iterfind("x:notes/x:note", NS)]
    assert ("location", "web pages") in notes
    assert any(category == "glossary" and "“warunk”" in text for category, text in notes)
    assert (
        unit.findtext("x:segment/x:target", namespaces=NS) == "Podejrzany zwolniony pod warunkami"
    )
    question = _unit(root, "Is it safe for us to contact you?")
    assert any(n.get("category") == "ask-positively" for n in question.iterfind(".//x:note", NS))
    sms = _unit(root, "The suspect has been charged")
    assert "SMS" in sms.findtext("x:notes/x:note", namespaces=NS)


def test_reviewed_units_go_back_into_the_catalog_and_the_review_is_logged(translations):
    root = _xml(build_kit(translations, "pl"))
    unit = _unit(root, BAIL)
    segment = unit.find("x:segment", NS)
    segment.set("state", "final")
    segment.find("x:target", NS).text = "Podejrzany zwolniony z warunkami"
    untouched = _unit(root, "Is it safe for us to contact you?")
    untouched.find("x:segment/x:target", NS).text = "not reviewed: must not be taken"
    result = import_review(
        translations, ET.tostring(root), reviewer="A. Tłumacz (ITI)", today=date(2027, 1, 3)
    )
    assert (result.locale, result.reviewed, result.changed) == ("pl", 1, 1)
    catalog = read_po((translations / "pl/LC_MESSAGES/messages.po").open("rb"))
    assert catalog.get(BAIL).string == "Podejrzany zwolniony z warunkami"
    assert catalog.get("Is it safe for us to contact you?").string != untouched
    assert "not reviewed" not in (translations / "pl/LC_MESSAGES/messages.po").read_text()
    log = (translations / "README.md").read_text()
    assert "## Review log" in log and "| 2027-01-03 | pl | A. Tłumacz (ITI) | 1 | 1 |" in log


def test_the_commands_write_the_kit_and_refuse_a_broken_file(tmp_path):
    runner = make_app().test_cli_runner()
    output = tmp_path / "uk.xlf"
    result = runner.invoke(args=["translations", "review-kit", "uk", "--output", str(output)])
    assert result.exit_code == 0 and output.exists()
    assert _xml(output.read_bytes()).get("trgLang") == "uk"
    assert runner.invoke(args=["translations", "review-kit", "xx"]).exit_code != 0
    broken = tmp_path / "broken.xlf"
    broken.write_text("<xliff")
    result = runner.invoke(args=["translations", "import-review", str(broken), "--reviewer", "X"])
    assert result.exit_code != 0 and "cannot read the review kit" in result.output
    assert "Traceback" not in result.output
