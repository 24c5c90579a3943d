"""The per-sender token bucket holds across dispatch workers (threads and processes on
PostgreSQL, each with its own connection): together they never take more than the
bucket holds. Time is passed in, so nothing here depends on the wall clock."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import Session, SQLModel

from portal.db import make_engine
from portal.services import send_rate

SENDER = "twilio:MG0123"


def test_a_bucket_refills_at_its_rate_up_to_its_burst(session):
    take = lambda wanted, now: send_rate.take(  # noqa: E731
        session, SENDER, wanted, per_second=2, burst=10, now=now
    )
    assert take(4, 1000.0) == 4  # a full bucket: 10
    assert take(10, 1000.0) == 6  # what is left
    assert take(1, 1000.0) == 0
    assert take(5, 1001.25) == 2  # 2.5 tokens came back: whole tokens only
    assert take(5, 1100.0) == 5  # refilled, but never past the burst
    assert take(9, 1100.0) == 5


def test_another_sender_has_its_own_bucket(session):
    assert send_rate.take(session, SENDER, 3, per_second=1, burst=3, now=0.0) == 3
    assert send_rate.take(session, "twilio:+447700900000", 3, per_second=1, burst=3, now=0.0) == 3


@pytest.mark.postgres
def test_the_bucket_holds_across_two_workers_at_once(postgres_url):
    engine = make_engine(postgres_url)
    SQLModel.metadata.create_all(engine)
    granted = {0: [], 1: []}
    start = threading.Barrier(2)

    def worker(number: int) -> None:
        with Session(engine) as session:
            start.wait()
            for step in range(200):
                now = 5000.0 + step * 0.01  # both workers at the same moments: 2 s in all
                granted[number].append(
                    send_rate.take(session, SENDER, 3, per_second=50, burst=20, now=now)
                )

    threads = [threading.Thread(target=worker, args=(n,)) for n in granted]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    engine.dispose()
    total = sum(granted[0]) + sum(granted[1])
    # 20 in the bucket at first, 50 a second for 1.99 s: 119 whole tokens at most.
    assert total <= 20 + int(50 * 1.99)
    assert total >= 100  # and the workers did get them (no lost refills)
    assert sum(granted[0]) > 0 and sum(granted[1]) > 0


def test_waiting_for_tokens_sleeps_until_the_refill(session):
    moments = iter([0.0, 1.0, 2.0])
    slept = []
    send_rate.take(session, SENDER, 5, per_second=2, burst=5, now=0.0)  # empty the bucket
    send_rate.wait_for(
        session,
        SENDER,
        4,
        per_second=2,
        burst=5,
        clock=lambda: next(moments),
        sleep=slept.append,
    )
    assert slept == [1.0, 1.0]  # waited for 4 tokens at 2 a second (at most 1 s a time)
