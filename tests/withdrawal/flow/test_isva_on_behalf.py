"""An ISVA with the client's consent goes through the same steps for them: every step is
audited as done by the ISVA on the victim's behalf, and the record says who submitted it.
An ISVA without consent (never given, or taken back) gets "not found" and an audit entry."""

from __future__ import annotations

import pytest

from portal.models import WithdrawalStatus
from portal.services import withdrawal
from tests.people import audit_events

from .helpers import asks, requests_of, staff_client, text, walk


@pytest.fixture
def isva(app, world):
    return staff_client(app, world.staff["isva_consent"])


@pytest.fixture
def isva_base(world):
    return f"/staff/clients/{world.victim_a.id}/cases/{world.case_a.id}/withdrawal"


def test_isva_walks_the_flow_for_the_client_and_every_step_says_so(isva, isva_base, session, world):
    isva_id, victim_ref = world.staff["isva_consent"].id, f"victim:{world.victim_a.id}"
    dashboard = text(isva.get("/staff/clients"))
    start = f"/staff/clients/{world.victim_a.id}/withdrawal"
    assert f'href="{start}"' in dashboard
    assert isva.get(start).location == isva_base
    assert isva.get(isva_base).location == f"{isva_base}/about"
    about = text(isva.get(f"{isva_base}/about"))
    assert "You are answering for Victim A" in about
    assert 'name="csrf_token"' in about

    walk(isva, isva_base)
    check = text(isva.get(f"{isva_base}/check"))
    assert "It is taking too long" in check
    assert isva.post(f"{isva_base}/check").location == f"{isva_base}/receipt"

    [record] = requests_of(session, world.victim_a.id)
    assert record.status == WithdrawalStatus.CONFIRMED
    assert record.submitted_by == f"isva:{isva_id}"
    [sealed] = audit_events(session, withdrawal.SEAL_ACTION)
    assert (sealed.actor, sealed.on_behalf_of) == (f"staff:{isva_id}", victim_ref)

    flow_events = [e for e in audit_events(session) if e.action.startswith("withdrawal.")]
    assert {e.action for e in flow_events} >= {
        "withdrawal.start", "withdrawal.view", "withdrawal.change",
        "withdrawal.draft.started", "withdrawal.step.saved", withdrawal.SEAL_ACTION,
    }  # fmt: skip
    for event in flow_events:
        assert (event.actor, event.on_behalf_of) == (f"staff:{isva_id}", victim_ref), event.action
    steps = [e.details["step"] for e in flow_events if e.action == "withdrawal.step.saved"]
    assert steps == ["reasons", "safety", "wishes", "help"]

    receipt = text(isva.get(f"{isva_base}/receipt"))
    assert "Go back to my clients" in receipt


def test_help_asked_by_an_isva_is_recorded_as_theirs(isva, isva_base, session, world):
    walk(isva, isva_base, "wishes")
    isva.post(f"{isva_base}/help", data={"offers": ["support_referral"]})
    [ask] = asks(session)
    assert ask.submitted_by == f"isva:{world.staff['isva_consent'].id}"
    [event] = audit_events(session, "withdrawal.help_asked")
    assert event.on_behalf_of == f"victim:{world.victim_a.id}"


@pytest.mark.parametrize("who", ["isva_none", "isva_revoked"])
def test_isva_without_consent_is_refused_and_audited(app, session, world, who):
    client = staff_client(app, world.staff[who])
    base = f"/staff/clients/{world.victim_a.id}/cases/{world.case_a.id}/withdrawal"
    for method, url in [
        ("get", f"/staff/clients/{world.victim_a.id}/withdrawal"),
        ("get", base),
        ("get", f"{base}/reasons"),
        ("post", f"{base}/about"),
        ("post", f"{base}/check"),
        ("get", f"{base}/statement"),
    ]:
        before = len(audit_events(session))
        response = getattr(client, method)(url)
        assert response.status_code == 404, (method, url)
        assert "Victim A" not in text(response)
        assert [e.action for e in audit_events(session)[before:]] == ["access.denied"], url
    assert requests_of(session, world.victim_a.id) == []


def test_isva_cannot_use_a_client_link_for_another_victims_case(isva, session, world):
    url = f"/staff/clients/{world.victim_a.id}/cases/{world.case_b.id}/withdrawal/about"
    assert isva.get(url).status_code == 404
    url = f"/staff/clients/{world.victim_b.id}/cases/{world.case_b.id}/withdrawal/about"
    assert isva.get(url).status_code == 404


def test_other_staff_roles_cannot_use_the_isva_pages(app, world):
    officer = staff_client(app, world.staff["officer_north"])
    url = f"/staff/clients/{world.victim_a.id}/cases/{world.case_a.id}/withdrawal/about"
    assert officer.get(url).status_code == 403
