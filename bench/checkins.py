"""The check-in sweep at scale: 100k, 300k and 1M open cases on PostgreSQL, 10% due.

For each size a scratch database on the PostgreSQL server is migrated and seeded in SQL
(generate_series: one victim per case, one officer and one supervisor per area, every
tenth case due, in groups of TIE cases due at the same second, as a sweep leaves them:
it moves a whole page on to the same moment). Then the real sweep
(`portal.services.updates.run_check_ins`) runs twice:

1. at the moment when exactly FIXED_DUE cases are due: this time must not grow with the
   number of cases;
2. at the seeding moment, for the rest of the 10%: this grows with the due rows.

It prints the time, due cases per second, the time spent finding due cases (the paged
query), the statements sent per batch (constant: no query per case) and the plan
PostgreSQL chose for a page of due cases.

    python -m bench checkins                          # 100k, 300k and 1M
    python -m bench.checkins --sizes 20000 50000      # other sizes
    BENCH_POSTGRES_URL=postgresql+psycopg://... python -m bench checkins
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from portal.db import make_engine, upgrade
from portal.i18n import SUPPORTED_LOCALES
from portal.services.updates import BATCH_SIZE, run_check_ins

from ._postgres import scratch_database

SIZES = (100_000, 300_000, 1_000_000)
DUE_EVERY = 10
FIXED_DUE = 10_000
TIE = 1_000
AREAS = 10
#: A fixed moment, so that runs compare.
NOW = datetime(2026, 6, 16, 11, 0, tzinfo=UTC)

_SEED = [
    """INSERT INTO staffuser (id, email, name, role, organisation, area, password_hash,
                              created_at)
       SELECT a, 'staff' || a || '@police.example', 'Staff',
              CASE WHEN a <= :areas THEN 'officer' ELSE 'supervisor' END, 'Force',
              'Area ' || (1 + (a - 1) % :areas), 'not-a-hash', :now
       FROM generate_series(1, 2 * :areas) a""",
    """INSERT INTO victim (id, name, locale, interpreter_needed, phone_e164, sms_allowed,
                           email_allowed, discreet, update_frequency_days, sms_status_replies,
                           created_at)
       SELECT i, 'Victim', locales[1 + i % cardinality(locales)], false,
              '+4477' || lpad(i::text, 8, '0'), true, false, i % 5 = 0, 28, false, :now
       FROM generate_series(1, :n) i, CAST(:locales AS text[]) locales""",
    """INSERT INTO "case" (id, crime_reference, force, area, crime_category, domestic_abuse,
                           sexual_offence, enhanced_rights, stage, officer_id, reported_at,
                           next_update_due_at, created_at)
       SELECT i, 'B/' || i, 'Force', 'Area ' || (1 + i % :areas), 'assault', false, false,
              false, 'investigating', 1 + i % :areas, :now,
              CASE WHEN i % :due_every = 0
                   THEN :now - make_interval(secs => (i / :due_every - 1) / :tie)
                   ELSE :now + make_interval(days => 1 + i % 27) END,
              :now
       FROM generate_series(1, :n) i""",
    "INSERT INTO casevictim (case_id, victim_id) SELECT i, i FROM generate_series(1, :n) i",
    """SELECT setval(pg_get_serial_sequence('staffuser', 'id'), 2 * :areas),
              setval(pg_get_serial_sequence('victim', 'id'), :n),
              setval(pg_get_serial_sequence('"case"', 'id'), :n)""",
]


def seed(engine: Engine, n: int) -> None:
    params = {
        "n": n,
        "areas": AREAS,
        "due_every": DUE_EVERY,
        "tie": TIE,
        "now": NOW,
        "locales": list(SUPPORTED_LOCALES),
    }
    with engine.begin() as connection:
        for statement in _SEED:
            connection.execute(sa.text(statement), params)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text("ANALYZE"))


@dataclass
class StatementLog:
    """Statements the sweep sends, and the time spent in the due-case page query."""

    statements: int = 0
    pages: int = 0
    page_seconds: float = 0.0
    page_sql: tuple[str, object] | None = None
    _started: dict = field(default_factory=dict)

    @staticmethod
    def is_page(statement: str) -> bool:
        return 'FROM "case"' in statement and "next_update_due_at <=" in statement

    def before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.statements += 1
        if self.is_page(statement):
            self._started[id(cursor)] = time.perf_counter()
            if self.pages == 1:  # the second page has the keyset condition too
                self.page_sql = (statement, parameters)

    def after(self, conn, cursor, statement, parameters, context, executemany) -> None:
        started = self._started.pop(id(cursor), None)
        if started is not None:
            self.pages += 1
            self.page_seconds += time.perf_counter() - started


@contextmanager
def recording(engine: Engine) -> Iterator[StatementLog]:
    log = StatementLog()
    sa.event.listen(engine, "before_cursor_execute", log.before)
    sa.event.listen(engine, "after_cursor_execute", log.after)
    try:
        yield log
    finally:
        sa.event.remove(engine, "before_cursor_execute", log.before)
        sa.event.remove(engine, "after_cursor_execute", log.after)


@dataclass(frozen=True)
class SweepFigures:
    due: int
    queued: int
    seconds: float
    #: This process's CPU time: less disturbed than wall time by other work on the machine.
    cpu_seconds: float
    find_seconds: float
    statements_per_batch: float
    plan: list[str]


def sweep(engine: Engine, *, now: datetime) -> SweepFigures:
    with recording(engine) as log, Session(engine, expire_on_commit=False) as session:
        started, cpu_started = time.perf_counter(), time.process_time()
        result = run_check_ins(session, now=now)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
    batches = max(-(-result.cases // BATCH_SIZE), 1)
    return SweepFigures(
        due=result.cases,
        queued=result.queued,
        seconds=seconds,
        cpu_seconds=cpu_seconds,
        find_seconds=log.page_seconds,
        statements_per_batch=log.statements / batches,
        plan=explain(engine, log.page_sql),
    )


def explain(engine: Engine, page: tuple[str, object] | None) -> list[str]:
    """PostgreSQL's plan for a page of due cases (the statement the sweep really sent)."""
    if page is None:
        return []
    statement, parameters = page
    with engine.connect() as connection:
        cursor = connection.connection.cursor()
        cursor.execute("EXPLAIN " + statement, parameters)
        return [row[0] for row in cursor.fetchall()]


