"""Strict input: every wrong field is named in a JSON error and nothing is stored."""

from datetime import time, timedelta

import pytest
from sqlmodel import select

from portal.models import Case, CaseEvent, Notification, Victim
from portal.models.base import utcnow
from tests.api.helpers import CHARGED, REFERENCE, case_body, post_event, with_victim

# (body, the field the error must name)
BAD_CASES = [
    (case_body(crime_reference=""), "crime_reference"),
    (case_body(crime_reference="01/abc/26"), "crime_reference"),
    (case_body(crime_reference="01//26"), "crime_reference"),
    (case_body(crime_reference="A" * 41), "crime_reference"),
    (case_body(crime_reference=123456), "crime_reference"),
    (case_body(crime_category=""), "crime_category"),
    (case_body(crime_category="x" * 61), "crime_category"),
    (case_body(force="Line\nbreak"), "force"),
    (case_body(area="nul\u0000"), "area"),
    (case_body(area=None), "area"),
    (case_body(domestic_abuse="yes"), "domestic_abuse"),
    (case_body(sexual_offence=1), "sexual_offence"),
    (case_body(enhanced_rights=None), "enhanced_rights"),
    (case_body(officer_email="not-an-email"), "officer_email"),
    (case_body(officer_email="nobody@police.example"), "officer_email"),
    (case_body(victims=[]), "victims"),
    (case_body(victims=[case_body()["victims"][1]] * 11), "victims"),
    (case_body(victims={"name": "x"}), "victims"),
    (case_body(surprise="field"), "surprise"),
    (with_victim(name=""), "victims.0.name"),
    (with_victim(name="x" * 201), "victims.0.name"),
    (with_victim(name="Tab\u0085name"), "victims.0.name"),
    (with_victim(locale="de"), "victims.0.locale"),
    (with_victim(locale="pt"), "victims.0.locale"),
    (with_victim(locale="PL"), "victims.0.locale"),
    (with_victim(phone="07700900101"), "victims.0.phone"),
    (with_victim(phone="+44 7700 900101"), "victims.0.phone"),
    (with_victim(phone="+447700"), "victims.0.phone"),
    (with_victim(phone="+999999999999"), "victims.0.phone"),
    (with_victim(phone=447700900101), "victims.0.phone"),
    (with_victim(email="anna@"), "victims.0.email"),
    (with_victim(email="a" * 250 + "@example.com"), "victims.0.email"),
    (with_victim(channels=["fax"]), "victims.0.channels.0"),
    (with_victim(channels="sms"), "victims.0.channels"),
    (with_victim(channels=["sms", "sms"]), "victims.0.channels"),
    (with_victim(phone=None), "victims.0.phone"),  # sms chosen without a phone
    (with_victim(email=None), "victims.0.email"),  # email chosen without an address
    (with_victim(discreet="false"), "victims.0.discreet"),
    (with_victim(safe_hours={"start": "9:00", "end": "17:00"}), "victims.0.safe_hours.start"),
    (with_victim(safe_hours={"start": "09:00", "end": "24:00"}), "victims.0.safe_hours.end"),
    (with_victim(safe_hours={"start": "09:00", "end": "09:00"}), "victims.0.safe_hours.end"),
    (with_victim(safe_hours={"start": "09:00"}), "victims.0.safe_hours.end"),
    (
        with_victim(safe_hours={"start": "09:00", "end": "17:00", "tz": "UTC"}),
        "victims.0.safe_hours.tz",
    ),
    (with_victim(interpreter="Polish"), "victims.0.interpreter"),
]


@pytest.mark.parametrize(("body", "field"), BAD_CASES)
def test_a_wrong_case_field_is_named_and_nothing_is_stored(
    client, session, auth, officer, body, field
):
    response = client.post("/api/v1/cases", json=body, headers=auth)
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/json"
    assert response.json["error"] == "invalid_input"
    assert field in [problem["field"] for problem in response.json["fields"]]
    assert session.exec(select(Case)).all() == []
    assert session.exec(select(Victim)).all() == []


def test_every_problem_is_reported_at_once(client, auth, officer):
    body = with_victim(locale="xx", phone="123")
    body["area"] = ""
    response = client.post("/api/v1/cases", json=body, headers=auth)
    fields = {problem["field"] for problem in response.json["fields"]}
    assert fields == {"area", "victims.0.locale", "victims.0.phone"}


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        ("{", "application/json", 400),
        ("", "application/json", 400),
        (b"\xff\xfe{}", "application/json", 400),
        ('{"a": "\\ud800"}', "application/json", 400),
        ("[]", "application/json", 422),
        ('"text"', "application/json", 422),
        ("crime_reference=01/1/26", "application/x-www-form-urlencoded", 415),
        ("{}", "text/plain", 415),
        ("{}", None, 415),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(client, auth, data, content_type, status):
    headers = {**auth, **({"Content-Type": content_type} if content_type else {})}
    response = client.post("/api/v1/cases", data=data, headers=headers)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert response.json["status"] == status


def test_a_body_over_the_size_limit_gets_413(app, client, auth):
    limit = app.config["API_MAX_BODY_BYTES"]
    body = case_body(crime_category="x" * limit)
    response = client.post("/api/v1/cases", json=body, headers=auth)
    assert response.status_code == 413
    assert response.json["error"] == "body_too_large"


