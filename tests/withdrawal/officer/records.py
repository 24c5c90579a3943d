"""Withdrawal records for the officer-side tests, made through the real services."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select
from twilio.request_validator import RequestValidator

from portal.models import (
    ServiceRecoveryRequest,
    StaffAlert,
    WithdrawalRequest,
    WithdrawalStatus,
)
from portal.models.base import utcnow
from portal.services import withdrawal, withdrawal_officer
from portal.services.access import Principal

#: The webhook token and public address of the officer-side tests' app (conftest.py).
TWILIO_TOKEN = "officer-side-webhook-token"
PUBLIC_BASE = "https://portal.example"


def victim_confirmed(
    session: Session,
    *,
    case_id: int,
    victim_id: int,
    now: datetime,
    reasons=("move_on",),
    answers=None,
    version: int = 1,
    status: WithdrawalStatus = WithdrawalStatus.CONFIRMED,
    supersedes_id: int | None = None,
) -> WithdrawalRequest:
    """A withdrawal the victim confirmed on the web (as the victim's flow seals it)."""
    request = WithdrawalRequest(
        case_id=case_id,
        victim_id=victim_id,
        version=version,
        supersedes_id=supersedes_id,
        reasons=list(reasons),
        answers=answers or {},
        own_words="Chcę zapomnieć.",
        locale="pl",
        created_at=now,
    )
    session.add(request)
    session.flush()
    withdrawal.seal(session, request, status=status, actor=f"victim:{victim_id}", now=now)
    session.commit()
    return request


def help_asked(
    session: Session,
    *,
    case_id: int,
    victim_id: int,
    now: datetime,
    offers=("callback",),
    safeguarding: bool = False,
) -> ServiceRecoveryRequest:
    ask = ServiceRecoveryRequest(
        case_id=case_id,
        victim_id=victim_id,
        offers=list(offers),
        safeguarding_flag=safeguarding,
        created_at=now,
    )
    session.add(ask)
    session.commit()
    return ask


def officer_recorded(
    session: Session, world, *, on: str = "a", now: datetime | None = None
) -> withdrawal_officer.OfficerWithdrawal:
    """Case A's officer (North, Polish victim A) or case B's (South, discreet victim B)
    records a withdrawal the victim gave them, through the service the case page uses."""
    officer, case, victim = (
        (world.staff["officer_north"], world.case_a, world.victim_a)
        if on == "a"
        else (world.staff["officer_south"], world.case_b, world.victim_b)
    )
    case = withdrawal_officer.police_case(
        session, Principal.for_staff(officer), case.id, "withdrawal.record"
    )
    recorded = withdrawal_officer.record_officer_withdrawal(
        session,
        case,
        victim_id=victim.id,
        actor=f"staff:{officer.id}",
        officer_id=officer.id,
        evidence_type="pocket_notebook",
        evidence_reference="PNB 4471 p12",
        reasons=["process_too_long"],
        note="Phoned me; wants to stop.",
        now=now or utcnow(),
    )
    session.commit()
    return recorded


def alerts(session: Session) -> list[StaffAlert]:
    session.expire_all()
    return list(session.exec(select(StaffAlert).order_by(StaffAlert.id)).all())


def text_in(app, from_number: str, body: str):
    """An SMS arriving through the real, signed Twilio webhook."""
    form = {"From": from_number, "Body": body}
    path = "/webhooks/twilio/inbound"
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(PUBLIC_BASE + path, form)
    return app.test_client().post(path, data=form, headers={"X-Twilio-Signature": signature})


def twiml_message(response) -> str:
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<Message>" in body, body
    return body.split("<Message>")[1].split("</Message>")[0]
