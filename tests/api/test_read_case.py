"""GET a case: stage, next update due, events with their deadlines, and every message
with its channel, status and times; each read of a victim's record is audited."""

from datetime import timedelta

from sqlmodel import Session

from portal.models.base import utcnow
from portal.services.messaging import dispatch_due
from portal.services.working_days import LONDON
from tests.api.helpers import REFERENCE, audit_actions, post_event


def _dispatch_everything(app) -> None:
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        dispatch_due(
            session,
            sms=app.extensions["sms_provider"],
            email=app.extensions["email_provider"],
            # Tomorrow inside Chris's safe hours (09:00-12:00, UK time).
            now=(utcnow().astimezone(LONDON) + timedelta(days=1)).replace(hour=10, minute=30),
        )


def test_a_case_shows_its_stage_deadlines_and_every_message(app, client, auth, created):
    assert post_event(client, auth, key="evt-1").status_code == 202
    queued = client.get(f"/api/v1/cases/{REFERENCE}", headers=auth).json
    assert queued["stage"] == "charged"
    [event] = queued["events"]
    assert event["type"] == "charged" and event["source"] == "api:rms"
    assert event["tell_by"].startswith("2026-06-23")  # 5 working days after 16 June
    assert [(n["victim_id"], n["channel"], n["status"]) for n in queued["notifications"]] == [
        (1, "sms", "queued"),
        (1, "email", "queued"),
        (2, "sms", "queued"),
    ]

    _dispatch_everything(app)
    sent = client.get(f"/api/v1/cases/{REFERENCE}", headers=auth).json
    assert {n["status"] for n in sent["notifications"]} == {"sent"}
    assert all(n["sent_at"] and n["attempts"] == 1 for n in sent["notifications"])
    assert sent["events"][0]["victims_told_at"] is not None
    assert sent["last_contact_at"] is not None
    assert sent["next_update_due_at"] > queued["next_update_due_at"]


def test_the_answer_names_no_victim_and_holds_no_message_text(client, auth, created):
    post_event(client, auth)
    text = client.get(f"/api/v1/cases/{REFERENCE}", headers=auth).get_data(as_text=True)
    for secret in ["Anna", "Kowalska", "+447700900101", "anna@example.com", "Leeds Magistrates"]:
        assert secret not in text


def test_every_read_and_change_is_audited_under_the_keys_name(client, session, auth, created):
    post_event(client, auth)
    client.get(f"/api/v1/cases/{REFERENCE}", headers=auth)
    assert audit_actions(session)[1:] == [  # the first is the key's creation
        ("api:rms", "case.create", "case:1"),
        ("api:rms", "case_event.recorded", "case:1"),
        ("api:rms", "case.view", "case:1"),
        ("api:rms", "victim.view", "victim:1"),
        ("api:rms", "victim.view", "victim:2"),
    ]


def test_an_unknown_case_gets_404_and_stores_nothing(client, session, auth, created):
    before = audit_actions(session)
    response = client.get("/api/v1/cases/01/000000/26", headers=auth)
    assert response.status_code == 404
    assert response.json["error"] == "not_found"
    assert audit_actions(session) == before
