from datetime import UTC, datetime, time, timedelta

import pytest
from sqlmodel import select

from portal.models import AuditEvent, CaseEvent, CaseStage, Notification
from portal.services.case_events import preview, record_event
from portal.services.events import InvalidEvent

#: A Tuesday at noon, UK summer time (11:00 UTC).
NOON = datetime(2026, 6, 16, 11, 0, tzinfo=UTC)
SAFE_EVENING = {"safe_hours_start": time(18), "safe_hours_end": time(21)}


CHARGED = {
    "offence": "Assault",
    "court_date": "2026-07-06T09:30:00+00:00",
    "court_place": "Leeds",
}


def test_an_event_is_recorded_with_its_deadline_and_moves_the_stage(session, make_case):
    case = make_case(enhanced=True)
    recorded = record_event(
        session, case, "charged", CHARGED, occurred_at=NOON, actor="staff:1", now=NOON
    )
    session.commit()
    assert recorded.created and recorded.queued == 2  # SMS and email
    event = session.get(CaseEvent, recorded.event.id)
    assert event.tell_by.date().isoformat() == "2026-06-17"  # one working day
    assert case.stage == CaseStage.CHARGED
    assert session.exec(select(AuditEvent)).first().action == "case_event.recorded"


def test_each_victim_gets_their_own_language_and_channels(session, make_case):
    case = make_case(
        victims=[
            {"locale": "pl", "email": None},
            {"locale": "en", "phone_e164": None},
            {"locale": "en", "sms_opted_out_at": NOON},  # STOP: e-mail only
            {"locale": "en", "sms_allowed": False, "email_allowed": False},
        ]
    )
    record_event(session, case, "suspect_arrested", {}, occurred_at=NOON, actor="x", now=NOON)
    session.commit()
    rows = session.exec(select(Notification).order_by(Notification.id)).all()
    assert [(row.locale, row.channel) for row in rows] == [
        ("pl", "sms"),
        ("en", "email"),
        ("en", "email"),
    ]
    assert rows[1].subject == "A suspect has been arrested"
    assert all("NW/1/26" in row.body for row in rows)


def test_messages_wait_for_the_safe_hours_window_and_a_chosen_time(session, make_case):
    case = make_case(victims=[SAFE_EVENING, {}])
    later = NOON + timedelta(days=1)
    record_event(
        session, case, "suspect_arrested", {}, occurred_at=NOON, actor="x", now=NOON, send_at=later
    )
    session.commit()
    times = {row.victim_id: row.not_before for row in session.exec(select(Notification)).all()}
    evening_victim, any_time_victim = sorted(times)
    # 18:00 London (17:00 UTC) on the chosen day, and the chosen time itself.
    assert times[evening_victim] == datetime(2026, 6, 17, 17, 0, tzinfo=UTC)
    assert times[any_time_victim] == later


def test_the_same_idempotency_key_creates_nothing_new(session, make_case):
    case = make_case()
    first = record_event(
        session, case, "suspect_arrested", {}, occurred_at=NOON, actor="x", idempotency_key="k1"
    )
    again = record_event(
        session, case, "suspect_arrested", {}, occurred_at=NOON, actor="x", idempotency_key="k1"
    )
    session.commit()
    assert not again.created and again.event.id == first.event.id
    assert len(session.exec(select(CaseEvent)).all()) == 1
    assert len(session.exec(select(Notification)).all()) == 2


def test_wrong_fields_are_refused_naming_the_field(session, make_case):
    case = make_case()
    with pytest.raises(InvalidEvent) as error:
        record_event(
            session, case, "charged", {"offence": "x"}, occurred_at=NOON, actor="x", now=NOON
        )
    assert {e["field"] for e in error.value.errors} == {"params.court_date", "params.court_place"}
    with pytest.raises(InvalidEvent):
        record_event(session, case, "made_up", {}, occurred_at=NOON, actor="x", now=NOON)


def test_preview_shows_the_exact_message_without_saving(session, make_case):
    case = make_case(victims=[{"locale": "en", "discreet": True}])
    messages = preview(session, case, "general_update", {"text": "Hello"}, now=NOON)
    assert {m.channel for m in messages} == {"sms", "email"}
    sms = next(m for m in messages if m.channel == "sms")
    assert sms.body == "You have a new message. Please sign in to read it."
    assert (sms.sms_encoding, sms.sms_segments) == ("GSM-7", 1)
    assert session.exec(select(Notification)).first() is None
