"""Event ingestion through the API: events per second on a SQLite file.

Run with `python -m bench api`. Each event goes through the whole request path with
Flask's test client (bearer key, rate limit, JSON validation, access check, the event
and its Code deadline, one message per victim and channel rendered in the victim's
language, the audit chain, commit), on a SQLite file in WAL mode, as `make run` uses.
Re-sent events (same Idempotency-Key) are measured separately: they create nothing.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, SQLModel, func, select

from portal import create_app
from portal.config import TestConfig
from portal.models import CaseEvent, Notification
from portal.models.base import utcnow
from portal.services import api_keys

CASES = 20
EVENTS = 1000
REPLAYS = 200
VICTIMS = (
    {"name": "A", "locale": "pl", "phone": "+447700900101", "channels": ["sms"]},
    {
        "name": "B",
        "locale": "ar",
        "phone": "+447700900102",
        "email": "b@example.com",
        "channels": ["sms", "email"],
        "discreet": True,
        "safe_hours": {"start": "10:00", "end": "14:00"},
    },
)
START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def _settings(database: Path) -> dict:
    settings = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    settings.update(DATABASE_URL=f"sqlite:///{database}", API_RATE_LIMIT="1000000 per minute")
    return settings


def _event(index: int) -> dict:
    occurred = (START + timedelta(minutes=index)).isoformat()
    if index % 3 == 0:
        return {"type": "suspect_arrested", "occurred_at": occurred}
    if index % 3 == 1:
        return {"type": "bailed", "occurred_at": occurred, "params": {"conditions": "No contact"}}
    return {
        "type": "court_date_set",
        "occurred_at": occurred,
        "params": {"court_date": "2026-09-01T10:00:00+01:00", "court_place": "Leeds"},
    }


def _timed_posts(client, headers: dict, count: int, offset: int = 0) -> tuple[list[float], float]:
    """Wall-clock time of each request, and the CPU time of them all (which the load
    of other programs on the machine does not inflate)."""
    timings = []
    cpu_start = time.process_time()
    for index in range(offset, offset + count):
        reference = f"01/{index % CASES:06d}/26"
        start = time.perf_counter()
        response = client.post(
            f"/api/v1/cases/{reference}/events",
            json=_event(index),
            headers={**headers, "Idempotency-Key": f"bench-{index}"},
        )
        timings.append(time.perf_counter() - start)
        assert response.status_code == 202, response.get_json()
    return timings, time.process_time() - cpu_start


def _report(label: str, measured: tuple[list[float], float]) -> None:
    timings, cpu = measured
    total = sum(timings)
    p50 = statistics.median(timings) * 1000
    p95 = statistics.quantiles(timings, n=20)[-1] * 1000
    print(
        f"{label:<15} {len(timings):>5} in {total:6.2f} s: {len(timings) / total:6.1f}/s, "
        f"p50 {p50:6.2f} ms, p95 {p95:6.2f} ms; CPU {cpu / len(timings) * 1000:5.2f} ms each "
        f"({len(timings) / cpu:6.1f}/s per core)"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        app = create_app(_settings(Path(directory) / "bench.sqlite3"))
        engine = app.extensions["db_engine"]
        SQLModel.metadata.create_all(engine)
        with Session(engine) as session:
            secret = api_keys.create(session, "bench", force=None, now=utcnow()).secret
            session.commit()
        headers = {"Authorization": f"Bearer {secret}"}
        client = app.test_client()
        for index in range(CASES):
            body = {
                "crime_reference": f"01/{index:06d}/26",
                "crime_category": "Assault",
                "force": "Bench Police",
                "area": "North",
                "domestic_abuse": index % 2 == 0,
                "victims": list(VICTIMS),
            }
            assert client.post("/api/v1/cases", json=body, headers=headers).status_code == 201

        _timed_posts(client, headers, 50, offset=EVENTS + REPLAYS)  # warm-up
        _report("new events", _timed_posts(client, headers, EVENTS))
        _report("re-sent events", _timed_posts(client, headers, REPLAYS))

        with Session(engine) as session:
            events = session.exec(select(func.count()).select_from(CaseEvent)).one()
            messages = session.exec(select(func.count()).select_from(Notification)).one()
        print(f"stored: {events} events, {messages} messages queued (3 per event)")
        assert events == EVENTS + 50 and messages == 3 * events
        engine.dispose()


if __name__ == "__main__":
    main()
