"""Every role against every victim-data route, for their own and other people's records,
with force as a dimension: the same force and area as victim A's case (F/North), the same
force but another area (F/South), and another force whose area has the same name (G/North).
Allowed: 200. Refused: 404 or 403, never the data, and an audit entry."""

import re

import pytest

from tests.people import audit_events, sign_in_staff, sign_in_victim

# Who may open which route on victim A's records (case A, North, officer_north).
ROUTES = {
    "victim_case": "/my-case/cases/{case_a}",
    "staff_case": "/staff/cases/{case_a}",
    "staff_victim": "/staff/victims/{victim_a}",
    "client_preferences": "/staff/clients/{victim_a}/preferences",
    "case_audit": "/staff/cases/{case_a}/audit",
    "event_form": "/staff/cases/{case_a}/events/new?type=suspect_arrested",
    "advocate_consent": "/staff/cases/{case_a}/victims/{victim_a}/advocate",
    "export": "/staff/victims/{victim_a}/export",
    "victim_withdrawal": "/my-case/cases/{case_a}/withdrawal/about",
    "client_withdrawal": "/staff/clients/{victim_a}/cases/{case_a}/withdrawal/about",
}
RECORDERS = {"staff_case", "staff_victim", "event_form", "advocate_consent", "export"}
ALLOWED = {
    "victim_a": {"victim_case", "victim_withdrawal"},
    "victim_b": set(),
    "isva_consent": {
        "staff_case",
        "staff_victim",
        "client_preferences",
        "export",
        "client_withdrawal",
    },
    "isva_none": set(),
    "isva_revoked": set(),
    "officer_north": RECORDERS,
    "officer_south": set(),
    "supervisor_north": RECORDERS | {"case_audit"},
    "supervisor_south": set(),
    "admin": set(),
    # Force G: an area named "North" too, every role. Nothing of force F's case.
    "officer_other_force": set(),
    "supervisor_other_force": set(),
    "isva_other_force": set(),
    "admin_other_force": set(),
}
#: Routes that change a victim's record (POST): only officer_north and supervisor_north.
CHANGES = {
    "event_preview": "/staff/cases/{case_a}/events/preview",
    "event_record": "/staff/cases/{case_a}/events",
    "advocate_consent": "/staff/cases/{case_a}/victims/{victim_a}/advocate",
}


def _sign_in_as(client, session, world, who):
    if who.startswith("victim"):
        reference = world.case_a.crime_reference if who == "victim_a" else "01/000002/26"
        sign_in_victim(client, session, reference)
    else:
        assert sign_in_staff(client, world.staff[who]).status_code == 303


@pytest.mark.parametrize("who", sorted(ALLOWED))
def test_access_matrix(client, session, world, who):
    _sign_in_as(client, session, world, who)
    ids = {"case_a": world.case_a.id, "victim_a": world.victim_a.id}
    for name, pattern in ROUTES.items():
        before = len(audit_events(session))
        response = client.get(pattern.format(**ids))
        body = response.get_data(as_text=True)
        if name in ALLOWED[who]:
            assert response.status_code == 200, (who, name)
            # The record itself is on the page (a withdrawal step shows its case's form).
            path = pattern.format(**ids)
            assert world.case_a.crime_reference in body or "Victim A" in body or path in body
        else:
            assert response.status_code in (403, 404), (who, name, response.status_code)
            assert "Victim A" not in body and world.case_a.crime_reference not in body
            denied = audit_events(session)[before:]
            assert [e.action for e in denied] == ["access.denied"], (who, name)


