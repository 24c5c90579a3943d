"""How long a victim waits for a sign-in code while a check-in backlog is being sent.

A scratch PostgreSQL database gets 20,000 due check-ins (lane 3); dispatch worker
processes (the real Twilio client, the local fake Twilio with 50 ms per request) start
on the backlog; then 50 sign-in codes are asked for, one every 0.2 s, through
`victim_sign_in.send_code` as the web request does. The figure is the time from asking
to the code being recorded as sent (p50, p99, max), with 2 workers alone and with a third
worker kept for the urgent lanes (`python -m jobs.dispatcher --max-lane 1`).

    python -m bench sign_in_latency
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from portal.config import DEV_SECRET_KEY
from portal.db import make_engine
from portal.models import Case, CaseVictim, Notification, Victim
from portal.models.base import utcnow
from portal.services import lanes, victim_sign_in
from tests.support.dispatch_processes import queue_sms, start_dispatcher, stop
from tests.support.fake_twilio import FakeTwilio

from ._postgres import scratch_database

BACKLOG = 20_000
CODES = 50
LATENCY = 0.05


def measure(*, urgent_worker: bool) -> list[float]:
    fake = FakeTwilio(delay=LATENCY)
    workers = []
    with scratch_database("bench_codes") as url, tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(url)
        SQLModel.metadata.create_all(engine)
        queue_sms(engine, BACKLOG)
        with engine.begin() as connection:  # the backlog is routine check-ins
            connection.execute(sa.update(Notification).values(lane=lanes.ROUTINE))
        reference = _case_with_a_phone(engine)
        log = Path(tmp) / "workers.log"
        try:
            workers = [start_dispatcher(url, fake.url, log, batch_size=128) for _ in range(2)]
            if urgent_worker:
                workers.append(start_dispatcher(url, fake.url, log, max_lane=lanes.QUESTION))
            while len(fake.accepted) < 200:  # the backlog is being sent
                time.sleep(0.05)
            with Session(engine) as session:
                for _ in range(CODES):
                    victim_sign_in.send_code(
                        session,
                        reference=reference,
                        channel="sms",
                        secret_key=DEV_SECRET_KEY,
                        now=utcnow(),
                    )
                    session.commit()
                    time.sleep(0.2)
            return _code_waits(engine)
        finally:
            for worker in workers:
                stop(worker)
            fake.close()
            engine.dispose()


def _case_with_a_phone(engine) -> str:
    with Session(engine) as session:
        case = Case(crime_reference="CODE/1/26", force="F", area="A", crime_category="x")
        victim = Victim(name="V", phone_e164="+447700900999", email_allowed=False)
        session.add_all([case, victim])
        session.flush()
        session.add(CaseVictim(case_id=case.id, victim_id=victim.id))
        session.commit()
        return case.crime_reference


def _code_waits(engine, timeout: float = 120) -> list[float]:
    table = Notification.__table__
    query = sa.select(table.c.created_at, table.c.sent_at).where(table.c.lane == lanes.SIGN_IN)
    deadline = time.monotonic() + timeout
    while True:
        with engine.connect() as connection:
            rows = connection.execute(query).all()
        if all(sent for _created, sent in rows) or time.monotonic() > deadline:
            return [(sent - created).total_seconds() for created, sent in rows if sent]
        time.sleep(0.2)


def main(argv: list[str] | None = None) -> None:
    print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
    for urgent in (False, True):
        waits = sorted(measure(urgent_worker=urgent))
        p99 = waits[min(len(waits) - 1, int(0.99 * len(waits)))]
        label = "2 workers + 1 for urgent lanes" if urgent else "2 workers"
        print(
            f"{label}, {BACKLOG:,} check-ins waiting, fake Twilio {LATENCY * 1000:.0f} ms: "
            f"{len(waits)}/{CODES} codes sent, p50 {statistics.median(waits):.2f} s, "
            f"p99 {p99:.2f} s, max {waits[-1]:.2f} s",
            flush=True,
        )
    print(f"load average {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
