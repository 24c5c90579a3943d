"""Case updates: Code deadlines and routine check-ins (filled in by the updates issue)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from portal.models import Case


def cases_due_for_check_in(session: Session, *, now: datetime) -> int:
    """How many open cases are past their next update date (the check-in sweep's input)."""
    query = sa.select(sa.func.count()).where(
        Case.closed_at.is_(None), Case.next_update_due_at <= now
    )
    return session.execute(query).scalar_one()
