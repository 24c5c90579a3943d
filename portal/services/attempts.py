"""Counted attempts at a secret (a victim's sign-in code, a staff password or TOTP code),
safe however many arrive at once.

An attempt is won BEFORE the secret is checked, by one conditional
`UPDATE ... SET n = n + 1 WHERE ... AND n < limit RETURNING n`. The database applies the
updates of one row one at a time (a row lock on PostgreSQL, the write lock on SQLite) and
re-evaluates the condition for each, so of any number of parallel guesses at most `limit`
win and are checked; the others are refused without being looked at. The won attempt is
committed at once: it stays spent whatever happens to the rest of the request.

Reading the counter and writing it back later (the old way) let twenty parallel guesses
all read "0 tries so far" and all be checked.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session


def win(session: Session, counter: Any, limit: int, *where: Any) -> int | None:
    """Count one attempt on the row matching `where` if it has fewer than `limit`.

    Returns the attempt's number (1 to `limit`), or None when no row matches or its
    attempts are used up. Commits, so the attempt is spent before anything is checked."""
    table = counter.class_.__table__
    column = table.c[counter.key]
    statement = (
        sa.update(table)
        .where(*where, column < limit)
        .values({column: column + 1})
        .returning(column)
    )
    number = session.execute(statement).scalar_one_or_none()
    session.commit()
    return number
