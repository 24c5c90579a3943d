"""PostgreSQL restarted while two dispatch workers run: nothing lost, nothing sent
twice, and the workers carry on by themselves (a private cluster, never the shared one)."""

import time
from collections import Counter

import pytest
from sqlmodel import SQLModel

from deploy.local_services import PrivatePostgres, postgres_bin_dir
from portal.db import make_engine
from tests.support.dispatch_processes import (
    queue_sms,
    recorded_references,
    start_dispatcher,
    stop,
    wait_until_all_sent,
)
from tests.support.environment import need
from tests.support.fake_twilio import FakeTwilio

MESSAGES = 150


def _wait_for(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.05)


@pytest.mark.postgres
def test_a_postgres_restart_under_running_dispatchers_loses_and_repeats_nothing(tmp_path):
    need(postgres_bin_dir() is not None, "PostgreSQL server binaries are not installed")
    fake = FakeTwilio(delay=0.03)
    log = tmp_path / "dispatchers.log"
    workers = []
    cluster = PrivatePostgres()
    try:
        # The workers start while the cluster is created: they wait for it by themselves.
        workers = [start_dispatcher(cluster.url, fake.url, log) for _ in range(2)]
        cluster.init().start()
        engine = make_engine(cluster.url)
        SQLModel.metadata.create_all(engine)
        bodies = queue_sms(engine, MESSAGES, identical_every=10)
        _wait_for(lambda: len(fake.accepted) >= MESSAGES // 4, timeout=60)
        before_restart = log.stat().st_size
        cluster.stop()  # every connection ends
        time.sleep(1.5)
        cluster.start()
        wait_until_all_sent(engine, MESSAGES, timeout=60)
        still_running = [worker.poll() is None for worker in workers]
        references = recorded_references(engine)
        engine.dispose()
    finally:
        for worker in workers:
            stop(worker)
        fake.close()
        cluster.remove()
    output = log.read_text()
    assert "database unavailable" in output[before_restart:]  # the restart hit them mid-run
    assert still_running == [True, True], output
    assert Counter(body for _to, body in fake.accepted) == Counter(bodies), output
    assert references == Counter((m["body"], m["sid"]) for m in fake.messages)