@pytest.mark.parametrize("who", sorted(set(ALLOWED) - {"officer_north", "supervisor_north"}))
def test_changes_are_refused_to_everyone_else_and_audited(client, session, world, who):
    _sign_in_as(client, session, world, who)
    ids = {"case_a": world.case_a.id, "victim_a": world.victim_a.id}
    form = {
        "type": "suspect_arrested",
        "send": "now",
        "occurred_date": "2026-01-05",
        "occurred_time": "10:00",
        "submission": "0" * 32,
        "isva_id": str(world.staff["isva_none"].id),
        "method": "phone",
    }
    for name, pattern in CHANGES.items():
        before = len(audit_events(session))
        response = client.post(pattern.format(**ids), data=form)
        assert response.status_code in (403, 404), (who, name, response.status_code)
        body = response.get_data(as_text=True)
        assert "Victim A" not in body and world.case_a.crime_reference not in body
        assert [e.action for e in audit_events(session)[before:]] == ["access.denied"]
    from sqlmodel import select

    from portal.models import AdvocateLink, CaseEvent, Notification

    assert session.exec(select(CaseEvent)).first() is None
    # No message was queued (a victim's own sign-in code goes through the outbox too).
    queued = select(Notification).where(Notification.template_key != "sign_in_code")
    assert session.exec(queued).first() is None
    assert len(session.exec(select(AdvocateLink)).all()) == 2


def test_victim_sees_own_other_case_is_not_found(client, session, world):
    sign_in_victim(client, session, world.case_b.crime_reference)
    assert client.get(f"/my-case/cases/{world.case_b.id}").status_code == 200
    assert client.get(f"/my-case/cases/{world.case_a.id}").status_code == 404
    assert client.get("/my-case/cases/999999").status_code == 404


def test_admin_reads_a_victim_record_only_with_a_reason(client, session, world):
    sign_in_staff(client, world.staff["admin"])
    url = f"/staff/victims/{world.victim_a.id}"
    assert client.post(url, data={"reason": "  "}).status_code == 404
    response = client.post(url, data={"reason": "Subject access request 42"})
    assert response.status_code == 200 and "Victim A" in response.get_data(as_text=True)
    view = audit_events(session, "victim.view")[-1]
    assert view.actor == f"staff:{world.staff['admin'].id}"
    assert view.reason == "Subject access request 42"


def test_an_admin_of_another_force_cannot_read_a_victim_record_even_with_a_reason(
    client, session, world
):
    sign_in_staff(client, world.staff["admin_other_force"])
    url = f"/staff/victims/{world.victim_a.id}"
    response = client.post(url, data={"reason": "Subject access request 42"})
    assert response.status_code == 404 and "Victim A" not in response.get_data(as_text=True)
    assert audit_events(session)[-1].action == "access.denied"
    assert not audit_events(session, "victim.view")


#: Staff pages that list cases or figures, and who sees victim A's case (F/North) there:
#: its crime reference in the list, or its area's figures.
LISTS = {
    "/staff/cases": {"officer_north", "supervisor_north"},
    "/staff/alerts": {"officer_north", "supervisor_north"},
    "/staff/compliance": {"supervisor_north", "supervisor_south"},
    "/staff/clients": {"isva_consent"},
}


@pytest.mark.parametrize("who", sorted(set(ALLOWED) - {"victim_a", "victim_b"}))
def test_lists_show_only_the_readers_force_and_area(client, session, world, who):
    """Victim A's case is overdue and has an open alert for every member of staff, as a
    wrongly addressed alert would: only those in scope ever see it listed."""
    from datetime import timedelta

    from portal.models import Case, StaffAlert
    from portal.models.base import utcnow

    case = session.get(Case, world.case_a.id)
    case.next_update_due_at = utcnow() - timedelta(days=3)
    session.add_all(
        StaffAlert(kind="check_in_overdue", staff_id=user.id, case_id=case.id)
        for user in world.staff.values()
    )
    session.commit()
    _sign_in_as(client, session, world, who)
    for url, readers in LISTS.items():
        response = client.get(url)
        body = response.get_data(as_text=True)
        shown = {
            "/staff/compliance": re.search(r"<td>(<strong>)?North", body) is not None,
            "/staff/clients": "Victim A" in body,
        }.get(url, world.case_a.crime_reference in body)
        if who in readers:
            assert response.status_code == 200 and shown, (who, url)
        else:
            assert not shown, (who, url, response.status_code)
            assert "Victim A" not in body


