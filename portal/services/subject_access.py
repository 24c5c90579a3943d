"""Subject access: everything held about one victim, as JSON files and a readable page.

The export covers their own records, the cases they are linked to (with the events),
every message, withdrawal versions and help asked, sign-ins, alerts raised about them,
and the audit trail of who viewed or changed any of it, with a proof for each entry
that it is in the signed audit log (audit_proofs.json; see docs/audit.md).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select

from portal.models import (
    AdvocateLink,
    AuditEvent,
    AuthSession,
    Case,
    CaseEvent,
    CaseVictim,
    ConsentRecord,
    Notification,
    ServiceRecoveryRequest,
    SignInChallenge,
    StaffAlert,
    Victim,
    WithdrawalFollowUp,
    WithdrawalRequest,
)
from portal.services import audit

#: Internal secrets that say nothing about the person and must never leave the system.
_NEVER_EXPORTED = {"token_hash", "code_hash", "key_hash", "password_hash", "totp_secret"}


def _rows(items: list[SQLModel]) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in item.model_dump().items() if k not in _NEVER_EXPORTED} for item in items
    ]


def collect(session: Session, victim_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every record about the victim, section by section (each a list of plain dicts)."""
    victim = session.get(Victim, victim_id)
    if victim is None:
        raise LookupError("no such victim")
    case_ids = list(
        session.scalars(sa.select(CaseVictim.case_id).where(CaseVictim.victim_id == victim_id))
    )
    withdrawals = list(
        session.exec(select(WithdrawalRequest).where(WithdrawalRequest.victim_id == victim_id))
    )
    recoveries = list(
        session.exec(
            select(ServiceRecoveryRequest).where(ServiceRecoveryRequest.victim_id == victim_id)
        )
    )
    follow_ups = list(
        session.exec(
            select(WithdrawalFollowUp).where(
                sa.or_(
                    WithdrawalFollowUp.withdrawal_request_id.in_([w.id for w in withdrawals]),
                    WithdrawalFollowUp.service_recovery_id.in_([r.id for r in recoveries]),
                )
            )
        )
    )
    subjects = [f"victim:{victim_id}", *(f"case:{c}" for c in case_ids)]
    subjects += [f"withdrawal:{w.id}" for w in withdrawals]
    trail = session.exec(
        select(AuditEvent)
        .where(
            sa.or_(
                AuditEvent.subject.in_(subjects),
                AuditEvent.on_behalf_of == f"victim:{victim_id}",
                AuditEvent.actor == f"victim:{victim_id}",
            )
        )
        .order_by(AuditEvent.id)
    )
    return {
        "victim": _rows([victim]),
        "consents": _rows(
            list(session.exec(select(ConsentRecord).where(ConsentRecord.victim_id == victim_id)))
        ),
        "advocates": _rows(
            list(session.exec(select(AdvocateLink).where(AdvocateLink.victim_id == victim_id)))
        ),
        "cases": _rows(list(session.exec(select(Case).where(Case.id.in_(case_ids))))),
        "case_events": _rows(
            list(session.exec(select(CaseEvent).where(CaseEvent.case_id.in_(case_ids))))
        ),
        "messages": _rows(
            list(
                session.exec(
                    select(Notification)
                    .where(Notification.victim_id == victim_id)
                    .order_by(Notification.created_at)
                )
            )
        ),
        "withdrawals": _rows(withdrawals),
        "help_requests": _rows(recoveries),
        "follow_ups": _rows(follow_ups),
        "alerts": _rows(
            list(session.exec(select(StaffAlert).where(StaffAlert.victim_id == victim_id)))
        ),
        "sign_ins": _rows(
            list(
                session.exec(
                    select(AuthSession).where(
                        AuthSession.principal_kind == "victim",
                        AuthSession.principal_id == victim_id,
                    )
                )
            )
        ),
        "sign_in_codes": _rows(
            list(
                session.exec(select(SignInChallenge).where(SignInChallenge.victim_id == victim_id))
            )
        ),
        "audit": _rows(list(trail)),
    }


def export(
    session: Session,
    victim_id: int,
    *,
    actor: str,
    reason: str,
    render_html: Callable[[dict[str, list[dict[str, Any]]]], str],
    now: datetime,
    verifier_key: str,
) -> bytes:
    """A zip of one JSON file per section plus index.html and audit_proofs.json (each
    audit entry's inclusion proof against the latest signed checkpoint, checkable with
    tools/verify_audit_proof.py and the log's `verifier_key`). The export itself is
    audited (after the trail is read, so the file shows every access before this one)."""
    data = collect(session, victim_id)
    trail = session.exec(
        select(AuditEvent)
        .where(AuditEvent.id.in_([row["id"] for row in data["audit"]]))
        .order_by(AuditEvent.id)
    ).all()
    proofs = audit.inclusion_bundle(session, list(trail), verifier_key=verifier_key)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for section, rows in data.items():
            archive.writestr(
                f"{section}.json", json.dumps(rows, indent=2, ensure_ascii=False, default=str)
            )
        archive.writestr("index.html", render_html(data))
        archive.writestr(
            "audit_proofs.json", json.dumps(proofs.as_json(), indent=2, ensure_ascii=False)
        )
    audit.record(
        session,
        actor=actor,
        action="victim.export",
        subject=f"victim:{victim_id}",
        reason=reason,
        details={"kind": "subject_access", "at": now.isoformat()},
    )
    return buffer.getvalue()
