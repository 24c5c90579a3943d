"""Withdrawal requests (the full flow is issue 6); what advocates and officers see now."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from portal.models import WithdrawalRequest, WithdrawalStatus

#: A withdrawal request the victim has not confirmed yet.
PENDING = (WithdrawalStatus.DRAFT, WithdrawalStatus.SERVICE_RECOVERY)


def pending_counts(session: Session, case_ids: list[int]) -> dict[int, int]:
    """How many unconfirmed withdrawal requests each case has, in one query."""
    if not case_ids:
        return {}
    rows = session.execute(
        sa.select(WithdrawalRequest.case_id, sa.func.count())
        .where(WithdrawalRequest.case_id.in_(case_ids), WithdrawalRequest.status.in_(PENDING))
        .group_by(WithdrawalRequest.case_id)
    ).all()
    return dict(rows)
