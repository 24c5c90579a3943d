"""PostgreSQL restarted while two dispatch workers run: nothing lost, nothing sent
twice, and the workers carry on by themselves (a private cluster, never the shared one)."""

import time
from collections import Counter

import pytest
from sqlmodel import SQLModel

from portal.db import make_engine
from tests.conftest import need
from tests.dispatch_processes import (
    queue_sms,
    recorded_references,
    start_dispatcher,
    stop,
    wait_until_all_sent,
)
from tests.fake_twilio import FakeTwilio
from tests.private_postgres import PG_BIN, private_postgres

MESSAGES = 150


def _wait_for(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.05)


@pytest.mark.postgres
def test_a_postgres_restart_under_running_dispatchers_loses_and_repeats_nothing(tmp_path):
    need(PG_BIN is not None, "the PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    fake = FakeTwilio(delay=0.03)
    log = tmp_path / "dispatchers.log"
    workers = []
    with private_postgres() as cluster:
        try:
            # The workers start while the cluster is created: they wait for it by themselves.
            workers = [start_dispatcher(cluster.url, fake.url, log) for _ in range(2)]
            cluster.create()
            engine = make_engine(cluster.url)
            SQLModel.metadata.create_all(engine)
            bodies = queue_sms(engine, MESSAGES, identical_every=10)
            _wait_for(lambda: len(fake.accepted) >= MESSAGES // 4, timeout=60)
            before_restart = log.stat().st_size
            cluster.restart(down_seconds=1.5)
            wait_until_all_sent(engine, MESSAGES, timeout=60)
            still_running = [worker.poll() is None for worker in workers]
            references = recorded_references(engine)
            engine.dispose()
        finally:
            for worker in workers:
                stop(worker)
            fake.close()
    output = log.read_text()
    assert "database unavailable" in output[before_restart:]  # the restart hit them mid-run
    assert still_running == [True, True], output
    assert Counter(body for _to, body in fake.accepted) == Counter(bodies), output
    assert references == Counter((m["body"], m["sid"]) for m in fake.messages)
