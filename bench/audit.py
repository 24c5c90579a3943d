"""The audit log on PostgreSQL: the cost of an append, the sequencer under a steady
append load, and `audit verify` over a million entries.

1. append: `audit.record` + flush in one open transaction, one at a time (what an
   audited request adds before its commit); p50 and p99.
2. sequencer: APPENDERS processes append at RATE entries per second in all, each entry in
   its own transaction, for SECONDS; meanwhile the sequencer runs once a second as the
   scheduler does. Every second the lag (age of the oldest entry not yet sequenced) is
   sampled; it prints the sustained append rate, the sequenced rate and the worst lag.
3. verify: ENTRIES entries seeded as the sequencer would leave them (COPY: rows with
   their indexes, the stored inner hashes, a signed checkpoint every 2,000 entries, all
   also held by a witness file), then the full `audit.verify` with every checkpoint.

    python -m bench audit                         # all three, 1,000,000 entries
    python -m bench.audit --entries 200000 --rate 2000 --seconds 30 --only verify
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from portal.db import make_engine, upgrade
from portal.models import AuditCheckpoint, AuditEvent
from portal.models.base import utcnow
from portal.services import audit
from portal.services.audit.merkle import Frontier, leaf_hash
from portal.services.audit.notes import Checkpoint
from portal.services.audit.sequencer import NODE_STRIDE

from ._postgres import scratch_database

KEY = audit.SigningKey.generate("bench.example/audit")
CHECKPOINT_EVERY = 2_000
_EVENTS = AuditEvent.__table__


def measure_append(url: str, count: int = 2_000) -> tuple[float, float, float]:
    """p50 and p99 wall milliseconds of one append (insert + flush, no commit), and the
    mean CPU milliseconds it costs the web process."""
    engine = make_engine(url)
    times, cpu = [], 0.0
    with Session(engine) as session:
        for n in range(count):
            start, start_cpu = time.perf_counter(), time.process_time()
            audit.record(session, actor="staff:1", action="victim.view", subject=f"victim:{n}")
            times.append((time.perf_counter() - start) * 1000)
            cpu += time.process_time() - start_cpu
            if n % 100 == 99:
                session.commit()
        session.commit()
    engine.dispose()
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99)], cpu * 1000 / count


def _appender(url: str, rate: float, seconds: float, name: str, per_commit: int) -> None:
    """Append `rate` entries a second for `seconds`, `per_commit` per transaction (1: each
    its own, like one audited request; more stands in for many concurrent requests when
    the machine cannot run that many commits)."""
    engine = make_engine(url)
    start, sent = time.monotonic(), 0
    with Session(engine) as session:
        while (elapsed := time.monotonic() - start) < seconds:
            if sent >= int(elapsed * rate):
                time.sleep(0.002)
                continue
            for _ in range(per_commit):
                audit.record(session, actor=name, action="victim.view", subject="victim:1")
            session.commit()
            sent += per_commit
    engine.dispose()
    print(sent, flush=True)


def measure_sequencer(
    url: str, rate: float, seconds: float, appenders: int, per_commit: int = 1
) -> dict:
    engine = make_engine(url)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    procs = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [
                sys.executable,
                "-m",
                "bench.audit",
                "_append",
                url,
                str(rate / appenders),
                str(seconds),
                f"bench:{i}",
                str(per_commit),
            ],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for i in range(appenders)
    ]
    lags, sequenced, started = [], 0, time.monotonic()
    while any(p.poll() is None for p in procs):
        tick = time.monotonic()
        while True:
            with Session(engine) as session:
                result = audit.sequence_batch(session, KEY, now=utcnow())
                session.commit()
            sequenced += result.sequenced
            if result.sequenced < 5000:
                break
        with Session(engine) as session:
            lags.append(audit.lag(session).seconds(utcnow()))
        time.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))
    appended = sum(int(p.stdout.read().strip() or 0) for p in procs)
    duration = time.monotonic() - started
    with Session(engine) as session:
        while audit.sequence_batch(session, KEY, now=utcnow()).sequenced:
            session.commit()
        session.commit()
        total = session.execute(sa.select(sa.func.count()).select_from(_EVENTS)).scalar()
    engine.dispose()
    return {
        "appended": appended,
        "append_rate": appended / seconds,
        "sequenced_rate": sequenced / duration,
        "max_lag": max(lags),
        "p50_lag": statistics.median(lags),
        "rows": total,
    }


def measure_catch_up(url: str, backlog: int = 20_000) -> tuple[float, float]:
    """The sequencer's capacity: entries per second (wall, and per CPU second of the
    sequencer) while it clears a backlog of `backlog` committed entries."""
    engine = make_engine(url)
    with Session(engine) as session:
        for n in range(backlog):
            audit.record(session, actor="staff:1", action="victim.view", subject=f"victim:{n}")
            if n % 1000 == 999:
                session.commit()
        session.commit()
    started, cpu = time.perf_counter(), time.process_time()
    with Session(engine) as session:
        while audit.sequence_batch(session, KEY, now=utcnow()).sequenced:
            session.commit()
        session.commit()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    engine.dispose()
    return backlog / wall, backlog / cpu


def seed_sequenced(url: str, entries: int, witness: Path) -> None:
    """`entries` rows as the sequencer leaves them, written with COPY."""
    engine = make_engine(url)
    frontier = Frontier()
    at = datetime(2026, 12, 1, tzinfo=UTC)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        columns = "log_index, at, actor, action, subject, details, entry_hash, sequenced_at"
        with cursor.copy(f"COPY auditevent ({columns}) FROM STDIN") as copy:
            nodes, checkpoints = [], []
            for i in range(entries):
                when = at + timedelta(milliseconds=i)
                row = AuditEvent(
                    log_index=i,
                    at=when,
                    actor=f"staff:{i % 500}",
                    action="victim.view",
                    subject=f"victim:{i % 20000}",
                    details={"n": i},
                    entry_hash="",
                )
                digest = audit.entry_hash(row)
                copy.write_row((i, when, row.actor, row.action, row.subject, f'{{"n": {i}}}',
                                digest, when))  # fmt: skip
                nodes += frontier.append(leaf_hash(bytes.fromhex(digest)), NODE_STRIDE)
                if frontier.size % CHECKPOINT_EVERY == 0 or frontier.size == entries:
                    checkpoints.append((frontier.size, frontier.root(), list(frontier.hashes)))
        with cursor.copy("COPY auditnode (level, index, hash) FROM STDIN") as copy:
            for level, index, digest in nodes:
                copy.write_row((level, index, digest.hex()))
        raw.commit()
    finally:
        raw.close()
    with Session(engine) as session, (witness / "checkpoints.log").open("w") as held:
        for size, root, edge in checkpoints:
            note = KEY.sign(Checkpoint.build(KEY.name, size, root, utcnow()))
            session.add(
                AuditCheckpoint(
                    tree_size=size,
                    root_hash=root.hex(),
                    frontier=[h.hex() for h in edge],
                    note=note,
                    created_at=utcnow(),
                )
            )
            held.write(note + "\n")
        session.commit()
    engine.dispose()


def measure_verify(url: str, entries: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        witness = Path(tmp)
        started = time.perf_counter()
        seed_sequenced(url, entries, witness)
        seeded = time.perf_counter() - started
        engine = make_engine(url)
        notes = [("witness", n) for n in audit.witness.read_notes(witness)]
        cpu, started = time.process_time(), time.perf_counter()
        with Session(engine) as session:
            report = audit.verify(session, KEY.verifier, notes)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        engine.dispose()
    assert report.ok and report.checked == entries, report.problems
    return {"seed": seeded, "wall": wall, "cpu": cpu, "checkpoints": report.checkpoints,
            "witnessed": report.witnessed}  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    argv = list(argv or [])
    if argv[:1] == ["_append"]:
        _url, rate, seconds, name, per_commit = argv[1:6]
        _appender(_url, float(rate), float(seconds), name, int(per_commit))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--rate", type=float, default=2_000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--appenders", type=int, default=4)
    parser.add_argument("--per-commit", type=int, default=1)
    parser.add_argument("--only", choices=("append", "sequencer", "catch-up", "verify"))
    args = parser.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    if args.only in (None, "append"):
        with scratch_database("bench_audit") as url:
            upgrade(url)
            p50, p99, cpu = measure_append(url)
        print(
            f"append: p50 {p50:.3f} ms, p99 {p99:.3f} ms wall, {cpu:.3f} ms CPU in the "
            "web process (insert + flush, no lock)"
        )
    if args.only in (None, "sequencer"):
        with scratch_database("bench_audit") as url:
            upgrade(url)
            got = measure_sequencer(url, args.rate, args.seconds, args.appenders, args.per_commit)
        print(
            f"sequencer: {got['appended']} appended at {got['append_rate']:.0f}/s "
            f"({args.appenders} processes, {args.per_commit} per transaction), sequenced "
            f"{got['sequenced_rate']:.0f}/s, lag p50 {got['p50_lag']:.2f} s, "
            f"max {got['max_lag']:.2f} s; {got['rows']} rows"
        )
    if args.only in (None, "catch-up"):
        with scratch_database("bench_audit") as url:
            upgrade(url)
            wall_rate, cpu_rate = measure_catch_up(url)
        print(
            f"sequencer capacity: {wall_rate:.0f} entries/s wall clearing a backlog of 20,000 "
            f"({cpu_rate:.0f} per CPU second of the sequencer)"
        )
    if args.only in (None, "verify"):
        with scratch_database("bench_audit") as url:
            upgrade(url)
            got = measure_verify(url, args.entries)
        print(
            f"verify: {args.entries} entries, {got['checkpoints']} checkpoints + "
            f"{got['witnessed']} witnessed: {got['wall']:.1f} s wall, {got['cpu']:.1f} s CPU "
            f"(seeding took {got['seed']:.0f} s)"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
