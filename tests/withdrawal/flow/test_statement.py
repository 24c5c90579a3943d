"""The statement download: the victim's own words in their language with every structured
answer in their language and in English; an audited export; never offered in discreet
mode, with the reason given calmly."""

from __future__ import annotations

import re

from flask_babel import force_locale
from markupsafe import escape

from portal.services import withdrawal_flow
from portal.web.victim import withdrawal_labels as labels
from tests.people import audit_events

from .helpers import requests_of, text, victim_client, walk


def _confirmed(client, base):
    walk(client, base)
    assert client.post(f"{base}/check").location == f"{base}/receipt"


def test_statement_has_their_words_and_answers_in_both_languages(app, session, world, base):
    polish = victim_client(app, session, world.case_a, locale="pl")
    _confirmed(polish, base)
    [record] = requests_of(session, world.victim_a.id)
    assert record.locale == "pl"
    assert f'href="{base}/statement"' in text(polish.get(f"{base}/receipt"))

    response = polish.get(f"{base}/statement")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert withdrawal_flow.record_reference(record) in response.headers["Content-Disposition"]
    page = text(response)
    assert '<html lang="pl" dir="ltr">' in page
    assert "Chcę zapomnieć i żyć dalej." in page
    assert record.content_hash in page
    assert world.case_a.crime_reference in page
    english = re.findall(r'<td class="en" lang="en">(.*?)</td>', page, re.S)
    english_text = " ".join(english)
    for expected in (
        "It is taking too long",
        "I want to move on with my life",
        "Has anyone pressured you, threatened you or contacted you about the case?",
        "Would you be content for the police to carry on without your evidence?",
        "Not sure",
        "From 09:00 to 17:00",
        "A text message",
    ):
        assert expected in english_text, expected
    with app.test_request_context(), force_locale("pl"):
        polish_labels = labels.reason_labels(record) + [q for q, _ in labels.answer_rows(record)]
    for label in polish_labels:
        assert str(escape(label)) in page
    assert "<script" not in page and "<link" not in page  # self-contained

    [export] = audit_events(session, "withdrawal.statement.export")
    assert export.actor == f"victim:{world.victim_a.id}"
    assert export.subject == f"withdrawal:{record.id}"


def test_english_statement_is_a_single_language(victim_a, base, session, world):
    _confirmed(victim_a, base)
    page = text(victim_a.get(f"{base}/statement"))
    assert '<html lang="en" dir="ltr">' in page
    assert 'class="en"' not in page
    assert "It is taking too long" in page


def test_arabic_statement_reads_right_to_left(app, session, world, base):
    arabic = victim_client(app, session, world.case_a, locale="ar")
    _confirmed(arabic, base)
    page = text(arabic.get(f"{base}/statement"))
    assert '<html lang="ar" dir="rtl">' in page
    assert '<td class="en" lang="en">' in page


def test_discreet_mode_offers_no_download_and_says_why(app, session, world):
    base_b = f"/my-case/cases/{world.case_b.id}/withdrawal"
    client = victim_client(app, session, world.case_b)
    _confirmed(client, base_b)
    receipt = text(client.get(f"{base_b}/receipt"))
    assert "/statement" not in receipt
    assert "You chose discreet messages" in receipt
    response = client.get(f"{base_b}/statement")
    assert response.status_code == 403
    assert "Content-Disposition" not in response.headers
    assert "You chose discreet messages" in text(response)
    [refused] = audit_events(session, "withdrawal.statement.refused")
    assert refused.actor == f"victim:{world.victim_b.id}"
    assert audit_events(session, "withdrawal.statement.export") == []


def test_no_statement_before_confirming(victim_a, base):
    walk(victim_a, base)
    assert victim_a.get(f"{base}/statement").status_code == 404
