"""Many sends in flight per worker, in priority lanes, with every exactly-once guarantee.

- A worker killed (SIGKILL) with 32 sends in flight at Twilio, half of them accepted and
  unanswered, half not yet accepted: after a restart every message is at Twilio once.
- A wave of sends is in flight at once, and no database transaction is open meanwhile.
- Lanes: a sign-in code queued behind a backlog of check-ins goes in the next batch, and
  sends follow the lane order (codes, questions, event updates, check-ins).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select

from portal.db import make_engine
from portal.models import Notification
from portal.models.base import utcnow
from portal.providers.sms.base import SmsProvider
from portal.services import lanes, messaging, victim_sign_in
from portal.services.case_events import record_event, victims_of
from portal.services.updates import run_check_ins
from portal.services.withdrawal_officer import record_officer_withdrawal
from tests.support.dispatch_processes import (
    queue_sms,
    recorded_references,
    start_dispatcher,
    stop,
    wait_until_all_sent,
)
from tests.support.fake_providers import FakeEmail
from tests.support.fake_twilio import FakeTwilio

IN_FLIGHT = 32


@pytest.mark.postgres
def test_a_worker_killed_with_32_sends_in_flight_loses_and_repeats_nothing(postgres_url, tmp_path):
    engine = make_engine(postgres_url)
    SQLModel.metadata.create_all(engine)
    bodies = queue_sms(engine, 3 * IN_FLIGHT, identical_every=8)
    fake = FakeTwilio()
    log = tmp_path / "dispatcher.log"
    workers = []
    try:
        fake.stall = True  # every send is held: accepted-and-unanswered, or not accepted
        workers.append(
            start_dispatcher(
                postgres_url, fake.url, log, batch_size=2 * IN_FLIGHT, concurrency=IN_FLIGHT
            )
        )
        deadline = time.monotonic() + 60
        while fake.stalled < IN_FLIGHT and time.monotonic() < deadline:
            time.sleep(0.05)
        assert fake.stalled == IN_FLIGHT, log.read_text()  # one whole wave in flight
        workers[-1].kill()
        workers[-1].wait()
        accepted_while_killed = list(fake.messages)
        assert len(accepted_while_killed) == IN_FLIGHT // 2
        fake.stall = False
        fake.release.set()  # the held handlers finish; their client is gone
        workers.append(start_dispatcher(postgres_url, fake.url, log, concurrency=IN_FLIGHT))
        wait_until_all_sent(engine, len(bodies), timeout=120)
    finally:
        for worker in workers:
            stop(worker)
        fake.close()

    assert Counter(body for _to, body in fake.accepted) == Counter(bodies), log.read_text()
    recorded = recorded_references(engine)
    assert recorded == Counter((m["body"], m["sid"]) for m in fake.messages)
    for message in accepted_while_killed:  # recognised at Twilio, not sent again
        assert recorded[(message["body"], message["sid"])] == 1
    engine.dispose()


class InFlight(SmsProvider):
    """Counts sends in flight at once, and looks at the database during each send."""

    def __init__(self, engine, *, latency: float = 0.05) -> None:
        self.engine, self.latency = engine, latency
        self.now = self.most = 0
        self.open_transactions: list[int] = []
        self.sent: list[str] = []
        self._lock = threading.Lock()

    def send_sms(self, *, to, body, reference):
        with self._lock:
            self.now += 1
            self.most = max(self.most, self.now)
        with self.engine.connect() as connection:
            self.open_transactions.append(
                connection.execute(
                    sa.text(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name ="
                        " 'dispatcher' AND state LIKE 'idle in transaction%'"
                    )
                ).scalar_one()
            )
        time.sleep(self.latency)
        with self._lock:
            self.now -= 1
            self.sent.append(reference)
        return f"SM-{reference}"


@pytest.mark.postgres
def test_a_wave_is_sent_at_once_with_no_database_transaction_open(postgres_url):
    engine = make_engine(postgres_url)
    SQLModel.metadata.create_all(engine)
    queue_sms(engine, 40)
    provider = InFlight(engine)
    dispatcher = sa.create_engine(postgres_url, connect_args={"application_name": "dispatcher"})
    with Session(dispatcher, expire_on_commit=False) as session:
        result = messaging.dispatch_due(
            session, sms=provider, email=FakeEmail(), batch_size=40, concurrency=8
        )
    dispatcher.dispose()
    engine.dispose()
    assert result.sent == 40 and len(set(provider.sent)) == 40
    assert provider.most == 8
    assert set(provider.open_transactions) == {0}


def test_lanes_codes_then_questions_then_updates_then_check_ins(session, make_case):
    """A backlog of check-ins and event updates, then a withdrawal question and a sign-in
    code: the code and the question go first, the check-ins last."""
    now = utcnow().replace(hour=12)
    cases = [make_case(reference=f"L/{i}/26", victims=[{"email": None}]) for i in range(30)]
    for case in cases:
        case.next_update_due_at = now - timedelta(days=1)
        session.add(case)
    session.commit()
    assert run_check_ins(session, now=now).queued == 30
    for case in cases[:10]:
        record_event(session, case, "suspect_arrested", {}, occurred_at=now, actor="x", now=now)
    first = cases[0]
    (victim,) = victims_of(session, first.id)
    record_officer_withdrawal(
        session,
        first,
        victim_id=victim.id,
        evidence_type="statement",
        evidence_reference="MG11 1",
        reasons=["move_on"],
        note="By phone.",
        actor="staff:1",
        officer_id=None,
        now=now,
    )
    victim_sign_in.send_code(
        session, reference=first.crime_reference, channel="sms", secret_key="k", now=now
    )
    session.commit()

    sent: list[str] = []

    class Recording(SmsProvider):
        def send_sms(self, *, to, body, reference):
            sent.append(reference)
            return f"SM{len(sent)}"

    lane_of = {row.idempotency_key: row.lane for row in session.exec(select(Notification))}
    first_batch = messaging.dispatch_due(
        session, sms=Recording(), email=FakeEmail(), now=now, batch_size=5, secret_key="k"
    )
    assert first_batch.sent == 5
    assert [lane_of[key] for key in sent[:2]] == [lanes.SIGN_IN, lanes.QUESTION]
    while messaging.dispatch_due(
        session, sms=Recording(), email=FakeEmail(), now=now, batch_size=7, secret_key="k"
    ).claimed:
        pass
    order = [lane_of[key] for key in sent]
    assert order == sorted(order) and len(order) == 42
    assert Counter(order) == {
        lanes.SIGN_IN: 1,
        lanes.QUESTION: 1,
        lanes.EVENT_UPDATE: 10,
        lanes.ROUTINE: 30,
    }


def test_a_code_asked_for_during_a_check_in_backlog_goes_in_the_next_batch(session, make_case):
    now = utcnow().replace(hour=12)
    queue_sms(session.get_bind(), 500, due_at=now - timedelta(minutes=1))
    session.execute(sa.update(Notification).values(lane=lanes.ROUTINE))  # a check-in backlog
    session.commit()
    make_case(reference="CODE/1/26", victims=[{"email": None}])
    sent: list[str] = []

    class Recording(SmsProvider):
        def send_sms(self, *, to, body, reference):
            sent.append(reference)
            return f"SM{len(sent)}"

    messaging.dispatch_due(session, sms=Recording(), email=FakeEmail(), now=now, batch_size=50)
    victim_sign_in.send_code(session, reference="CODE/1/26", channel="sms", secret_key="k", now=now)
    session.commit()
    messaging.dispatch_due(
        session, sms=Recording(), email=FakeEmail(), now=now, batch_size=50, secret_key="k"
    )
    assert sent[50].startswith("signin:") and len(sent) == 100
