"""Right 1: a signed-in victim asks for an interpreter and their officer sees it."""

from sqlmodel import select

from portal.models import AuditEvent
from tests.people import sign_in_staff, sign_in_victim


def test_interpreter_request_is_stored_and_shown_to_the_officer(app, session, world):
    victim_client = app.test_client()
    sign_in_victim(victim_client, session, world.case_a.crime_reference)
    response = victim_client.post(
        "/interpreter",
        data={
            "language": "Kurdish",
            "dialect": "Sorani",
            "contact_how": "phone",
            "contact_when": "Weekday mornings",
        },
    )
    assert response.status_code == 303
    assert session.exec(
        select(AuditEvent).where(AuditEvent.action == "victim.interpreter_requested")
    ).first()

    officer = app.test_client()
    sign_in_staff(officer, world.staff["officer_north"])
    page = officer.get(f"/staff/cases/{world.case_a.id}").get_data(as_text=True)
    assert "Interpreter needed: Kurdish" in page
    assert "Sorani" in page and "Weekday mornings" in page
