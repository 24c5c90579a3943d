"""Acknowledging a request or an ask, and recording what the officer did next."""

import pytest
from sqlmodel import Session, select

from portal.models import ServiceRecoveryRequest, WithdrawalFollowUp, WithdrawalRequest
from portal.models.base import utcnow
from portal.services import withdrawal, withdrawal_officer
from portal.services.access import Principal
from tests.people import audit_events, sign_in_staff

from .records import help_asked, victim_confirmed


@pytest.fixture
def request_a(app, world):
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        return victim_confirmed(
            session, case_id=world.case_a.id, victim_id=world.victim_a.id, now=utcnow()
        )


@pytest.fixture
def ask_a(app, world):
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        return help_asked(
            session,
            case_id=world.case_a.id,
            victim_id=world.victim_a.id,
            now=utcnow(),
            offers=["callback", "interpreter"],
        )


def _follow_ups(session):
    session.expire_all()
    return [
        (row.action, row.outcome, row.note)
        for row in session.exec(select(WithdrawalFollowUp).order_by(WithdrawalFollowUp.id))
    ]


def test_acknowledging_moves_a_confirmed_record_on_and_is_audited(
    client, session, world, request_a
):
    sign_in_staff(client, world.staff["officer_north"])
    before = len(audit_events(session))
    response = client.post(
        f"/staff/withdrawals/{request_a.id}/acknowledge", data={"note": "Read it."}
    )
    assert response.status_code == 303
    session.expire_all()
    record = session.get(WithdrawalRequest, request_a.id)
    assert record.status == "acknowledged"
    assert record.acknowledged_by_id == world.staff["officer_north"].id
    assert [entry["status"] for entry in record.status_history] == ["confirmed", "acknowledged"]
    assert withdrawal.check_seal(session, record).intact  # the content never moved
    assert _follow_ups(session) == [("acknowledged", None, "Read it.")]
    changes = audit_events(session)[before:]
    assert [(e.action, e.subject, e.details["withdrawal_id"]) for e in changes] == [
        ("withdrawal.acknowledged", f"case:{world.case_a.id}", request_a.id)
    ]
    # It has left the queue, and a second acknowledgement is refused, not repeated.
    assert (
        withdrawal_officer.queue(session, Principal.for_staff(world.staff["officer_north"])) == []
    )
    again = client.post(f"/staff/withdrawals/{request_a.id}/acknowledge", data={})
    assert again.status_code == 409
    assert "already been acknowledged" in again.get_data(as_text=True)
    assert len(_follow_ups(session)) == 1


def test_follow_ups_need_an_acknowledgement_and_a_note(client, session, world, request_a):
    sign_in_staff(client, world.staff["officer_north"])
    url = f"/staff/withdrawals/{request_a.id}/follow-ups"
    early = client.post(url, data={"action": "callback_made", "note": "Called back"})
    assert early.status_code == 409 and "Acknowledge it first" in early.get_data(as_text=True)
    client.post(f"/staff/withdrawals/{request_a.id}/acknowledge", data={})
    missing = client.post(url, data={"action": "outcome", "note": "  "})
    body = missing.get_data(as_text=True)
    assert missing.status_code == 400
    assert 'class="error-summary"' in body and 'href="#note"' in body and 'href="#outcome"' in body
    assert 'value="outcome" checked' in body  # what they chose is kept
    assert _follow_ups(session) == [("acknowledged", None, None)]


def test_each_follow_up_is_recorded_and_audited(client, session, world, request_a):
    sign_in_staff(client, world.staff["officer_north"])
    client.post(f"/staff/withdrawals/{request_a.id}/acknowledge", data={})
    before = len(audit_events(session))
    url = f"/staff/withdrawals/{request_a.id}/follow-ups"
    steps = [
        {"action": "callback_made", "note": "Spoke for 20 minutes"},
        {"action": "referral_made", "note": "Referred to the ISVA service"},
        {"action": "outcome", "outcome": "withdrew", "note": "Still wants to stop"},
    ]
    for form in steps:
        assert client.post(url, data=form).status_code == 303
    assert _follow_ups(session)[1:] == [
        ("callback_made", None, "Spoke for 20 minutes"),
        ("referral_made", None, "Referred to the ISVA service"),
        ("outcome", "withdrew", "Still wants to stop"),
    ]
    audited = [
        (e.action, e.details["follow_up"], e.details["outcome"])
        for e in audit_events(session)[before:]
    ]
    assert audited == [
        ("withdrawal.follow_up", "callback_made", None),
        ("withdrawal.follow_up", "referral_made", None),
        ("withdrawal.follow_up", "outcome", "withdrew"),
    ]
    page = client.get(f"/staff/withdrawals/{request_a.id}").get_data(as_text=True)
    assert "Referred to the ISVA service" in page and "Withdrew" in page
    # Notes are in the record, never in the audit trail.
    assert all("Spoke" not in str(e.details) for e in audit_events(session))


def test_an_ask_stays_in_the_queue_until_its_outcome_is_recorded(client, session, world, ask_a):
    officer = Principal.for_staff(world.staff["officer_north"])
    sign_in_staff(client, world.staff["officer_north"])
    page = client.get(f"/staff/withdrawals/asks/{ask_a.id}").get_data(as_text=True)
    assert "A call back" in page and "An interpreter" in page
    assert (
        client.post(f"/staff/withdrawals/asks/{ask_a.id}/acknowledge", data={}).status_code == 303
    )
    assert [item.id for item in withdrawal_officer.queue(session, officer)] == [ask_a.id]
    url = f"/staff/withdrawals/asks/{ask_a.id}/follow-ups"
    client.post(url, data={"action": "callback_made", "note": "Arranged an interpreter"})
    client.post(url, data={"action": "outcome", "outcome": "stayed", "note": "Staying in"})
    session.expire_all()
    assert session.get(ServiceRecoveryRequest, ask_a.id).outcome == "stayed"
    assert withdrawal_officer.queue(session, officer) == []
    actions = [e.action for e in audit_events(session) if e.action.startswith("service_recovery")]
    assert actions == [
        "service_recovery.acknowledged",
        "service_recovery.follow_up",
        "service_recovery.follow_up",
    ]
    late = client.post(url, data={"action": "callback_made", "note": "Again"})
    assert late.status_code == 409
