"""Old and new records in the small world, for retention, subject access and erasure tests."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from portal.models import Notification, NotificationStatus, WithdrawalRequest, WithdrawalStatus
from portal.models.base import utcnow
from portal.services import withdrawal

NOW = utcnow()


def message(world, *, age_days: int, status=NotificationStatus.DELIVERED, body="Your update"):
    at = NOW - timedelta(days=age_days)
    return Notification(
        victim_id=world.victim_a.id,
        case_id=world.case_a.id,
        channel="sms",
        locale="pl",
        template_key="general_update",
        params={"text": body},
        body=body,
        to_address=world.victim_a.phone_e164,
        idempotency_key=f"k-{age_days}-{status}",
        status=status,
        created_at=at,
        sent_at=at if status != NotificationStatus.QUEUED else None,
        delivered_at=at if status == NotificationStatus.DELIVERED else None,
    )


def sealed_withdrawal(session: Session, world) -> WithdrawalRequest:
    request = WithdrawalRequest(
        case_id=world.case_a.id,
        victim_id=world.victim_a.id,
        reasons=["move_on"],
        own_words="Chcę żyć dalej",
        locale="pl",
    )
    session.add(request)
    session.flush()
    withdrawal.seal(session, request, status=WithdrawalStatus.CONFIRMED, actor="victim:1", now=NOW)
    return request
