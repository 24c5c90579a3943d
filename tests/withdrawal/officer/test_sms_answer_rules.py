"""Attacks on the SMS answer to a withdrawal an officer recorded (issue 13, item 2).

A YES or NO answers one question that was actually delivered to that number, within its
answer window, and only once; anything else is ordinary text for the chatbot. A discreet
victim's phone may be held by the person they fear, so it never answers by SMS.
Everything goes through the real dispatcher (to the fake Twilio) and the real, signed
inbound webhook."""

from datetime import timedelta

from sqlmodel import select

from portal import chatbot
from portal.models import Case, CaseVictim, Notification, Victim, WithdrawalRequest
from portal.models.base import utcnow
from portal.services import notification_text, withdrawal_officer
from portal.services.access import Principal
from portal.services.working_days import LONDON
from tests.people import audit_events, sign_in_victim

from .records import officer_recorded, send_due, text_in, twiml_message


def status_of(session, recorded) -> str:
    session.expire_all()
    return session.get(WithdrawalRequest, recorded.request.id).status


def chatbot_answer(victim, body: str) -> str:
    return chatbot.reply(body, victim=victim, channel="sms").text


def confirmations(session) -> list:
    return audit_events(session, "withdrawal.victim_confirmed")


def test_a_yes_before_the_question_went_out_confirms_nothing(app, session, world, twilio):
    """The question waits for the victim's safe hours; a YES sent to the chatbot in the
    meantime is a chat message, and the NO they send once asked still counts."""
    victim = session.get(Victim, world.victim_a.id)
    opens = utcnow().astimezone(LONDON) + timedelta(hours=2)
    victim.safe_hours_start = opens.time().replace(second=0, microsecond=0)
    victim.safe_hours_end = (opens + timedelta(hours=1)).time().replace(second=0, microsecond=0)
    session.add(victim)
    session.commit()
    recorded = officer_recorded(session, world)
    assert send_due(session, twilio).sent == 0 and twilio.accepted == []

    reply = twiml_message(text_in(app, world.victim_a.phone_e164, "yes"))
    assert reply == chatbot_answer(world.victim_a, "yes")
    assert status_of(session, recorded) == "awaiting_victim" and confirmations(session) == []

    # The safe hours open, the question goes out, and the victim's NO is not ignored.
    assert send_due(session, twilio, now=opens + timedelta(minutes=5)).sent == 2
    text_in(app, world.victim_a.phone_e164, "nie")
    assert status_of(session, recorded) == "disputed"


def test_a_yes_from_another_number_confirms_nothing(app, session, world, twilio):
    recorded = officer_recorded(session, world)
    assert send_due(session, twilio).sent == 2
    for stranger in ("+447700900999", world.victim_b.phone_e164):
        text_in(app, stranger, "YES")
    assert status_of(session, recorded) == "awaiting_victim" and confirmations(session) == []


def test_a_question_that_never_reached_the_phone_cannot_be_answered(app, session, world, twilio):
    recorded = officer_recorded(session, world)
    assert send_due(session, twilio).sent == 2
    session.execute(  # Twilio reported it undelivered (the status webhook's effect)
        Notification.__table__.update()
        .where(Notification.channel == "sms")
        .values(status="failed", failed_at=utcnow())
    )
    session.commit()
    reply = twiml_message(text_in(app, world.victim_a.phone_e164, "tak"))
    assert reply == chatbot_answer(world.victim_a, "tak")
    assert status_of(session, recorded) == "awaiting_victim"


def test_only_the_first_answer_counts(app, session, world, twilio):
    recorded = officer_recorded(session, world)
    send_due(session, twilio)
    text_in(app, world.victim_a.phone_e164, "NO")
    assert status_of(session, recorded) == "disputed"
    reply = twiml_message(text_in(app, world.victim_a.phone_e164, "YES"))
    assert reply == chatbot_answer(world.victim_a, "YES")
    assert status_of(session, recorded) == "disputed" and confirmations(session) == []


