"""Replayed Twilio webhooks (issue 13, item 3): an attacker who captured a correctly
signed request sends it again later. Every inbound message and every status callback is
processed at most once: a replay is acknowledged with empty TwiML and does nothing."""

import threading
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from portal.models import Case, CaseVictim, Notification, Victim, WithdrawalRequest
from portal.models.base import utcnow
from portal.services import withdrawal_officer
from portal.services.access import Principal
from tests.people import audit_events

from .records import inbound_sms, officer_recorded, send_due, signed, twiml_message
from .test_sms_answer_rules import status_of

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _acknowledged_and_ignored(response) -> None:
    assert response.status_code == 200 and response.mimetype == "text/xml"
    assert response.get_data(as_text=True) == EMPTY_TWIML


def _second_case_for_victim_a(session, world) -> Case:
    case = Case(
        crime_reference="01/000004/26",
        force="F",
        area="North",
        crime_category="Criminal damage",
        officer_id=world.staff["officer_north"].id,
    )
    session.add(case)
    session.flush()
    session.add(CaseVictim(case_id=case.id, victim_id=world.victim_a.id))
    session.commit()
    return case


def test_a_stale_yes_replayed_later_does_not_confirm_a_new_withdrawal(app, session, world, twilio):
    first = officer_recorded(session, world, now=utcnow() - timedelta(days=2))
    send_due(session, twilio, now=utcnow() - timedelta(days=2))
    captured = inbound_sms(world.victim_a.phone_e164, "Tak")
    twiml_message(captured.send(app))
    assert status_of(session, first) == "confirmed"

    # Weeks later the officer records a withdrawal on another case and asks the victim.
    officer = world.staff["officer_north"]
    case = withdrawal_officer.police_case(
        session,
        Principal.for_staff(officer),
        _second_case_for_victim_a(session, world).id,
        "withdrawal.record",
    )
    second = withdrawal_officer.record_officer_withdrawal(
        session,
        case,
        victim_id=world.victim_a.id,
        actor=f"staff:{officer.id}",
        officer_id=officer.id,
        evidence_type="statement",
        evidence_reference="MG11 12",
        reasons=["move_on"],
        note="Said on the phone she wants it to stop.",
        now=utcnow() - timedelta(hours=1),
    )
    session.commit()
    send_due(session, twilio, now=utcnow() - timedelta(minutes=30))

    _acknowledged_and_ignored(captured.send(app))
    session.expire_all()
    assert session.get(WithdrawalRequest, second.request.id).status == "awaiting_victim"
    assert len(audit_events(session, "withdrawal.victim_confirmed")) == 1


def test_a_replayed_stop_does_not_opt_the_victim_out_again(app, session, world):
    stop = inbound_sms(world.victim_a.phone_e164, "STOP")
    stop.send(app)
    inbound_sms(world.victim_a.phone_e164, "START").send(app)
    _acknowledged_and_ignored(stop.send(app))
    session.expire_all()
    assert session.get(Victim, world.victim_a.id).sms_opted_out_at is None


def test_a_replayed_chat_message_gets_no_second_answer(app, session, world):
    question = inbound_sms(world.victim_a.phone_e164, "can i get an interpreter please")
    assert "<Message>" in question.send(app).get_data(as_text=True)
    _acknowledged_and_ignored(question.send(app))


def test_a_request_without_a_message_sid_does_nothing(app, session, world):
    _acknowledged_and_ignored(
        signed(
            "/webhooks/twilio/inbound", {"From": world.victim_a.phone_e164, "Body": "STOP"}
        ).send(app)
    )
    session.expire_all()
    assert session.get(Victim, world.victim_a.id).sms_opted_out_at is None


def test_a_sid_too_long_to_be_twilios_is_refused_not_a_500(app, session, world):
    sid = "SM" + "a" * 300
    form = {"MessageSid": sid, "From": world.victim_a.phone_e164, "Body": "STOP"}
    _acknowledged_and_ignored(signed("/webhooks/twilio/inbound", form).send(app))
    session.expire_all()
    assert session.get(Victim, world.victim_a.id).sms_opted_out_at is None


def _status(sid: str, status: str, **extra):
    return signed(
        "/webhooks/twilio/status",
        {"MessageSid": sid, "SmsSid": sid, "MessageStatus": status, "SmsStatus": status, **extra},
    )


def test_a_replayed_status_callback_changes_nothing(app, session, world, twilio):
    officer_recorded(session, world)
    send_due(session, twilio)
    sms = session.exec(select(Notification).where(Notification.channel == "sms")).one()
    delivered = _status(sms.provider_reference, "delivered")
    _acknowledged_and_ignored(delivered.send(app))
    session.expire_all()
    first_delivered_at = session.get(Notification, sms.id).delivered_at
    assert first_delivered_at is not None
    _acknowledged_and_ignored(delivered.send(app))
    session.expire_all()
    assert session.get(Notification, sms.id).delivered_at == first_delivered_at


def test_a_status_callback_for_an_unknown_message_is_refused(app, session, world):
    from portal.models import WebhookReceipt

    _acknowledged_and_ignored(_status("SM" + "f" * 32, "delivered").send(app))
    assert session.exec(select(WebhookReceipt)).all() == []


@pytest.fixture
def pg_app(postgres_url):
    from sqlmodel import SQLModel

    from tests.people import build_world
    from tests.support.apps import make_test_app

    from .records import PUBLIC_BASE, TWILIO_TOKEN

    app = make_test_app(
        DATABASE_URL=postgres_url, TWILIO_AUTH_TOKEN=TWILIO_TOKEN, PUBLIC_BASE_URL=PUBLIC_BASE
    )
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        world = build_world(session)
    yield app, world
    app.extensions["db_engine"].dispose()


def test_the_same_stop_sent_in_parallel_is_processed_once(pg_app):
    """Eight threads deliver one captured STOP at the same moment (PostgreSQL): one is
    processed, the others wait for it and are acknowledged as replays."""
    app, world = pg_app
    stop = inbound_sms(world.victim_a.phone_e164, "STOP")
    barrier = threading.Barrier(8)
    responses = []

    def deliver():
        barrier.wait()
        responses.append(stop.send(app))

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status_code for r in responses) == [200] * 8
    with Session(app.extensions["db_engine"]) as session:
        assert len(audit_events(session, "sms_consent.withdrawn")) == 1


def test_a_yes_and_a_no_arriving_together_answer_once(pg_app, twilio):
    """Two different texts (two SIDs) race for one question (PostgreSQL, real threads):
    the question is locked by the first, so exactly one answer applies; the other is
    ordinary text for the chatbot."""
    app, world = pg_app
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        recorded = officer_recorded(session, world)
        assert send_due(session, twilio).sent == 2
    texts = [inbound_sms(world.victim_a.phone_e164, word) for word in ("tak", "nie") * 3]
    barrier = threading.Barrier(len(texts))

    def deliver(text):
        barrier.wait()
        text.send(app)

    threads = [threading.Thread(target=deliver, args=(text,)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with Session(app.extensions["db_engine"]) as session:
        answers = audit_events(session, "withdrawal.victim_confirmed") + audit_events(
            session, "withdrawal.victim_disputed"
        )
        assert len(answers) == 1
        assert status_of(session, recorded) in {"confirmed", "disputed"}