def measure(n: int) -> tuple[float, list[SweepFigures]]:
    """Seed n cases in a scratch database; return the seeding time and the two sweeps."""
    with scratch_database("bench_checkins") as url:
        upgrade(url)
        engine = make_engine(url)
        started = time.perf_counter()
        seed(engine, n)
        seeded = time.perf_counter() - started
        due = n // DUE_EVERY
        sweeps = []
        if due > FIXED_DUE:
            # Due case j (1..due) fell due (j - 1) // TIE seconds before NOW, so this is
            # the moment when exactly FIXED_DUE of them are due.
            sweeps.append(sweep(engine, now=NOW - timedelta(seconds=(due - FIXED_DUE) // TIE)))
        sweeps.append(sweep(engine, now=NOW))
        engine.dispose()
    return seeded, sweeps


def report(n: int, seeded: float, sweeps: list[SweepFigures]) -> None:
    load = os.getloadavg()[0]
    print(
        f"{n:>9,} open cases, {n // DUE_EVERY:,} due (seeded in {seeded:.1f} s; "
        f"load average {load:.1f})",
        flush=True,
    )
    for figures in sweeps:
        rate = figures.due / figures.seconds if figures.seconds else 0
        print(
            f"    {figures.due:>8,} due: {figures.seconds:7.2f} s ({rate:,.0f} cases/s, "
            f"{figures.cpu_seconds:.2f} s CPU here), {figures.queued:,} check-ins queued; "
            f"finding them {figures.find_seconds:.2f} s; "
            f"{figures.statements_per_batch:.1f} statements per batch of {BATCH_SIZE}",
            flush=True,
        )
    if sweeps and sweeps[-1].plan:
        print("    plan of a page of due cases:")
        for line in sweeps[-1].plan:
            print(f"      {line}")


def run(sizes: tuple[int, ...] = SIZES) -> None:
    for n in sizes:
        report(n, *measure(n))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.checkins")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    run(tuple(parser.parse_args(argv or []).sizes))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
