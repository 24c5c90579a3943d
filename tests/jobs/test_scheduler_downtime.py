"""The scheduler down (or stalled) for two hours: what fell due goes out, once."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import timedelta

from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_MISSED
from apscheduler.schedulers.background import BackgroundScheduler
from sqlmodel import Session, SQLModel, select

from jobs import SCHEDULE, build_scheduler
from portal.db import make_engine
from portal.models import Case, CaseVictim, Notification, OutboxMessage, Victim
from portal.models.base import utcnow
from tests.support.apps import make_app

TWO_HOURS = timedelta(hours=2)


def _fell_due_while_down(url: str) -> list[str]:
    """Three cases whose check-ins fell due during the two hours, and one message that
    was queued for then; returns the texts the victims should now receive."""
    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    now = utcnow()
    with Session(engine) as session:
        for i, minutes in enumerate((110, 70, 10)):
            case = Case(
                crime_reference=f"DOWN/{i}",
                force="Force",
                area="North",
                crime_category="assault",
                next_update_due_at=now - timedelta(minutes=minutes),
            )
            victim = Victim(name="V", phone_e164=f"+44770090000{i}", email_allowed=False)
            session.add_all([case, victim])
            session.flush()
            session.add(CaseVictim(case_id=case.id, victim_id=victim.id))
        # An update queued on a case with no check-in due, for a victim of its own.
        case = Case(crime_reference="DOWN/Q", force="Force", area="North", crime_category="x")
        victim = Victim(name="V", phone_e164="+447700900009", email_allowed=False)
        session.add_all([case, victim])
        session.flush()
        session.add(CaseVictim(case_id=case.id, victim_id=victim.id))
        session.add(
            Notification(
                victim_id=victim.id,
                case_id=case.id,
                channel="sms",
                locale="en",
                template_key="general_update",
                params={"text": "Queued for while the scheduler was down."},
                body="Queued for while the scheduler was down.",
                to_address=victim.phone_e164,
                idempotency_key="queued-while-down",
                not_before=now - timedelta(minutes=90),
            )
        )
        session.commit()
    engine.dispose()
    return [f"DOWN/{i}" for i in range(3)] + ["Queued for while the scheduler was down."]


def _outbox(url: str) -> list[str]:
    engine = make_engine(url)
    with Session(engine) as session:
        bodies = [message.body for message in session.exec(select(OutboxMessage)).all()]
    engine.dispose()
    return bodies


def _matches(bodies: list[str], expected: list[str]) -> dict[str, int]:
    return {text: sum(text in body for body in bodies) for text in expected}


def test_a_stalled_scheduler_runs_each_job_once_when_it_wakes(tmp_path):
    """APScheduler's view: two hours of missed runs (480 dispatches, 12 check-ins) are
    coalesced into one run of each, inside the misfire grace time."""
    url = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    expected = _fell_due_while_down(url)
    app = make_app(DATABASE_URL=url)
    scheduler = BackgroundScheduler(timezone="UTC")
    runs: dict[str, int] = {}
    missed: list[str] = []
    done = threading.Event()

    def listen(event) -> None:
        if event.code == EVENT_JOB_MISSED:
            missed.append(event.job_id)
        else:
            runs[event.job_id] = runs.get(event.job_id, 0) + 1
        if len(runs) == len(SCHEDULE):
            done.set()

    scheduler.add_listener(listen, EVENT_JOB_EXECUTED | EVENT_JOB_MISSED)
    scheduler.start(paused=True)
    try:
        build_scheduler(app, scheduler)
        for job in scheduler.get_jobs():
            job.modify(next_run_time=utcnow() - TWO_HOURS)
        watched_from = time.monotonic()
        scheduler.resume()
        assert done.wait(30)
        time.sleep(1)  # room for any extra run that must not happen
    finally:
        scheduler.shutdown(wait=True)
    watched = time.monotonic() - watched_from
    # Two hours of missed runs (7,200 of the audit sequencer's) were coalesced into one
    # run of each job; beyond it, only the job's own next intervals while we watched.
    for job_id, _sweep, trigger, _grace in SCHEDULE:
        every = trigger.get("seconds", 0) + 60 * trigger.get("minutes", 0)
        own_intervals = int(watched // every) + 1 if every else 0
        assert 1 <= runs[job_id] <= 1 + own_intervals, (job_id, runs[job_id])
    assert missed == []
    # Whichever job ran first, a second pass (the next interval) sends the rest, once.
    app.test_cli_runner().invoke(args=["jobs", "run-once"])
    app.test_cli_runner().invoke(args=["jobs", "run-once"])
    assert _matches(_outbox(url), expected) == {text: 1 for text in expected}
    app.extensions["db_engine"].dispose()


def _run_scheduler_until_caught_up(url: str, log) -> None:
    env = {**os.environ, "PORTAL_ENV": "development", "DATABASE_URL": url}
    start = log.stat().st_size if log.exists() else 0
    with log.open("ab") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "jobs"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while "caught up" not in log.read_text()[start:]:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_a_scheduler_process_restarted_after_two_hours_sends_what_fell_due_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    expected = _fell_due_while_down(url)
    log = tmp_path / "jobs.log"
    _run_scheduler_until_caught_up(url, log)
    assert _matches(_outbox(url), expected) == {text: 1 for text in expected}
    _run_scheduler_until_caught_up(url, log)  # restarted again: nothing new
    assert _matches(_outbox(url), expected) == {text: 1 for text in expected}
    assert len(_outbox(url)) == len(expected)
