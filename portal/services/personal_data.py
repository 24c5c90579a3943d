"""Removing a victim's personal data: by the retention job, or on an erasure request.

What stays: the case, the fact and timing of each message, and sealed withdrawal records,
which are part of the case file the police must keep (UK GDPR art. 17(3)(b) and (e)).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from portal.models import (
    AuthSession,
    Case,
    CaseVictim,
    ConsentRecord,
    Notification,
    ServiceRecoveryRequest,
    SignInChallenge,
    Victim,
    WithdrawalRequest,
)
from portal.services import audit


def anonymise_victim(session: Session, victim_id: int, *, now: datetime) -> None:
    """Clear the name, contact details and free text about one victim, in bulk SQL."""
    session.execute(
        sa.update(Victim)
        .where(Victim.id == victim_id)
        .values(
            name="",
            phone_e164=None,
            email=None,
            interpreter_notes=None,
            safe_hours_start=None,
            safe_hours_end=None,
            anonymised_at=now,
        )
    )
    session.execute(
        sa.update(Notification)
        .where(Notification.victim_id == victim_id)
        .values(to_address="", **message_text_removed(now))
    )
    session.execute(
        sa.update(ConsentRecord).where(ConsentRecord.victim_id == victim_id).values(note=None)
    )
    session.execute(
        sa.update(ServiceRecoveryRequest)
        .where(ServiceRecoveryRequest.victim_id == victim_id)
        .values(note=None)
    )
    session.execute(
        sa.delete(WithdrawalRequest).where(
            WithdrawalRequest.victim_id == victim_id, WithdrawalRequest.content_hash.is_(None)
        )
    )
    session.execute(
        sa.delete(AuthSession).where(
            AuthSession.principal_kind == "victim", AuthSession.principal_id == victim_id
        )
    )
    session.execute(sa.delete(SignInChallenge).where(SignInChallenge.victim_id == victim_id))


def message_text_removed(now: datetime) -> dict:
    """The column values of a message whose text has been removed."""
    return {"subject": None, "body": "", "body_html": None, "params": {}, "content_removed_at": now}


class ErasureRefused(Exception):
    """The law requires the police to keep this victim's data for now; `args[0]` says why."""


@dataclass(frozen=True)
class Erasure:
    victim_id: int
    cases: int


def erase_victim(
    session: Session, victim_id: int, *, actor: str, reason: str, now: datetime
) -> Erasure:
    """Erase a victim's personal data on request, where the law allows it (audited).

    Refused while any of their cases is open, and when a sealed withdrawal record exists:
    both are records the police must keep."""
    victim = session.get(Victim, victim_id)
    if victim is None:
        raise ErasureRefused("no such victim")
    case_ids = list(
        session.scalars(sa.select(CaseVictim.case_id).where(CaseVictim.victim_id == victim_id))
    )
    open_cases = session.scalar(
        sa.select(sa.func.count()).where(Case.id.in_(case_ids), Case.closed_at.is_(None))
    )
    if open_cases:
        raise ErasureRefused(
            "a case is still open: the police must keep the record while it is active"
        )
    sealed = session.scalar(
        sa.select(sa.func.count()).where(
            WithdrawalRequest.victim_id == victim_id, WithdrawalRequest.content_hash.is_not(None)
        )
    )
    if sealed:
        raise ErasureRefused("a withdrawal record is part of the case file and must be kept")
    anonymise_victim(session, victim_id, now=now)
    audit.record(
        session,
        actor=actor,
        action="victim.erase",
        subject=f"victim:{victim_id}",
        reason=reason,
        details={"cases": case_ids},
    )
    return Erasure(victim_id=victim_id, cases=len(case_ids))