def test_a_valid_case_is_stored_as_the_victims_would_expect(client, session, auth, officer):
    body = case_body(domestic_abuse=True)
    body["victims"][0]["email"] = "Anna@EXAMPLE.com"
    response = client.post("/api/v1/cases", json=body, headers=auth)
    assert response.status_code == 201
    assert response.headers["Location"] == f"/api/v1/cases/{REFERENCE}"
    assert response.json["enhanced_rights"] is True  # domestic abuse: 1 working day
    assert [v["channels"] for v in response.json["victims"]] == [["sms", "email"], ["sms"]]

    case = session.exec(select(Case)).one()
    assert case.officer_id is not None and case.stage == "reported"
    assert timedelta(days=27) < case.next_update_due_at - utcnow() <= timedelta(days=28)
    anna, chris = session.exec(select(Victim).order_by(Victim.id)).all()
    assert (anna.locale, anna.email, anna.sms_allowed, anna.email_allowed) == (
        "pl",
        "Anna@example.com",
        True,
        True,
    )
    assert (chris.discreet, chris.email_allowed) == (True, False)
    assert (chris.safe_hours_start, chris.safe_hours_end) == (time(9), time(12))


def test_the_same_crime_reference_twice_gets_409(client, session, auth, created):
    again = client.post("/api/v1/cases", json=case_body(), headers=auth)
    assert again.status_code == 409
    assert again.json["error"] == "case_exists"
    assert len(session.exec(select(Victim)).all()) == 2


BAD_EVENTS = [
    ({**CHARGED, "type": "arrested"}, "type"),
    ({k: v for k, v in CHARGED.items() if k != "type"}, "type"),
    ({**CHARGED, "type": 7}, "type"),
    ({**CHARGED, "occurred_at": "2026-06-16T11:00:00"}, "occurred_at"),
    ({**CHARGED, "occurred_at": "16/06/2026"}, "occurred_at"),
    ({**CHARGED, "occurred_at": 1781600000}, "occurred_at"),
    ({**CHARGED, "occurred_at": "1999-12-31T23:00:00Z"}, "occurred_at"),
    ({**CHARGED, "occurred_at": "2099-01-01T00:00:00Z"}, "occurred_at"),  # in the future
    ({**CHARGED, "occurred_at": "2000-01-01T00:00:00+23:59"}, "occurred_at"),  # 1999 in UTC
    ({**CHARGED, "params": {}}, "params.offence"),
    ({**CHARGED, "params": {**CHARGED["params"], "court_date": "2026-07-06"}}, "params.court_date"),
    (
        {**CHARGED, "params": {**CHARGED["params"], "court_date": "0001-01-01T00:00:00+05:00"}},
        "params.court_date",
    ),
    ({**CHARGED, "params": {**CHARGED["params"], "court_place": "x" * 201}}, "params.court_place"),
    ({**CHARGED, "params": {**CHARGED["params"], "victim_name": "x"}}, "params.victim_name"),
    ({**CHARGED, "params": "charged"}, "params"),
    ({**CHARGED, "extra": True}, "extra"),
    (
        {"type": "suspect_arrested", "occurred_at": "2026-06-16T10:00:00Z", "params": {"x": 1}},
        "params.x",
    ),
    ({"type": "bailed", "occurred_at": "2026-06-16T10:00:00Z"}, "params"),
    (
        {
            "type": "general_update",
            "occurred_at": "2026-06-16T10:00:00Z",
            "params": {"text": "x" * 1001},
        },
        "params.text",
    ),
]


@pytest.mark.parametrize(("body", "field"), BAD_EVENTS)
def test_a_wrong_event_field_is_named_and_nothing_is_recorded(
    client, session, auth, created, body, field
):
    response = post_event(client, auth, body)
    assert response.status_code == 422, response.json
    assert field in [problem["field"] for problem in response.json["fields"]]
    assert session.exec(select(CaseEvent)).all() == []
    assert session.exec(select(Notification)).all() == []


def test_an_officers_text_keeps_its_line_breaks(client, session, auth, created):
    text = "Your bike has been found.\nCall 101 and ask for PC Shah.\tThank you."
    update = {
        "type": "general_update",
        "occurred_at": "2026-06-16T10:00:00Z",
        "params": {"text": text},
    }
    assert post_event(client, auth, update).status_code == 202
    assert session.exec(select(CaseEvent)).one().params == {"text": text}


@pytest.mark.parametrize("value", ["", "x" * 101, "tab\there", "naïve"])
def test_a_malformed_idempotency_key_is_refused(client, session, auth, created, value):
    response = client.post(
        f"/api/v1/cases/{REFERENCE}/events",
        json=CHARGED,
        headers={**auth, "Idempotency-Key": value},
    )
    assert response.status_code == 422
    assert response.json["fields"][0]["field"] == "Idempotency-Key"
    assert session.exec(select(CaseEvent)).all() == []


def test_an_event_for_an_unknown_case_gets_404(client, auth, created):
    response = post_event(client, auth, reference="01/999999/26")
    assert response.status_code == 404
    assert response.json["error"] == "not_found"


def test_wrong_methods_and_paths_get_json_not_html(client, auth):
    wrong_method = client.get(f"/api/v1/cases/{REFERENCE}/events", headers=auth)
    assert wrong_method.status_code == 405
    assert "POST" in wrong_method.headers["Allow"]
    assert wrong_method.json["error"] == "method_not_allowed"
    assert client.delete("/api/v1/cases", headers=auth).status_code == 405
    for path in ["/api/v1/nothing", "/api/v1/cases/lower/case", "/api/v2/cases"]:
        response = client.get(path, headers=auth)
        assert response.status_code == 404
        assert response.mimetype == "application/json"
