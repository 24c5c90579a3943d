"""A token bucket per sender, in the database, shared by every dispatch worker.

A Twilio number or messaging service may send only so many messages a second; the
workers together must not burst past it. Each wave of sends takes its tokens first, in
one atomic UPDATE (no lock held, no read-then-write race between workers): the bucket
refills at `per_second` up to `burst`, and a take is granted what is there. A worker
that is granted less waits for the refill and takes again.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from portal.models import SendRate

#: The longest one wait for tokens (then the bucket is asked again).
MAX_WAIT_SECONDS = 1.0


def take(
    session: Session, sender: str, wanted: int, *, per_second: float, burst: int, now: float
) -> int:
    """Take up to `wanted` tokens from `sender`'s bucket at time `now` (epoch seconds);
    return how many were granted. Commits."""
    table = SendRate.__table__
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(table)
        .values(sender=sender, tokens=burst, refreshed=now, granted=0)
        .on_conflict_do_nothing(index_elements=["sender"])
    )
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
