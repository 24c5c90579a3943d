"""Cases never cross between forces: attacks by a police system of force G (its API key)
and through area names that two forces share (see tests/people.py: F/North, F/South, G/North).
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from portal.models import Case, CaseVictim, StaffAlert, Victim
from portal.models.base import utcnow
from portal.services import api_keys
from portal.services.updates import run_check_ins
from tests.people import OTHER_FORCE, audit_events, sign_in_staff

G_REFERENCE = "07/000009/26"


def _key(session, force: str) -> dict[str, str]:
    key = api_keys.create(session, f"rms-{force.lower()}", force=force, now=utcnow())
    session.commit()
    return {"Authorization": f"Bearer {key.secret}"}


def _case_body(world, **changes) -> dict:
    body = {
        "crime_reference": G_REFERENCE,
        "crime_category": "Assault",
        "force": OTHER_FORCE,
        "area": "North",
        "officer_email": world.staff["officer_other_force"].email,
        "victims": [
            {
                "name": "Gina Other",
                "locale": "en",
                "phone": "+447700900777",
                "channels": ["sms"],
            }
        ],
    }
    return {**body, **changes}


def _fields(response) -> set[str]:
    return {problem["field"] for problem in response.json["fields"]}


def test_a_key_cannot_file_a_case_in_another_forces_area_with_its_officer(client, session, world):
    """Force G's key names its own force but force F's area and F's officer: refused, 422
    naming both fields, and no case, so F's staff never see G's victim."""
    body = _case_body(world, area="South", officer_email=world.staff["officer_south"].email)
    response = client.post("/api/v1/cases", json=body, headers=_key(session, OTHER_FORCE))
    assert response.status_code == 422, response.json
    assert _fields(response) == {"area", "officer_email"}
    assert session.exec(select(Case).where(Case.crime_reference == G_REFERENCE)).first() is None
    sign_in_staff(client, world.staff["supervisor_south"])
    assert G_REFERENCE not in client.get("/staff/cases").get_data(as_text=True)


def test_an_officer_of_another_force_is_refused_at_intake(client, session, world):
    body = _case_body(world, officer_email=world.staff["officer_north"].email)
    response = client.post("/api/v1/cases", json=body, headers=_key(session, OTHER_FORCE))
    assert response.status_code == 422
    assert _fields(response) == {"officer_email"}
    assert "officer" in response.json["fields"][0]["message"]


def test_a_key_cannot_create_or_read_another_forces_cases(client, session, world):
    g_key = _key(session, OTHER_FORCE)
    body = _case_body(world, force="F", officer_email=None)
    assert client.post("/api/v1/cases", json=body, headers=g_key).status_code == 403
    reference = world.case_a.crime_reference
    read = client.get(f"/api/v1/cases/{reference}", headers=g_key)
    assert read.status_code == 404 and "Victim A" not in read.get_data(as_text=True)
    event = {"type": "suspect_arrested", "occurred_at": utcnow().isoformat()}
    sent = client.post(f"/api/v1/cases/{reference}/events", json=event, headers=g_key)
    assert sent.status_code == 404
    assert client.get(f"/api/v1/cases/{reference}", headers=_key(session, "F")).status_code == 200


def test_an_area_name_two_forces_share_shows_each_force_only_its_own_case(
    app, client, session, world
):
    """Force G files a case in its own area "North", which is also a name of force F's. F's
    North officer and supervisor never see it; G's supervisor does."""
    g_key = _key(session, OTHER_FORCE)
    response = client.post("/api/v1/cases", json=_case_body(world), headers=g_key)
    assert response.status_code == 201, response.json
    case = session.exec(select(Case).where(Case.crime_reference == G_REFERENCE)).one()
    link = select(CaseVictim.victim_id).where(CaseVictim.case_id == case.id)
    victim_id = session.exec(link).one()
    for who in ("officer_north", "supervisor_north"):
        staff = app.test_client()
        sign_in_staff(staff, world.staff[who])
        assert G_REFERENCE not in staff.get("/staff/cases").get_data(as_text=True), who
        assert staff.get(f"/staff/cases/{case.id}").status_code == 404, who
        page = staff.get(f"/staff/victims/{victim_id}")
        assert page.status_code == 404 and "Gina Other" not in page.get_data(as_text=True), who
        assert staff.get(f"/staff/victims/{victim_id}/export").status_code == 404, who
    own = app.test_client()
    sign_in_staff(own, world.staff["supervisor_other_force"])
    assert G_REFERENCE in own.get("/staff/cases").get_data(as_text=True)
    assert "Gina Other" in own.get(f"/staff/cases/{case.id}").get_data(as_text=True)


def test_an_overdue_case_escalates_to_the_supervisor_of_its_own_force(client, session, world):
    """The check-in sweep escalates to "the area's supervisor": force G's, not the first
    supervisor of any force whose area has the same name."""
    now = utcnow()
    victim = Victim(name="Gina Other", locale="en")
    case = Case(
        crime_reference=G_REFERENCE,
        force=OTHER_FORCE,
        area="North",
        crime_category="Assault",
        officer_id=world.staff["officer_other_force"].id,
        next_update_due_at=now - timedelta(days=10),
    )
    session.add_all([victim, case])
    session.flush()
    session.add(CaseVictim(case_id=case.id, victim_id=victim.id))
    session.commit()
    run_check_ins(session, now=now)
    overdue = session.exec(select(StaffAlert).where(StaffAlert.kind == "check_in_overdue")).one()
    assert overdue.staff_id == world.staff["supervisor_other_force"].id
    sign_in_staff(client, world.staff["supervisor_north"])
    assert G_REFERENCE not in client.get("/staff/alerts").get_data(as_text=True)


def test_compliance_counts_only_the_readers_force(app, client, session, world):
    """Force F's North case is overdue: F's supervisors see it in North's figures; G's
    supervisor, whose area is also called North, sees none of F's figures."""
    case = session.get(Case, world.case_a.id)
    case.next_update_due_at = utcnow() - timedelta(days=3)
    session.commit()
    sign_in_staff(client, world.staff["supervisor_other_force"])
    assert "There are no figures yet." in client.get("/staff/compliance").get_data(as_text=True)
    own = app.test_client()
    sign_in_staff(own, world.staff["supervisor_south"])
    assert "<td>North</td>" in own.get("/staff/compliance").get_data(as_text=True)


def test_an_admin_manages_only_the_accounts_of_their_force(client, session, world):
    sign_in_staff(client, world.staff["admin_other_force"])
    page = client.get("/staff/accounts").get_data(as_text=True)
    assert world.staff["officer_north"].email not in page
    assert world.staff["officer_other_force"].email in page
    target = world.staff["officer_north"]
    assert client.post(f"/staff/accounts/{target.id}/disable").status_code == 404
    session.expire_all()
    assert session.get(type(target), target.id).disabled_at is None
    assert audit_events(session)[-1].action == "access.denied"
