"""On PostgreSQL, many writers append at once without waiting for each other, several
sequencers run at once, and every entry is sequenced exactly once, in a consistent
order; a sequencer killed in the middle of a batch loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import defaultdict
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from portal.models import AuditEvent
from portal.models.base import utcnow
from portal.services import audit

from .log_processes import append

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[3]
KEY = audit.SigningKey.generate("test.example/audit")


@pytest.fixture
def engine(postgres_url):
    engine = sa.create_engine(postgres_url, pool_size=20)
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


def _sequence_until_done(engine) -> None:
    while True:
        with Session(engine) as session:
            result = audit.sequence_batch(session, KEY, now=utcnow())
            session.commit()
        if not result.sequenced and not result.busy:
            return


def _assert_sequenced_once_in_order(engine, writers: int, each: int) -> None:
    events = AuditEvent.__table__
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(events.c.actor, events.c.details, events.c.log_index).order_by(
                events.c.log_index
            )
        ).all()
    assert len(rows) == writers * each
    assert [row.log_index for row in rows] == list(range(writers * each))  # each once, no gap
    by_writer = defaultdict(list)
    for row in rows:
        by_writer[row.actor].append(row.details["n"])
    # Each writer committed its entries one after another: the log keeps that order.
    assert all(ns == list(range(each)) for ns in by_writer.values())
    assert len(by_writer) == writers
    with Session(engine) as session:
        report = audit.verify(session, KEY.verifier)
    assert report.ok, report.problems
    assert report.latest_size == writers * each


def _env() -> dict[str, str]:
    return {**os.environ, "AUDIT_SIGNING_KEY": KEY.text(), "PYTHONPATH": str(ROOT)}


def _process(*args: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.services.audit.log_processes", *args],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.PIPE,
        text=True,
    )


def test_an_append_never_waits_for_another_open_transaction(engine):
    """The old trail held one lock per append until commit: a slow request stalled every
    other audited request. Now a second writer commits while the first is still open."""
    first = Session(engine)
    audit.record(first, actor="staff:1", action="victim.view", subject="victim:1")
    try:
        with Session(engine) as second:
            second.execute(sa.text("SET LOCAL lock_timeout = '2s'"))
            second.execute(sa.text("SET LOCAL statement_timeout = '5s'"))
            audit.record(second, actor="staff:2", action="victim.view", subject="victim:2")
            second.commit()
    finally:
        first.commit()
        first.close()
    _sequence_until_done(engine)
    with Session(engine) as session:
        assert audit.verify(session, KEY.verifier).checked == 2


def test_threads_append_while_two_sequencers_run_and_each_entry_is_sequenced_once(engine):
    writers, each, done = 8, 40, threading.Event()
    errors: list[BaseException] = []

    def sequencer():
        try:
            while not done.is_set():
                with Session(engine) as session:
                    audit.sequence_batch(session, KEY, now=utcnow(), batch_size=25)
                    session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    reports: list[audit.VerifyReport] = []

    def verifier():  # verifying a live log raises no false alarm
        while not done.is_set():
            with Session(engine) as session:
                reports.append(audit.verify(session, KEY.verifier))

    sequencers = [threading.Thread(target=sequencer) for _ in range(2)]
    sequencers.append(threading.Thread(target=verifier))
    appenders = [
        threading.Thread(target=append, args=(engine, f"staff:{w}", each)) for w in range(writers)
    ]
    for thread in sequencers + appenders:
        thread.start()
    for thread in appenders:
        thread.join()
    done.set()
    for thread in sequencers:
        thread.join()
    assert errors == []
    assert reports and all(report.ok for report in reports), [r.problems for r in reports]
    _sequence_until_done(engine)
    _assert_sequenced_once_in_order(engine, writers, each)


def test_processes_append_while_two_sequencer_processes_run(engine, postgres_url):
    writers, each = 4, 40
    sequencers = [_process("sequence", postgres_url, "20") for _ in range(2)]
    appenders = [_process("append", postgres_url, f"api:w{w}", str(each)) for w in range(writers)]
    for process in appenders:
        assert process.wait(timeout=120) == 0
    for process in sequencers:
        process.terminate()
        process.wait(timeout=30)
    _sequence_until_done(engine)
    _assert_sequenced_once_in_order(engine, writers, each)


def test_a_sequencer_killed_in_the_middle_of_a_batch_loses_nothing(engine, postgres_url):
    append(engine, "staff:1", 30)
    _sequence_until_done(engine)
    append(engine, "staff:2", 30)
    victim = _process("sequence-then-hang", postgres_url)
    line = victim.stdout.readline()
    assert line.startswith("mid-batch 30"), line  # indexes given, not yet committed
    with Session(engine) as session:  # the lock is held: another sequencer stands aside
        assert audit.sequence_batch(session, KEY, now=utcnow()).busy
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    # PostgreSQL notices the dead connection, rolls back its batch and frees the lock.
    _sequence_until_done(engine)
    append(engine, "staff:3", 5)
    _sequence_until_done(engine)
    events = AuditEvent.__table__
    with engine.connect() as connection:
        indexes = connection.execute(sa.select(events.c.log_index)).scalars().all()
    assert sorted(indexes) == list(range(65))
    with Session(engine) as session:
        report = audit.verify(session, KEY.verifier)
    assert report.ok and report.latest_size == 65, report.problems


def test_a_stuck_sequencer_raises_the_lag_alert_in_the_logs(engine, postgres_url, caplog):
    from jobs.sweeps import sequence_audit
    from portal.services.audit.sequencer import SEQUENCER_LOCK_ID
    from tests.support.apps import make_app

    app = make_app(DATABASE_URL=postgres_url, AUDIT_LAG_ALERT_SECONDS=0)
    append(engine, "staff:1", 3)
    with engine.connect() as stuck:  # a sequencer that hangs while holding the lock
        stuck.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": SEQUENCER_LOCK_ID})
        with caplog.at_level("INFO", logger="jobs.sweeps"):
            assert sequence_audit(app) == 0
        assert "ALERT audit sequencer lag" in caplog.text and "3 entries waiting" in caplog.text
        stuck.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": SEQUENCER_LOCK_ID})
    caplog.clear()
    with caplog.at_level("INFO", logger="jobs.sweeps"):
        assert sequence_audit(app) == 3
    assert "ALERT" not in caplog.text and "audit: 3 entries sequenced" in caplog.text
    app.extensions["db_engine"].dispose()