def test_an_answer_after_the_window_confirms_nothing(app, session, world, twilio):
    long_ago = utcnow() - timedelta(days=15)
    recorded = officer_recorded(session, world, now=long_ago)
    assert send_due(session, twilio, now=long_ago).sent == 2
    # The 14 days are over; the nightly sweep has not run yet.
    text_in(app, world.victim_a.phone_e164, "tak")
    assert status_of(session, recorded) == "awaiting_victim" and confirmations(session) == []


def test_a_yes_answers_the_newest_question_only(app, session, world, twilio):
    """Two cases, two questions to one phone: one YES answers one of them."""
    second_case = Case(
        crime_reference="01/000003/26",
        force="F",
        area="North",
        crime_category="Theft",
        officer_id=world.staff["officer_north"].id,
    )
    session.add(second_case)
    session.flush()
    session.add(CaseVictim(case_id=second_case.id, victim_id=world.victim_a.id))
    session.commit()
    earlier = utcnow() - timedelta(hours=2)
    first = officer_recorded(session, world, now=earlier)
    assert send_due(session, twilio, now=earlier).sent == 2
    officer = world.staff["officer_north"]
    second = withdrawal_officer.record_officer_withdrawal(
        session,
        withdrawal_officer.police_case(
            session, Principal.for_staff(officer), second_case.id, "withdrawal.record"
        ),
        victim_id=world.victim_a.id,
        actor=f"staff:{officer.id}",
        officer_id=officer.id,
        evidence_type="statement",
        evidence_reference="MG11 9",
        reasons=["move_on"],
        note="Asked to stop.",
        now=utcnow(),
    )
    session.commit()
    assert send_due(session, twilio).sent == 2
    text_in(app, world.victim_a.phone_e164, "tak")
    assert (status_of(session, first), status_of(session, second)) == (
        "awaiting_victim",
        "confirmed",
    )


def test_a_discreet_victims_phone_never_confirms_but_my_case_does(
    app, client, session, world, twilio
):
    """The phone of a discreet victim may be in the abuser's hands: the message names
    nothing and asks nothing, a YES from that phone is ordinary text (the chatbot's
    neutral line tells them to sign in), and the victim answers in My case."""
    recorded = officer_recorded(session, world, on="b")
    assert send_due(session, twilio).sent == 1
    ((_, body),) = twilio.accepted
    assert body == notification_text.DISCREET.sms
    reply = twiml_message(text_in(app, world.victim_b.phone_e164, "YES"))
    assert reply == notification_text.DISCREET.sms
    assert status_of(session, recorded) == "awaiting_victim" and confirmations(session) == []

    sign_in_victim(client, session, world.case_b.crime_reference)
    client.post(f"/my-case/withdrawal/{recorded.request.id}/answer", data={"answer": "yes"})
    assert status_of(session, recorded) == "confirmed"
    assert [e.details["via"] for e in confirmations(session)] == ["web"]


def test_turning_on_discreet_mode_after_the_question_stops_sms_answers(app, session, world, twilio):
    recorded = officer_recorded(session, world)
    send_due(session, twilio)
    victim = session.get(Victim, world.victim_a.id)
    victim.discreet = True
    session.add(victim)
    session.commit()
    text_in(app, world.victim_a.phone_e164, "tak")
    assert status_of(session, recorded) == "awaiting_victim" and confirmations(session) == []


def test_the_question_records_which_withdrawal_it_asks_about(session, world):
    recorded = officer_recorded(session, world)
    rows = session.exec(select(Notification)).all()
    assert {row.withdrawal_id for row in rows} == {recorded.request.id}


def test_a_number_the_victim_no_longer_uses_cannot_answer(app, session, world, twilio):
    """The question went to the old number; the victim has since given a new one (the
    old phone may be with someone else now)."""
    recorded = officer_recorded(session, world)
    send_due(session, twilio)
    old_number = world.victim_a.phone_e164
    victim = session.get(Victim, world.victim_a.id)
    victim.phone_e164 = "+447700900555"
    session.add(victim)
    session.commit()
    text_in(app, old_number, "tak")
    assert status_of(session, recorded) == "awaiting_victim" and confirmations(session) == []
