"""Real dispatch worker processes (`python -m jobs.dispatcher`) against a local fake
Twilio, and an outbox full of SMS to send: shared by the fault tests and bench.dispatch."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from portal.models import Notification, NotificationStatus, Victim
from portal.models.base import utcnow

#: A short lease so that rows held by a killed worker come back within seconds; the
#: configuration requires it to be at least three times the provider timeout.
LEASE_SECONDS = 6
TWILIO_TIMEOUT_SECONDS = 2


def dispatcher_env(database_url: str, twilio_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "PORTAL_ENV": "development",
        "DATABASE_URL": database_url,
        "SMS_PROVIDER": "twilio",
        "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        "TWILIO_AUTH_TOKEN": "token",
        "TWILIO_FROM_NUMBER": "+447700900000",
        "TWILIO_API_BASE_URL": twilio_url,
        "TWILIO_TIMEOUT_SECONDS": str(TWILIO_TIMEOUT_SECONDS),
        "SMTP_TIMEOUT_SECONDS": str(TWILIO_TIMEOUT_SECONDS),
        "DISPATCH_CLAIM_SECONDS": str(LEASE_SECONDS),
        "EMAIL_PROVIDER": "outbox",
        "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
    }


def start_dispatcher(
    database_url: str, twilio_url: str, log: Path, *, batch_size: int = 10
) -> subprocess.Popen:
    """One worker process; its output goes to `log` (read it when a test fails)."""
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [
                sys.executable,
                "-m",
                "jobs.dispatcher",
                "--batch-size",
                str(batch_size),
                "--idle-seconds",
                "0.2",
            ],
            env=dispatcher_env(database_url, twilio_url),
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def queue_sms(engine: Engine, count: int, *, identical_every: int = 0) -> list[str]:
    """Queue `count` due SMS to ten victims and return their bodies. With
    `identical_every`, every n-th message is the same discreet text to the first victim,
    the case where only the provider reference tells messages apart."""
    now = utcnow()
    with engine.begin() as connection:
        victim_ids = [
            connection.execute(
                sa.insert(Victim.__table__)
                .values(
                    name="V",
                    locale="en",
                    phone_e164=f"+4477009{i:05d}",
                    sms_allowed=True,
                    email_allowed=False,
                    interpreter_needed=False,
                    discreet=True,
                    update_frequency_days=28,
                    sms_status_replies=False,
                    created_at=now,
                )
                .returning(Victim.__table__.c.id)
            ).scalar_one()
            for i in range(10)
        ]
        rows = []
        for i in range(count):
            same = identical_every and i % identical_every == 0
            victim = 0 if same else i % len(victim_ids)
            rows.append(
                {
                    "victim_id": victim_ids[victim],
                    "channel": "sms",
                    "locale": "en",
                    "template_key": "check_in",
                    "params": {},
                    "discreet": True,
                    "body": "You have a new message." if same else f"Message number {i}.",
                    "to_address": f"+4477009{victim:05d}",
                    "idempotency_key": f"bench:{i}",
                    "status": NotificationStatus.QUEUED,
                    "attempts": 0,
                    "not_before": now,
                    "created_at": now,
                }
            )
        connection.execute(sa.insert(Notification.__table__), rows)
    return [row["body"] for row in rows]


def wait_until_all_sent(engine: Engine, count: int, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sent_count(engine) == count:
            return
        time.sleep(0.2)
    raise AssertionError(f"only {sent_count(engine)} of {count} sent within {timeout} s")


def sent_count(engine: Engine) -> int:
    """Rows recorded as sent. A connection that fails (database restarting) counts 0."""
    table = Notification.__table__
    try:
        with engine.connect() as connection:
            return connection.execute(
                sa.select(sa.func.count()).where(table.c.status == NotificationStatus.SENT)
            ).scalar_one()
    except sa.exc.OperationalError:
        return 0


def recorded_references(engine: Engine) -> Counter:
    """(body, provider reference) of every row, as the database records them."""
    table = Notification.__table__
    with engine.connect() as connection:
        return Counter(
            connection.execute(sa.select(table.c.body, table.c.provider_reference)).all()
        )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
