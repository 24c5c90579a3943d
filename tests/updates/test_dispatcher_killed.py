"""A real dispatcher process killed (SIGKILL) mid-batch, then restarted: every message
reaches Twilio exactly once, none lost, on PostgreSQL."""

from collections import Counter

import pytest
from sqlmodel import SQLModel

from portal.db import make_engine
from tests.support.dispatch_processes import (
    queue_sms,
    recorded_references,
    start_dispatcher,
    stop,
    wait_until_all_sent,
)
from tests.support.fake_twilio import FakeTwilio

MESSAGES = 40


def _kill_when_held(process, fake: FakeTwilio, *, at: int, when: str) -> None:
    """Hold the `at`-th request at Twilio (`when` "after" or "before" it is accepted)
    and SIGKILL the worker at that moment, with its send unanswered."""
    fake.hold = (at, when)
    assert fake.held.wait(60), "the worker never reached the held request"
    process.kill()
    process.wait()
    held_request, fake.release = fake.release, type(fake.release)()
    fake.held.clear()
    fake.hold = None
    held_request.set()  # the held handler finishes; its client is gone


@pytest.mark.postgres
def test_a_killed_and_restarted_dispatcher_sends_each_message_exactly_once(postgres_url, tmp_path):
    engine = make_engine(postgres_url)
    SQLModel.metadata.create_all(engine)
    bodies = queue_sms(engine, MESSAGES, identical_every=8)
    fake = FakeTwilio(delay=0.02)
    log = tmp_path / "dispatcher.log"
    workers = []
    try:
        # Killed after Twilio accepted a message but before it could answer: the row
        # cannot say whether the message went. Then killed before Twilio accepted one.
        workers.append(start_dispatcher(postgres_url, fake.url, log, batch_size=5))
        _kill_when_held(workers[-1], fake, at=8, when="after")
        accepted_while_killed = fake.messages[-1]
        workers.append(start_dispatcher(postgres_url, fake.url, log, batch_size=5))
        _kill_when_held(workers[-1], fake, at=fake.requests + 4, when="before")
        workers.append(start_dispatcher(postgres_url, fake.url, log, batch_size=5))
        wait_until_all_sent(engine, MESSAGES, timeout=90)
        assert workers[-1].poll() is None
    finally:
        for worker in workers:
            stop(worker)
        fake.close()

    assert Counter(body for _to, body in fake.accepted) == Counter(bodies), log.read_text()
    # Every row records a message Twilio accepted, each message against one row only.
    recorded = recorded_references(engine)
    assert recorded == Counter((m["body"], m["sid"]) for m in fake.messages)
    # The message accepted as the first worker died was recognised, not sent again.
    assert recorded[(accepted_while_killed["body"], accepted_while_killed["sid"])] == 1
    engine.dispose()
