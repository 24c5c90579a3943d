"""Real dispatch worker processes (`python -m jobs.dispatcher`) against a local fake
Twilio, and an outbox full of SMS to send: shared by the fault tests and bench.dispatch."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from portal.models import Case, CaseVictim, Notification, NotificationStatus, Victim
from portal.models.base import utcnow
from portal.services.lanes import EVENT_UPDATE
from portal.services.notification_text import render

#: A short lease so that rows held by a killed worker come back within seconds; the
#: configuration requires it to be at least three times the provider timeout.
LEASE_SECONDS = 6
TWILIO_TIMEOUT_SECONDS = 2


def dispatcher_env(database_url: str, twilio_url: str, concurrency: int = 16) -> dict[str, str]:
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
        "DISPATCH_CONCURRENCY": str(concurrency),
        "EMAIL_PROVIDER": "outbox",
        "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
    }


def start_dispatcher(
    database_url: str,
    twilio_url: str,
    log: Path,
    *,
    batch_size: int = 10,
    concurrency: int = 16,
    max_lane: int | None = None,
) -> subprocess.Popen:
    """One worker process; its output goes to `log` (read it when a test fails).
    With `max_lane`, a worker kept for the most urgent lanes."""
    lanes = ["--max-lane", str(max_lane)] if max_lane is not None else []
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
                *lanes,
            ],
            env=dispatcher_env(database_url, twilio_url, concurrency),
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def queue_sms(
    engine: Engine, count: int, *, identical_every: int = 0, due_at: datetime | None = None
) -> list[str]:
    """Queue `count` due SMS (general updates, each with its own officer text) on one
    case with ten victims, and return their texts as the dispatcher will render them.
    With `identical_every`, every n-th message goes to the first victim, who is in
    discreet mode: the same neutral text each time, the case where only the provider
    reference tells messages apart. Each call makes its own case: call it again for more.
    They are due at `due_at` (now by default)."""
    now = utcnow()
    with engine.begin() as connection:
        case_id = connection.execute(
            sa.insert(Case.__table__)
            .values(
                crime_reference=f"Q/{uuid.uuid4().hex[:8]}/26",
                force="Force",
                area="Area",
                crime_category="assault",
                domestic_abuse=False,
                sexual_offence=False,
                enhanced_rights=False,
                stage="reported",
                reported_at=now,
                created_at=now,
            )
            .returning(Case.__table__.c.id, Case.__table__.c.crime_reference)
        ).one()
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
                    discreet=i == 0,
                    update_frequency_days=28,
                    sms_status_replies=False,
                    created_at=now,
                )
                .returning(Victim.__table__.c.id)
            ).scalar_one()
            for i in range(10)
        ]
        connection.execute(
            sa.insert(CaseVictim.__table__),
            [{"case_id": case_id.id, "victim_id": victim_id} for victim_id in victim_ids],
        )
        rows = []
        for i in range(count):
            same = bool(identical_every) and i % identical_every == 0
            victim = 0 if same else 1 + i % (len(victim_ids) - 1)
            params = {"text": f"Message number {i}."}
            body = render(
                "general_update",
                locale="en",
                params=params,
                crime_reference=case_id.crime_reference,
                discreet=same,
            ).sms
            rows.append(
                {
                    "victim_id": victim_ids[victim],
                    "case_id": case_id.id,
                    "channel": "sms",
                    "locale": "en",
                    "template_key": "general_update",
                    "params": params,
                    "discreet": same,
                    "body": body,
                    "to_address": f"+4477009{victim:05d}",
                    "idempotency_key": f"{case_id.crime_reference}:{i}",
                    "status": NotificationStatus.QUEUED,
                    "lane": EVENT_UPDATE,
                    "attempts": 0,
                    "not_before": due_at or now,
                    "created_at": due_at or now,
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
