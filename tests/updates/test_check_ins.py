from datetime import UTC, datetime, timedelta

from sqlmodel import select

from portal.models import Case, CaseVictim, Notification, Role, StaffAlert, StaffUser
from portal.services.case_events import record_event
from portal.services.messaging import dispatch_due
from portal.services.updates import compliance_by_area, run_check_ins

NOON = datetime(2026, 6, 16, 11, 0, tzinfo=UTC)


def _due(session, case, when):
    case = session.get(Case, case.id)
    case.next_update_due_at = when
    session.commit()


def test_a_due_case_gets_one_check_in_in_the_victims_language_and_the_officer_an_alert(
    session, make_case
):
    case = make_case(victims=[{"locale": "pl", "email": None}])
    _due(session, case, NOON - timedelta(hours=1))
    assert run_check_ins(session, now=NOON).queued == 1
    assert run_check_ins(session, now=NOON).queued == 0  # idempotent
    message = session.exec(select(Notification)).one()
    assert (message.template_key, message.locale) == ("check_in", "pl")
    assert "NW/1/26" in message.body
    alert = session.exec(select(StaffAlert)).one()
    assert (alert.kind, alert.staff_id) == ("check_in_sent", case.officer_id)


def test_no_check_in_when_the_victim_heard_within_their_frequency(session, make_case, sms, email):
    case = make_case()
    record_event(session, case, "suspect_arrested", {}, occurred_at=NOON, actor="x", now=NOON)
    session.commit()
    _due(session, case, NOON + timedelta(minutes=1))
    assert run_check_ins(session, now=NOON + timedelta(days=1)).queued == 0


def test_the_scheduler_down_for_two_hours_sends_what_fell_due_once(session, make_case, sms, email):
    cases = [make_case(reference=f"R{i}", victims=[{"email": None}]) for i in range(3)]
    for minutes, case in zip((10, 50, 100), cases, strict=True):
        _due(session, case, NOON + timedelta(minutes=minutes))
    back = NOON + timedelta(hours=2)
    for _ in range(2):  # the restarted scheduler runs its sweeps, twice for good measure
        run_check_ins(session, now=back)
        dispatch_due(session, sms=sms, email=email, now=back)
    assert sorted(body.split("case ")[1].split(".")[0] for _, body in sms.sent) == [
        "R0",
        "R1",
        "R2",
    ]
    for case in cases:
        session.refresh(session.get(Case, case.id))
        assert session.get(Case, case.id).next_update_due_at == back + timedelta(days=28)


def test_an_unreachable_victim_raises_alerts_and_overdue_escalates_to_the_supervisor(
    session, make_case
):
    case = make_case(victims=[{"phone_e164": None, "email": None}])
    supervisor = StaffUser(
        email="sup@police.example",
        name="Sup",
        role=Role.SUPERVISOR,
        organisation="Force",
        force="Force",
        area="North",
        password_hash="not-a-real-hash",  # noqa: S106
    )
    session.add(supervisor)
    session.commit()
    _due(session, case, NOON - timedelta(days=8))
    result = run_check_ins(session, now=NOON)
    assert (result.queued, result.unreachable, result.escalated) == (0, 1, 1)
    run_check_ins(session, now=NOON)
    alerts = {(a.kind, a.staff_id) for a in session.exec(select(StaffAlert))}
    assert alerts == {
        ("victim_unreachable", case.officer_id),
        ("check_in_overdue", supervisor.id),
    }
    [north] = compliance_by_area(session, now=NOON, scope=Case.force == "Force")
    assert (north.area, north.overdue_check_ins, north.unreachable_victims) == ("North", 1, 1)


def test_compliance_counts_events_told_within_the_deadline(session, make_case, sms, email):
    on_time = make_case(reference="A1", area="East")
    late = make_case(reference="A2", area="East")
    for case in (on_time, late):
        record_event(session, case, "suspect_arrested", {}, occurred_at=NOON, actor="x", now=NOON)
    session.commit()
    for row in session.exec(select(Notification).where(Notification.case_id == late.id)):
        row.not_before = NOON + timedelta(days=10)
    session.commit()
    dispatch_due(session, sms=sms, email=email, now=NOON)
    dispatch_due(session, sms=sms, email=email, now=NOON + timedelta(days=10))
    [east] = compliance_by_area(session, now=NOON + timedelta(days=10), scope=Case.force == "Force")
    assert (east.timed_events, east.told_in_time, east.told_in_time_percent) == (2, 1, 50.0)


def test_one_sweep_reaches_every_due_case_however_many_batches_it_takes(session, make_case):
    cases = [make_case(reference=f"B{i}", victims=[{"email": None}]) for i in range(7)]
    for number, case in enumerate(cases):  # in threes due at the same moment
        _due(session, case, NOON - timedelta(minutes=number // 3))
    # A victim who heard from us recently keeps their case due: the sweep must page past it.
    session.add(
        Notification(
            victim_id=session.exec(
                select(CaseVictim.victim_id).where(CaseVictim.case_id == cases[3].id)
            ).one(),
            case_id=cases[3].id,
            channel="sms",
            locale="en",
            template_key="general_update",
            body="Recent.",
            to_address="+447700900001",
            idempotency_key="recent",
            created_at=NOON - timedelta(days=1),
        )
    )
    session.commit()
    result = run_check_ins(session, now=NOON, batch_size=2)
    assert (result.cases, result.queued) == (7, 6)
