from datetime import UTC, datetime, time, timedelta

from sqlmodel import select

from portal.models import Case, CaseEvent, Notification, StaffAlert, Victim
from portal.providers import PermanentProviderError, TemporaryProviderError
from portal.services.case_events import record_event
from portal.services.messaging import dispatch_due

#: A Tuesday at noon, UK summer time (11:00 UTC).
NOON = datetime(2026, 6, 16, 11, 0, tzinfo=UTC)
SAFE_EVENING = {"safe_hours_start": time(18), "safe_hours_end": time(21)}


def _statuses(session):
    session.expire_all()
    return [
        (n.channel, n.status) for n in session.exec(select(Notification).order_by(Notification.id))
    ]


def test_sending_records_contact_and_whether_the_victim_was_told_in_time(
    session, make_case, sms, email
):
    case = make_case()
    event = record_event(
        session, case, "suspect_arrested", {}, occurred_at=NOON, actor="x", now=NOON
    ).event
    session.commit()
    result = dispatch_due(session, sms=sms, email=email, now=NOON)
    assert result.sent == 2 and len(sms.sent) == 1 and len(email.sent) == 1
    session.expire_all()
    told = session.get(CaseEvent, event.id)
    assert told.victims_told_at is not None and told.told_in_time is True
    case = session.get(Case, case.id)
    assert case.next_update_due_at - case.last_contact_at == timedelta(days=28)


def test_nothing_goes_outside_safe_hours(session, make_case, sms, email):
    case = make_case(victims=[SAFE_EVENING])
    record_event(session, case, "suspect_arrested", {}, occurred_at=NOON, actor="x", now=NOON)
    session.commit()
    assert dispatch_due(session, sms=sms, email=email, now=NOON).claimed == 0
    evening = NOON + timedelta(hours=6)  # 18:00 in London
    assert dispatch_due(session, sms=sms, email=email, now=evening).sent == 2


def test_a_message_claimed_when_the_window_has_closed_waits(session, make_case, sms, email):
    case = make_case()
    record_event(session, case, "suspect_arrested", {}, occurred_at=NOON, actor="x", now=NOON)
    victim = session.exec(select(Victim)).one()
    victim.safe_hours_start, victim.safe_hours_end = SAFE_EVENING.values()
    session.commit()
    assert dispatch_due(session, sms=sms, email=email, now=NOON).deferred == 2
    assert sms.sent == [] and email.sent == []
    assert all(status == "queued" for _, status in _statuses(session))


def test_a_later_message_to_an_opted_out_number_is_cancelled_not_attempted(
    session, make_case, sms, email
):
    case = make_case()
    record_event(session, case, "suspect_arrested", {}, occurred_at=NOON, actor="x", now=NOON)
    victim = session.exec(select(Victim)).one()
    victim.sms_opted_out_at = NOON
    session.commit()
    dispatch_due(session, sms=sms, email=email, now=NOON)
    assert sms.sent == []
    assert _statuses(session) == [("sms", "cancelled"), ("email", "sent")]


def test_temporary_errors_back_off_then_succeed(session, make_case, sms, email):
    case = make_case(victims=[{"email": None}])
    record_event(session, case, "suspect_arrested", {}, occurred_at=NOON, actor="x", now=NOON)
    session.commit()
    sms.errors = [TemporaryProviderError("busy"), TemporaryProviderError("busy")]
    assert dispatch_due(session, sms=sms, email=email, now=NOON).retrying == 1
    assert (
        dispatch_due(session, sms=sms, email=email, now=NOON + timedelta(seconds=29)).claimed == 0
    )
    assert (
        dispatch_due(session, sms=sms, email=email, now=NOON + timedelta(seconds=30)).retrying == 1
    )
    assert (
        dispatch_due(session, sms=sms, email=email, now=NOON + timedelta(seconds=89)).claimed == 0
    )
    assert dispatch_due(session, sms=sms, email=email, now=NOON + timedelta(seconds=90)).sent == 1
    assert len(sms.sent) == 1


def test_temporary_errors_give_up_after_the_bounded_period(session, make_case, sms, email):
    case = make_case(victims=[{"email": None}])
    record_event(session, case, "suspect_arrested", {}, occurred_at=NOON, actor="x", now=NOON)
    session.commit()
    sms.errors = [TemporaryProviderError("down")] * 50
    now, outcomes = NOON, []
    for _ in range(50):
        result = dispatch_due(session, sms=sms, email=email, now=now)
        outcomes.append(result)
        if result.failed:
            break
        now += timedelta(hours=2)
    assert outcomes[-1].failed == 1
    assert now - NOON <= timedelta(hours=24)


def test_a_permanent_error_marks_the_number_unreachable_falls_back_and_alerts(
    session, make_case, sms, email
):
    case = make_case(victims=[{"email_allowed": True}])
    record_event(session, case, "suspect_arrested", {}, occurred_at=NOON, actor="x", now=NOON)
    # Only SMS was queued first when the victim had no e-mail address at that time.
    session.exec(
        select(Notification).where(Notification.channel == "email")
    ).one().status = "cancelled"
    session.commit()
    sms.errors = [PermanentProviderError("Twilio HTTP 400 code 21211", code="21211")]
    result = dispatch_due(session, sms=sms, email=email, now=NOON)
    assert result.failed == 1
    victim = session.exec(select(Victim)).one()
    session.refresh(victim)
    assert victim.phone_unreachable_at is not None
    dispatch_due(session, sms=sms, email=email, now=NOON)
    assert _statuses(session) == [("sms", "failed"), ("email", "cancelled"), ("email", "sent")]
    assert "suspect has been arrested" in email.sent[0][2]
    alert = session.exec(select(StaffAlert)).one()
    assert (alert.kind, alert.case_id, alert.staff_id) == (
        "channel_unreachable",
        case.id,
        case.officer_id,
    )
