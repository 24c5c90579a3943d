"""A token bucket per sender, in the database, shared by every dispatch worker; and
slowing a sender down when its provider keeps failing.

A Twilio number or messaging service may send only so many messages a second; the
workers together must not burst past it. Each wave of sends takes its tokens first, in
one atomic UPDATE (no lock held, no read-then-write race between workers): the bucket
refills at `per_second` up to `burst`, and a take is granted what is there. A worker
that is granted less waits for the refill and takes again.

As Notify does: when a provider answers FAILURE_LIMIT temporary errors within
FAILURE_WINDOW seconds, its sender is slowed to SLOWED_PER_SECOND for SLOWED_SECONDS
(retries back off meanwhile instead of hammering a provider in trouble), and an alert is
logged at ERROR on `portal.alerts` for the operators' monitoring.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from portal.models import SendRate

#: The longest one wait for tokens (then the bucket is asked again).
MAX_WAIT_SECONDS = 1.0
FAILURE_LIMIT = 50
FAILURE_WINDOW = 60.0
SLOWED_SECONDS = 300.0
SLOWED_PER_SECOND = 1.0

alerts = logging.getLogger("portal.alerts")


def take(
    session: Session, sender: str, wanted: int, *, per_second: float, burst: int, now: float
) -> int:
    """Take up to `wanted` tokens from `sender`'s bucket at time `now` (epoch seconds);
    return how many were granted. Commits."""
    table = SendRate.__table__
    dialect = _ensure_row(session, sender, tokens=burst, now=now)
    refilled = table.c.tokens + per_second * (now - table.c.refreshed)
    available = sa.case((refilled > burst, float(burst)), else_=refilled)
    # Whole tokens only: SQLite's CAST truncates, PostgreSQL's rounds (so floor there).
    whole = sa.func.floor(available) if dialect == "postgresql" else available
    granted = sa.case(
        (available >= wanted, wanted),
        (available < 1, 0),
        else_=sa.cast(whole, sa.Integer),
    )
    result = session.execute(
        sa.update(table)
        .where(table.c.sender == sender)
        .values(tokens=available - granted, refreshed=now, granted=granted)
        .returning(table.c.granted)
    ).scalar_one()
    session.commit()
    return result


def wait_for(
    session: Session,
    sender: str,
    wanted: int,
    *,
    per_second: float,
    burst: int,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Return once `wanted` tokens were taken (`per_second` > 0)."""
    while wanted > 0:
        wanted -= take(session, sender, wanted, per_second=per_second, burst=burst, now=clock())
        if wanted:
            sleep(min(MAX_WAIT_SECONDS, max(wanted, 1) / per_second))


def _ensure_row(session: Session, sender: str, *, tokens: float, now: float) -> str:
    """Create the sender's row if it is missing; return the database dialect's name."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(SendRate.__table__)
        .values(
            sender=sender,
            tokens=tokens,
            refreshed=now,
            granted=0,
            failures=0,
            failures_since=now,
            slowed_until=0.0,
        )
        .on_conflict_do_nothing(index_elements=["sender"])
    )
    return dialect


def slowed(session: Session, sender: str, *, now: float) -> bool:
    """Whether the sender is slowed down after too many temporary errors."""
    table = SendRate.__table__
    until = session.execute(
        sa.select(table.c.slowed_until).where(table.c.sender == sender)
    ).scalar_one_or_none()
    return until is not None and until > now


def record_failures(session: Session, sender: str, count: int, *, now: float) -> bool:
    """Count `count` temporary errors; slow the sender down (and alert) when this makes
    FAILURE_LIMIT within FAILURE_WINDOW. True when it was slowed down by this call."""
    if not count:
        return False
    table = SendRate.__table__
    _ensure_row(session, sender, tokens=0.0, now=now)
    in_window = now - table.c.failures_since < FAILURE_WINDOW
    failures = sa.case((in_window, table.c.failures + count), else_=count)
    crossing = sa.and_(failures >= FAILURE_LIMIT, table.c.slowed_until <= now)
    until = session.execute(
        sa.update(table)
        .where(table.c.sender == sender)
        .values(
            failures=sa.case((crossing, 0), else_=failures),
            failures_since=sa.case((in_window, table.c.failures_since), else_=now),
            slowed_until=sa.case((crossing, now + SLOWED_SECONDS), else_=table.c.slowed_until),
        )
        .returning(table.c.slowed_until)
    ).scalar_one()
    slowed_now = until == now + SLOWED_SECONDS
    if slowed_now:
        alerts.error(
            "provider failing: %s temporary errors within %s s for sender %s; slowed to %s "
            "a second for %s s",
            FAILURE_LIMIT,
            int(FAILURE_WINDOW),
            sender,
            SLOWED_PER_SECOND,
            int(SLOWED_SECONDS),
        )
    return slowed_now
