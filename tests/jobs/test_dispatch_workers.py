"""The production split: one scheduler without the outbox job, and N dispatch worker
processes (`python -m jobs.dispatcher`) that share the outbox on PostgreSQL, send each
message exactly once through the real Twilio client and stop cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlmodel import Session, SQLModel, func, select

from jobs import SCHEDULE, build_scheduler
from portal.db import make_engine
from portal.models import Notification, NotificationStatus
from tests.support.apps import make_app
from tests.support.dispatch_processes import queue_sms
from tests.support.fake_twilio import FakeTwilio

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3
MESSAGES = 60


def test_scheduler_leaves_the_outbox_to_dispatch_workers_when_told():
    with_dispatch = build_scheduler(make_app(), BackgroundScheduler(timezone="UTC"))
    without = build_scheduler(
        make_app(DISPATCH_IN_SCHEDULER=False), BackgroundScheduler(timezone="UTC")
    )
    assert {job.id for job in with_dispatch.get_jobs()} == {job_id for job_id, *_ in SCHEDULE}
    everything_else = {job_id for job_id, *_ in SCHEDULE} - {"dispatch_outbox"}
    assert {job.id for job in without.get_jobs()} == everything_else


def _sent(engine) -> int:
    with Session(engine) as session:
        query = select(func.count()).where(Notification.status == NotificationStatus.SENT)
        return session.exec(query.select_from(Notification)).one()


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.mark.postgres
def test_dispatch_workers_share_the_outbox_and_stop_cleanly(postgres_url):
    engine = make_engine(postgres_url)
    SQLModel.metadata.create_all(engine)
    fake = FakeTwilio()
    env = {
        **os.environ,
        "PORTAL_ENV": "development",
        "DATABASE_URL": postgres_url,
        "SMS_PROVIDER": "twilio",
        "TWILIO_API_BASE_URL": fake.url,
        "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        "TWILIO_AUTH_TOKEN": "token",
        "TWILIO_FROM_NUMBER": "+447700900000",
    }
    workers = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "jobs.dispatcher", "--idle-seconds", "0.2"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WORKERS)
    ]
    try:
        queue_sms(engine, MESSAGES)
        assert _wait_for(lambda: _sent(engine) == MESSAGES, 60)
        queue_sms(engine, MESSAGES)  # workers that went idle pick up more
        assert _wait_for(lambda: _sent(engine) == 2 * MESSAGES, 60)
        assert all(worker.poll() is None for worker in workers)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.communicate(timeout=20)
        fake.close()
        engine.dispose()
    assert [worker.returncode for worker in workers] == [0] * WORKERS
    bodies = Counter(body for _to, body in fake.accepted)
    assert len(bodies) == 2 * MESSAGES and set(bodies.values()) == {1}
