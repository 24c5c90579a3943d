"""Exporting a victim's record: what the reader may see, nothing more, and audited."""

import json

from sqlmodel import Session

from portal.models import Case, CaseVictim, Notification
from tests.people import audit_events, sign_in_staff


def _message(db, victim_id, case_id, body):
    db.add(
        Notification(
            victim_id=victim_id,
            case_id=case_id,
            channel="sms",
            locale="pl",
            template_key="check_in",
            body=body,
            to_address="+447700900001",
            idempotency_key=f"t:{case_id}:{body}",
        )
    )


def test_export_holds_the_record_and_only_the_cases_the_reader_may_see(app, client, world):
    with Session(app.extensions["db_engine"]) as db:
        other = Case(
            crime_reference="S/elsewhere",
            force="F",
            area="South",
            crime_category="Fraud",
            officer_id=world.staff["officer_south"].id,
        )
        db.add(other)
        db.flush()
        db.add(CaseVictim(case_id=other.id, victim_id=world.victim_a.id))
        _message(db, world.victim_a.id, world.case_a.id, "About case A")
        _message(db, world.victim_a.id, other.id, "About the South case")
        db.commit()
    sign_in_staff(client, world.staff["officer_north"])
    response = client.get(f"/staff/victims/{world.victim_a.id}/export")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response.headers["Cache-Control"]
    data = json.loads(response.get_data(as_text=True))
    assert data["victim"]["name"] == "Victim A" and data["victim"]["locale"] == "pl"
    assert [case["crime_reference"] for case in data["cases"]] == [world.case_a.crime_reference]
    assert [message["body"] for message in data["messages"]] == ["About case A"]
    assert "provider_reference" not in data["messages"][0]
    with Session(app.extensions["db_engine"]) as db:
        export = audit_events(db, "export")[-1]
    assert export.subject == f"victim:{world.victim_a.id}"
    assert export.actor == f"staff:{world.staff['officer_north'].id}"


def test_export_refused_is_not_found_and_audited(client, session, world):
    sign_in_staff(client, world.staff["officer_south"])
    response = client.get(f"/staff/victims/{world.victim_a.id}/export")
    assert response.status_code == 404 and "Victim A" not in response.get_data(as_text=True)
    denied = audit_events(session, "access.denied")[-1]
    assert (denied.subject, denied.details) == (f"victim:{world.victim_a.id}", {"tried": "export"})
