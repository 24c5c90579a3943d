"""Exactly once on PostgreSQL: concurrent dispatchers never send a message twice."""

import threading
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, SQLModel

from portal.db import make_engine
from portal.providers.sms.base import SmsProvider
from tests.support.dispatch_processes import queue_sms

NOON = datetime(2026, 6, 16, 11, 0, tzinfo=UTC)
MESSAGES = 300


class CountingSms(SmsProvider):
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def send_sms(self, *, to: str, body: str, reference: str) -> str:
        with self._lock:
            self.counts[reference] += 1
        return f"SM-{reference}"


@pytest.mark.postgres
def test_two_dispatchers_at_once_send_each_message_once(postgres_url):
    from portal.services.messaging import dispatch_due

    engine = make_engine(postgres_url)
    SQLModel.metadata.create_all(engine)
    queue_sms(engine, MESSAGES, due_at=NOON)

    sms = CountingSms()
    errors: list[BaseException] = []

    def dispatcher() -> None:
        try:
            with Session(engine, expire_on_commit=False) as session:
                while dispatch_due(session, sms=sms, email=None, now=NOON, batch_size=20).claimed:
                    pass
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=dispatcher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    engine.dispose()
    assert errors == []
    assert len(sms.counts) == MESSAGES
    assert set(sms.counts.values()) == {1}
