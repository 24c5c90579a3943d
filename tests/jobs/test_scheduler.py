"""The scheduler registers every sweep safely, and the sweeps do real work."""

from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from sqlmodel import select

from jobs import SCHEDULE, build_scheduler
from portal.models import Case, CaseVictim, Notification, NotificationStatus, OutboxMessage, Victim
from portal.models.base import utcnow


def test_every_job_has_a_fixed_id_and_safe_options(app):
    scheduler = build_scheduler(app, BackgroundScheduler(timezone="UTC"))
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {job_id for job_id, *_ in SCHEDULE}
    for job in jobs.values():
        assert job.coalesce is True
        assert job.max_instances == 1
        assert job.misfire_grace_time and job.misfire_grace_time > 0


def test_building_twice_replaces_rather_than_duplicates(app):
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.start(paused=True)
    try:
        build_scheduler(app, scheduler)
        build_scheduler(app, scheduler)
        assert len(scheduler.get_jobs()) == len(SCHEDULE)
    finally:
        scheduler.shutdown(wait=False)


def _queue(session, *, not_before=None, key="n-1"):
    case = Case(crime_reference="S/1/26", force="F", area="A", crime_category="assault")
    victim = Victim(name="V", phone_e164="+447700900001", discreet=True)
    session.add_all([case, victim])
    session.flush()
    session.add(CaseVictim(case_id=case.id, victim_id=victim.id))
    notification = Notification(
        victim_id=victim.id,
        case_id=case.id,
        channel="sms",
        locale="en",
        template_key="check_in",
        body="You have a new message. Please sign in to read it.",
        to_address="+447700900001",
        idempotency_key=key,
        not_before=not_before or utcnow(),
    )
    session.add(notification)
    session.commit()
    return notification


def test_run_once_sends_what_is_due_through_the_configured_provider(app, session):
    notification = _queue(session)
    result = app.test_cli_runner().invoke(args=["jobs", "run-once"])
    assert result.exit_code == 0 and "dispatch_outbox: 1" in result.output
    session.expire_all()
    sent = session.get(Notification, notification.id)
    assert sent.status == NotificationStatus.SENT and sent.provider_reference.startswith("outbox-")
    [delivered] = session.exec(select(OutboxMessage)).all()
    assert delivered.body == "You have a new message. Please sign in to read it."
    assert delivered.to_address == "+447700900001"


def test_a_second_run_sends_nothing_again(app, session):
    _queue(session)
    cli = app.test_cli_runner()
    cli.invoke(args=["jobs", "run-once"])
    again = cli.invoke(args=["jobs", "run-once"])
    assert "dispatch_outbox: 0" in again.output
    assert len(session.exec(select(OutboxMessage)).all()) == 1


def test_nothing_is_sent_before_not_before(app, session):
    notification = _queue(session, not_before=utcnow() + timedelta(hours=3))
    app.test_cli_runner().invoke(args=["jobs", "run-once"])
    session.expire_all()
    assert session.get(Notification, notification.id).status == NotificationStatus.QUEUED
    assert session.exec(select(OutboxMessage)).all() == []
