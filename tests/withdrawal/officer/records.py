"""Withdrawal records for the officer-side tests, made through the real services."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
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
from portal.providers.sms.twilio import TwilioSmsProvider
from portal.services import withdrawal, withdrawal_officer
from portal.services.access import Principal
from portal.services.messaging import DispatchResult, dispatch_due
from tests.support.fake_providers import FakeEmail
from tests.support.fake_twilio import FakeTwilio

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


@dataclass(frozen=True)
class SignedRequest:
    """A webhook request exactly as Twilio signs it: what an attacker can capture."""

    path: str
    form: dict[str, str]
    signature: str

    def send(self, app):
        return app.test_client().post(
            self.path, data=self.form, headers={"X-Twilio-Signature": self.signature}
        )


def signed(path: str, form: dict[str, str]) -> SignedRequest:
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(PUBLIC_BASE + path, form)
    return SignedRequest(path, form, signature)


def inbound_sms(from_number: str, body: str) -> SignedRequest:
    """A text as Twilio posts it: each message has its own MessageSid (and SmsSid)."""
    sid = "SM" + secrets.token_hex(16)
    form = {"MessageSid": sid, "SmsSid": sid, "From": from_number, "Body": body}
    return signed("/webhooks/twilio/inbound", form)


def text_in(app, from_number: str, body: str):
    """An SMS arriving through the real, signed Twilio webhook."""
    return inbound_sms(from_number, body).send(app)


def twiml_message(response) -> str:
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<Message>" in body, body
    return body.split("<Message>")[1].split("</Message>")[0]


def send_due(session: Session, twilio: FakeTwilio, now: datetime | None = None) -> DispatchResult:
    """Run the real dispatcher once, sending SMS through the real Twilio client to the
    fake Twilio (so each message gets a provider SID, as in production)."""
    provider = TwilioSmsProvider(
        account_sid="AC" + "0" * 32,
        auth_token="token",  # noqa: S106
        from_number="+447700900000",
        api_base_url=twilio.url,
        timeout=2,
    )
    return dispatch_due(session, sms=provider, email=_UniqueEmail(), now=now)


class _UniqueEmail(FakeEmail):
    """Fake email whose references stay unique across dispatcher runs."""

    def send_email(self, **message) -> str:
        super().send_email(**message)
        return f"<{secrets.token_hex(8)}@test>"
