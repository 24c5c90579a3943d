"""An officer records a victim's consent for an ISVA; the victim sees it and can end it."""

from sqlmodel import select

from portal.models import AdvocateLink, ConsentRecord
from tests.people import audit_events, sign_in_staff, sign_in_victim


def _url(world):
    return f"/staff/cases/{world.case_a.id}/victims/{world.victim_a.id}/advocate"


def test_officer_records_consent_and_the_isva_can_see_the_case(app, session, world):
    officer, isva = app.test_client(), app.test_client()
    sign_in_staff(officer, world.staff["officer_north"])
    sign_in_staff(isva, world.staff["isva_none"])
    case_url = f"/staff/cases/{world.case_a.id}"
    assert isva.get(case_url).status_code == 404
    form = officer.get(_url(world)).get_data(as_text=True)
    assert "How did the victim give their consent?" in form and "Isva None" in form
    isva_id = world.staff["isva_none"].id
    response = officer.post(
        _url(world),
        data={"isva_id": str(isva_id), "method": "phone", "note": "Spoke with her on 2 May"},
    )
    assert response.status_code == 303
    assert "The consent is recorded" in officer.get(response.headers["Location"]).get_data(
        as_text=True
    )
    session.expire_all()
    link = session.exec(select(AdvocateLink).where(AdvocateLink.isva_id == isva_id)).one()
    assert (link.case_id, link.consent_given_via, link.consent_note) == (
        world.case_a.id,
        "phone",
        "Spoke with her on 2 May",
    )
    assert link.consent_recorded_by_id == world.staff["officer_north"].id
    consent = session.exec(
        select(ConsentRecord).where(ConsentRecord.note == f"isva:{isva_id}")
    ).one()
    assert (consent.given_via, consent.kind) == ("phone", "advocate_access")
    grant = audit_events(session, "advocate.grant")[-1]
    assert grant.actor == f"staff:{world.staff['officer_north'].id}"
    assert grant.details["via"] == "phone" and "Spoke" not in str(grant.details)
    assert isva.get(case_url).status_code == 200

    # The victim sees it in My case and ends it there; the ISVA loses access at once.
    victim = app.test_client()
    sign_in_victim(victim, session, world.case_a.crime_reference)
    assert "Isva None" in victim.get("/my-case").get_data(as_text=True)
    assert victim.post(f"/my-case/advocates/{link.id}/revoke").status_code == 303
    assert isva.get(case_url).status_code == 404
    session.expire_all()
    assert session.get(ConsentRecord, consent.id).withdrawn_at is not None


def test_consent_form_errors_are_clear_and_keep_the_note(client, session, world):
    sign_in_staff(client, world.staff["officer_north"])
    response = client.post(_url(world), data={"isva_id": "", "method": "fax", "note": "n" * 501})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'href="#isva_id"' in html and 'href="#method"' in html and 'href="#note"' in html
    assert "n" * 501 in html
    # Not an ISVA, and an ISVA who already has access.
    not_isva = client.post(
        _url(world), data={"isva_id": str(world.staff["admin"].id), "method": "phone"}
    )
    assert "Choose the adviser (ISVA) from the list." in not_isva.get_data(as_text=True)
    again = client.post(
        _url(world),
        data={"isva_id": str(world.staff["isva_consent"].id), "method": "in_person"},
    )
    assert again.status_code == 400
    assert "This adviser can already see this case." in again.get_data(as_text=True)
    session.expire_all()
    assert len(session.exec(select(AdvocateLink)).all()) == 2  # the world's two, no more


def test_a_victim_of_another_case_cannot_be_reached_through_this_one(client, session, world):
    sign_in_staff(client, world.staff["officer_north"])
    url = f"/staff/cases/{world.case_a.id}/victims/{world.victim_b.id}/advocate"
    response = client.get(url)
    assert response.status_code == 404 and "Victim B" not in response.get_data(as_text=True)
    assert audit_events(session)[-1].action == "access.denied"
