"""Dispatch throughput: SMS per second with 1 and 2 worker processes on PostgreSQL.

Each run gets a scratch database on the PostgreSQL server with queued SMS, starts the
local fake Twilio (tests/support/fake_twilio.py, in this process) and real worker processes
(`python -m jobs.dispatcher`, the real Twilio client), and times from the first message
Twilio accepted to the last one recorded as sent, so process start-up is left out. Runs
with a fake that answers at once (the portal's own cost) and with 100 ms per request
(closer to Twilio over the internet, where a second worker pays off). Every run also
checks that each message reached the fake exactly once.

    python -m bench dispatch
    python -m bench.dispatch --workers 1 2 4 --messages 3000
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import SQLModel

from portal.db import make_engine
from tests.support.dispatch_processes import queue_sms, start_dispatcher, stop, wait_until_all_sent
from tests.support.fake_twilio import FakeTwilio

from ._postgres import scratch_database

WORKERS = (1, 2)
#: (seconds the fake takes per request, messages per run)
RUNS = ((0.0, 5000), (0.05, 5000))
BATCH_SIZE = 128
#: Sends in flight at once per worker (DISPATCH_CONCURRENCY).
CONCURRENCY = 16


@dataclass(frozen=True)
class Throughput:
    workers: int
    latency: float
    messages: int
    seconds: float
    duplicates: int

    @property
    def per_second(self) -> float:
        return (self.messages - 1) / self.seconds if self.seconds else 0.0


def measure(workers: int, latency: float, messages: int) -> Throughput:
    fake = FakeTwilio(delay=latency)
    processes = []
    with scratch_database("bench_dispatch") as url, tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(url)
        SQLModel.metadata.create_all(engine)
        bodies = queue_sms(engine, messages)
        log = Path(tmp) / "workers.log"
        try:
            processes = [
                start_dispatcher(url, fake.url, log, batch_size=BATCH_SIZE, concurrency=CONCURRENCY)
                for _ in range(workers)
            ]
            while not fake.accepted:
                if any(process.poll() is not None for process in processes):
                    raise SystemExit(f"a worker stopped:\n{log.read_text()}")
                time.sleep(0.01)
            first = time.perf_counter()
            wait_until_all_sent(engine, messages, timeout=600)
            seconds = time.perf_counter() - first
        finally:
            for process in processes:
                stop(process)
            fake.close()
            engine.dispose()
    sent = Counter(body for _to, body in fake.accepted)
    duplicates = sum(count - 1 for count in sent.values()) + len(set(bodies) - set(sent))
    return Throughput(workers, latency, messages, seconds, duplicates)


def run(
    workers: tuple[int, ...] = WORKERS, runs: tuple[tuple[float, int], ...] = RUNS
) -> list[Throughput]:
    results = []
    print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
    for latency, messages in runs:
        for count in workers:
            result = measure(count, latency, messages)
            results.append(result)
            print(
                f"{count} worker(s), fake Twilio {latency * 1000:.0f} ms per request: "
                f"{result.messages:,} SMS in {result.seconds:.1f} s = "
                f"{result.per_second:,.1f} SMS/s; sent twice or lost: {result.duplicates}",
                flush=True,
            )
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.dispatch")
    parser.add_argument("--workers", type=int, nargs="+", default=list(WORKERS))
    parser.add_argument("--messages", type=int, help="messages per run (default: per latency)")
    args = parser.parse_args(argv or [])
    runs = tuple((latency, args.messages or count) for latency, count in RUNS)
    results = run(tuple(args.workers), runs)
    if any(result.duplicates for result in results):
        raise SystemExit("a message was sent twice or lost")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
