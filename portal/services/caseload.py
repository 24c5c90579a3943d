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

from .access import Principal, caseload_condition


@dataclass(frozen=True)
class CaseloadRow:
    case: Case
    #: The earliest Code deadline of an event the victims have not been told about yet.
    event_tell_by: datetime | None
    #: The earlier of event_tell_by and the next routine update (None once closed).
    deadline: datetime | None
    overdue: bool


def caseload(session: Session, who: Principal, *, now: datetime) -> list[CaseloadRow]:
    """The cases `who` looks after (officer: their own; supervisor: their area)."""
    condition = caseload_condition(who)
    if condition is None:
        return []
    event = CaseEvent.__table__
    untold = (
        sa.select(event.c.case_id, sa.func.min(event.c.tell_by).label("tell_by"))
        .where(event.c.victims_told_at.is_(None), event.c.tell_by.is_not(None))
        .group_by(event.c.case_id)
        .subquery()
    )
    tell_by = sa.type_coerce(untold.c.tell_by, UTCDateTime())
    due = Case.next_update_due_at
    # LEAST() skips NULLs on PostgreSQL but not on SQLite: spell it out.
    earliest = sa.case(
        (Case.closed_at.is_not(None), sa.null()),
        (untold.c.tell_by.is_(None), due),
        (due.is_(None), untold.c.tell_by),
        (untold.c.tell_by < due, untold.c.tell_by),
        else_=due,
    )
    deadline = sa.type_coerce(earliest, UTCDateTime())
    query = (
        sa.select(Case, tell_by, deadline)
        .outerjoin(untold, untold.c.case_id == Case.id)
        .where(condition)
        .order_by(earliest.is_(None), earliest, Case.id)
    )
    return [
        CaseloadRow(
            case=case,
            event_tell_by=event_tell_by,
            deadline=case_deadline,
            overdue=case_deadline is not None and case_deadline < now,
        )
        for case, event_tell_by, case_deadline in session.execute(query).all()
    ]