def test_officer_case_page_audits_each_victim_view(client, session, world):
    sign_in_staff(client, world.staff["officer_north"])
    assert client.get(f"/staff/cases/{world.case_a.id}").status_code == 200
    subjects = [e.subject for e in audit_events(session)[-2:]]
    assert subjects == [f"case:{world.case_a.id}", f"victim:{world.victim_a.id}"]


def test_isva_loses_access_the_moment_the_victim_revokes(app, session, world):
    victim, isva = app.test_client(), app.test_client()
    sign_in_victim(victim, session, world.case_a.crime_reference)
    sign_in_staff(isva, world.staff["isva_consent"])
    url = f"/staff/cases/{world.case_a.id}"
    assert isva.get(url).status_code == 200
    page = victim.get("/my-case").get_data(as_text=True)
    assert "Isva Consent" in page
    link_id = _active_link_id(session, world)
    assert victim.post(f"/my-case/advocates/{link_id}/revoke").status_code == 303
    assert isva.get(url).status_code == 404
    assert audit_events(session, "advocate.revoke")


def _active_link_id(session, world):
    from sqlmodel import select

    from portal.models import AdvocateLink

    return session.exec(
        select(AdvocateLink.id).where(
            AdvocateLink.isva_id == world.staff["isva_consent"].id,
            AdvocateLink.revoked_at.is_(None),
        )
    ).one()


def test_isva_changes_preferences_on_behalf_of_victim(client, session, world):
    isva = world.staff["isva_consent"]
    sign_in_staff(client, isva)
    form = {"locale": "pl", "sms_allowed": "1", "frequency": "14", "safe_start": "", "safe_end": ""}
    url = f"/staff/clients/{world.victim_a.id}/preferences"
    assert client.post(url, data=form).status_code == 303
    change = audit_events(session, "victim.preferences.change")[-1]
    assert (change.actor, change.on_behalf_of) == (
        f"staff:{isva.id}",
        f"victim:{world.victim_a.id}",
    )
    session.expire_all()
    from portal.models import Victim

    assert session.get(Victim, world.victim_a.id).update_frequency_days == 14


@pytest.mark.parametrize("who", sorted(set(ALLOWED) - {"victim_a", "victim_b"}))
def test_withdrawal_records_are_seen_and_acted_on_only_in_scope(client, session, world, who):
    """A withdrawal officer_north recorded on victim A's case: its page and its
    acknowledgement, for every member of staff of either force."""
    from portal.models.base import utcnow
    from portal.services import withdrawal_officer
    from portal.services.access import Principal

    officer = world.staff["officer_north"]
    case = withdrawal_officer.police_case(
        session, Principal.for_staff(officer), world.case_a.id, "withdrawal.record"
    )
    recorded = withdrawal_officer.record_officer_withdrawal(
        session,
        case,
        victim_id=world.victim_a.id,
        actor=f"staff:{officer.id}",
        officer_id=officer.id,
        evidence_type="pocket_notebook",
        evidence_reference="PNB 4471 p12",
        reasons=["process_too_long"],
        note="Phoned me; wants to stop.",
        now=utcnow(),
    )
    session.commit()
    _sign_in_as(client, session, world, who)
    url = f"/staff/withdrawals/{recorded.request.id}"
    page = client.get(url)
    body = page.get_data(as_text=True)
    if who in {"officer_north", "supervisor_north"}:
        assert page.status_code == 200 and world.case_a.crime_reference in body
        return
    assert page.status_code in (403, 404), (who, page.status_code)
    assert "Victim A" not in body and world.case_a.crime_reference not in body
    before = len(audit_events(session))
    acknowledged = client.post(f"{url}/acknowledge", data={"note": ""})
    assert acknowledged.status_code in (403, 404), (who, acknowledged.status_code)
    assert [e.action for e in audit_events(session)[before:]] == ["access.denied"]
