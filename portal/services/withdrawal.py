"""Withdrawal records: sealing a version, proving it unchanged, and finding the record a
case closure depends on. The victim's flow and the officer's queue build on these."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from portal.models import (
    CONFIRMED_STATUSES,
    AuditEvent,
    PressureAnswer,
    WithdrawalAnswer,
    WithdrawalReason,
    WithdrawalRequest,
    WithdrawalStatus,
    YesNoNotSure,
)
from portal.services import audit

#: A withdrawal request the victim has not confirmed yet.

#: Reasons that on their own mean someone may be in danger or under control.
SAFEGUARDING_REASONS = frozenset({WithdrawalReason.PRESSURE, WithdrawalReason.FEAR_OF_OFFENDER})

SEAL_ACTION = "withdrawal.sealed"


def newest_of(
    session: Session, case_ids: list[int], victim_ids: list[int]
) -> list[WithdrawalRequest]:
    """The newest version of each of these victims' withdrawals on these cases."""
    return newest_versions(
        session,
        WithdrawalRequest.case_id.in_(case_ids),
        WithdrawalRequest.victim_id.in_(victim_ids),
    )


def reported_pressure(answers: dict[str, Any]) -> bool:
    """They said someone pressured, threatened or contacted them about the case."""
    return answers.get(WithdrawalAnswer.PRESSURE) == PressureAnswer.YES


def needs_safeguarding(reasons: list[str], answers: dict[str, Any]) -> bool:
    """Any answer showing pressure, threats or fear raises the flag (DOMAIN.md)."""
    if SAFEGUARDING_REASONS.intersection(reasons):
        return True
    return reported_pressure(answers) or (
        answers.get(WithdrawalAnswer.SAFE_TO_CONTACT) == YesNoNotSure.NO
    )


def content_of(request: WithdrawalRequest) -> dict[str, Any]:
    """What a sealed version says: the exact fields the hash and the triggers protect."""
    return {
        "case_id": request.case_id,
        "victim_id": request.victim_id,
        "version": request.version,
        "supersedes_id": request.supersedes_id,
        "reasons": sorted(request.reasons),
        "answers": request.answers,
        "own_words": request.own_words,
        "locale": request.locale,
        "safeguarding_flag": request.safeguarding_flag,
        "submitted_by": request.submitted_by,
        "evidence_reference": request.evidence_reference,
        "confirmed_at": request.confirmed_at.isoformat() if request.confirmed_at else None,
    }


def content_hash(request: WithdrawalRequest) -> str:
    canonical = json.dumps(content_of(request), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def seal(
    session: Session,
    request: WithdrawalRequest,
    *,
    status: WithdrawalStatus,
    actor: str,
    on_behalf_of: str | None = None,
    now: datetime,
) -> WithdrawalRequest:
    """Fix a version's content for good: safeguarding flag, timestamp, content hash, and an
    audit event carrying the hash, so the hash chain proves what was confirmed."""
    if request.content_hash is not None:
        raise ValueError("this version is already sealed")
    request.safeguarding_flag = request.safeguarding_flag or needs_safeguarding(
        request.reasons, request.answers
    )
    request.confirmed_at = now
    request.status = status
    request.current_step = None
    request.status_history = [
        *request.status_history,
        {"status": status, "at": now.isoformat(), "by": actor},
    ]
    request.content_hash = content_hash(request)
    request.updated_at = now
    session.add(request)
    session.flush()
    audit.record(
        session,
        actor=actor,
        on_behalf_of=on_behalf_of,
        action=SEAL_ACTION,
        subject=f"withdrawal:{request.id}",
        details={
            "case_id": request.case_id,
            "version": request.version,
            "status": str(status),
            "content_hash": request.content_hash,
            "safeguarding": request.safeguarding_flag,
        },
    )
    return request


def move_status(
    session: Session,
    request: WithdrawalRequest,
    status: WithdrawalStatus,
    *,
    actor: str,
    now: datetime,
) -> None:
    """Move a sealed version's status on (its content stays as sealed)."""
    request.status = status
    request.status_history = [
        *request.status_history,
        {"status": status, "at": now.isoformat(), "by": actor},
    ]
    request.updated_at = now
    session.add(request)


@dataclass(frozen=True)
class SealCheck:
    matches_content: bool
    matches_audit: bool

    @property
    def intact(self) -> bool:
        return self.matches_content and self.matches_audit


def check_seal(session: Session, request: WithdrawalRequest) -> SealCheck:
    """Recompute a sealed version's hash and compare it with the stored hash and with the
    hash written into the (itself hash-chained) audit trail when it was sealed."""
    sealed = session.exec(
        select(AuditEvent)
        .where(
            AuditEvent.action == SEAL_ACTION,
            AuditEvent.subject == f"withdrawal:{request.id}",
        )
        .order_by(AuditEvent.id)
        .limit(1)
    ).first()
    recomputed = content_hash(request)
    return SealCheck(
        matches_content=recomputed == request.content_hash,
        matches_audit=sealed is not None and sealed.details.get("content_hash") == recomputed,
    )


def newest_versions(session: Session, *conditions: Any) -> list[WithdrawalRequest]:
    """The newest version of each (case, victim) withdrawal among those matching
    `conditions`, in one query."""
    newest = (
        sa.select(
            WithdrawalRequest.case_id,
            WithdrawalRequest.victim_id,
            sa.func.max(WithdrawalRequest.version).label("v"),
        )
        .where(*conditions)
        .group_by(WithdrawalRequest.case_id, WithdrawalRequest.victim_id)
        .subquery()
    )
    return list(
        session.exec(
            select(WithdrawalRequest)
            .join(
                newest,
                sa.and_(
                    WithdrawalRequest.case_id == newest.c.case_id,
                    WithdrawalRequest.victim_id == newest.c.victim_id,
                    WithdrawalRequest.version == newest.c.v,
                ),
            )
            .order_by(WithdrawalRequest.id)
        ).all()
    )


def latest_versions(session: Session, case_id: int) -> list[WithdrawalRequest]:
    """The newest version of each victim's withdrawal on a case."""
    return newest_versions(session, WithdrawalRequest.case_id == case_id)


def newest_sealed() -> sa.ColumnElement[bool]:
    """SQL condition: this row is its victim's newest sealed version on the case (a
    newer unsealed draft does not hide it)."""
    newer = aliased(WithdrawalRequest)
    return ~sa.exists().where(
        newer.case_id == WithdrawalRequest.case_id,
        newer.victim_id == WithdrawalRequest.victim_id,
        newer.content_hash.is_not(None),
        newer.version > WithdrawalRequest.version,
    )


def confirmed_record(session: Session, case_id: int) -> WithdrawalRequest | None:
    """A sealed, victim-confirmed withdrawal that is still in force (not rescinded or
    disputed since): the only basis for closing a case as "victim does not support"."""
    for request in latest_versions(session, case_id):
        if request.content_hash and request.status in CONFIRMED_STATUSES:
            return request
    return None
