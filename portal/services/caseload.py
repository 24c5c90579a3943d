"""An officer's (or a supervisor's) cases in the order they must be dealt with.

A case's deadline is the earlier of two dates: the Victims' Code deadline of an event
the victims have not been told about yet, and the next routine update agreed with the
victims. Cases are listed by that deadline, so the overdue ones come first; closed cases
and cases with nothing due come last. Computed in one query, in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from portal.models import Case, CaseEvent
from portal.models.base import UTCDateTime

from .access import Principal, police_case_scope


@dataclass(frozen=True)
class CaseloadRow:
    """One line of the list: the case's columns it shows, not the whole record."""

    id: int
    crime_reference: str
    crime_category: str
    stage: str
    next_update_due_at: datetime | None
    closed_at: datetime | None
    #: The earliest Code deadline of an event the victims have not been told about yet.
    event_tell_by: datetime | None
    #: The earlier of event_tell_by and the next routine update (None once closed).
    deadline: datetime | None
    overdue: bool


_SHOWN = (
    Case.id,
    Case.crime_reference,
    Case.crime_category,
    Case.stage,
    Case.next_update_due_at,
    Case.closed_at,
)


def caseload(session: Session, who: Principal, *, now: datetime) -> list[CaseloadRow]:
    """The cases `who` looks after (officer: their own; supervisor: their area)."""
    condition = police_case_scope(who)
    if condition is None:
        return []
    event = CaseEvent.__table__
    # Per case, through the (case_id, ...) index: cost grows with the reader's cases only.
    untold = (
        sa.select(sa.func.min(event.c.tell_by))
        .where(
            event.c.case_id == Case.id,
            event.c.victims_told_at.is_(None),
            event.c.tell_by.is_not(None),
        )
        .correlate(Case)
        .scalar_subquery()
    )
    inner = sa.select(*_SHOWN, untold.label("tell_by")).where(condition).subquery()
    tell_by, due = inner.c.tell_by, inner.c.next_update_due_at
    # LEAST() skips NULLs on PostgreSQL but not on SQLite: spell it out.
    deadline = sa.case(
        (inner.c.closed_at.is_not(None), sa.null()),
        (tell_by.is_(None), due),
        (due.is_(None), tell_by),
        (tell_by < due, tell_by),
        else_=due,
    )
    query = sa.select(
        *(inner.c[column.key] for column in _SHOWN),
        sa.type_coerce(tell_by, UTCDateTime()),
        sa.type_coerce(deadline, UTCDateTime()),
    ).order_by(deadline.is_(None), deadline, inner.c.id)
    rows = []
    for *shown, tell_by, deadline in session.execute(query).all():
        overdue = deadline is not None and deadline < now
        rows.append(CaseloadRow(*shown, tell_by, deadline, overdue))
    return rows
