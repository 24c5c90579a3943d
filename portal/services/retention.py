"""The nightly retention sweep: delete or anonymise what is past its retention period.

Periods come from the RETENTION_DAYS setting, per kind of record. Every step is one bulk
SQL statement, so the run costs the same however many rows there are to keep; the run
itself is recorded in the audit trail with the counts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from portal.models import (
    AuthSession,
    Case,
    CaseVictim,
    Notification,
    NotificationStatus,
    OutboxMessage,
    SignInChallenge,
    StaffAlert,
    Victim,
)
from portal.services import audit
from portal.services.personal_data import anonymise_victim, message_text_removed

#: Messages in these states are finished: their text is no longer needed to send them.
FINISHED = (
    NotificationStatus.SENT,
    NotificationStatus.DELIVERED,
    NotificationStatus.FAILED,
    NotificationStatus.CANCELLED,
)


def run(session: Session, *, days: dict[str, int], now: datetime) -> dict[str, int]:
    """Apply every retention period once; returns how many rows each step touched."""

    def cutoff(kind: str) -> datetime:
        return now - timedelta(days=days[kind])

    finished_at = sa.func.coalesce(
        Notification.delivered_at, Notification.sent_at, Notification.failed_at,
        Notification.created_at,
    )  # fmt: skip
    counts = {
        "message_text": session.execute(
            sa.update(Notification)
            .where(
                Notification.content_removed_at.is_(None),
                Notification.status.in_(FINISHED),
                finished_at < cutoff("message_text"),
            )
            .values(**message_text_removed(now))
        ).rowcount,
        "sign_in_codes": session.execute(
            sa.delete(SignInChallenge).where(SignInChallenge.expires_at < cutoff("sign_in_codes"))
        ).rowcount,
        "sessions": session.execute(
            sa.delete(AuthSession).where(
                sa.func.coalesce(AuthSession.revoked_at, AuthSession.last_seen_at)
                < cutoff("sessions")
            )
        ).rowcount,
        "dev_outbox": session.execute(
            sa.delete(OutboxMessage).where(OutboxMessage.created_at < cutoff("dev_outbox"))
        ).rowcount,
        "resolved_alerts": session.execute(
            sa.delete(StaffAlert).where(StaffAlert.resolved_at < cutoff("resolved_alerts"))
        ).rowcount,
        "closed_case_contacts": _anonymise_after_closure(
            session, cutoff("closed_case_contacts"), now
        ),
    }
    audit.record(session, actor="system:retention", action="retention.run", details=counts)
    return counts


def _anonymise_after_closure(session: Session, cutoff: datetime, now: datetime) -> int:
    """Victims whose every case closed before the cutoff lose their contact details."""
    still_needed = (
        sa.select(CaseVictim.victim_id)
        .join(Case, Case.id == CaseVictim.case_id)
        .where(sa.or_(Case.closed_at.is_(None), Case.closed_at >= cutoff))
    )
    due = session.scalars(
        sa.select(Victim.id).where(
            Victim.anonymised_at.is_(None),
            Victim.id.in_(sa.select(CaseVictim.victim_id)),
            Victim.id.not_in(still_needed),
        )
    ).all()
    for victim_id in due:
        anonymise_victim(session, victim_id, now=now)
    return len(due)
