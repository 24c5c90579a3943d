"""What a police record system sends to close a case with a Home Office outcome, or to
record a withdrawal an officer took by phone or in person (issue 6, through the API).

The rules live in case_outcome and withdrawal_officer; this module reads the JSON,
checks the key may change the case, and turns their refusals into field errors."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, ValidationError
from sqlmodel import Session

from portal.models import EvidenceType, WithdrawalReason
from portal.services import access, case_outcome, withdrawal_officer
from portal.services.case_intake import find_case
from portal.services.event_intake import CaseNotFound
from portal.services.validation import (
    DATABASE_INT_MAX,
    InvalidInput,
    StrictModel,
    free_text,
    invalid_input,
    one_line,
)

MAX_NOTE = 2000


class NewOutcome(StrictModel):
    code: str = Field(
        min_length=1,
        max_length=3,
        pattern=r"^[0-9]{1,2}[A-Za-z]?$",
        description="Home Office outcome code. 14 and 16 (victim does not support) need a "
        "withdrawal the victim confirmed.",
    )


class NewOfficerWithdrawal(StrictModel):
    victim_id: int = Field(
        ge=1, le=DATABASE_INT_MAX, description="The victim (an id from GET /cases/{ref})."
    )
    evidence_type: Literal[tuple(kind.value for kind in EvidenceType)]
    evidence_reference: one_line(withdrawal_officer.MAX_REFERENCE) = Field(
        description="The statement, pocket notebook entry or body-worn video reference."
    )
    reasons: list[Literal[tuple(reason.value for reason in WithdrawalReason)]] = Field(
        min_length=1, max_length=len(WithdrawalReason)
    )
    note: free_text(MAX_NOTE) = Field(description="What the victim said, as the officer noted it.")


def _read(model: type[StrictModel], raw: bytes | str) -> StrictModel:
    try:
        return model.model_validate_json(raw, strict=True)
    except ValidationError as error:
        raise invalid_input(error) from None


def read_outcome(raw: bytes | str) -> NewOutcome:
    return _read(NewOutcome, raw)


def read_officer_withdrawal(raw: bytes | str) -> NewOfficerWithdrawal:
    return _read(NewOfficerWithdrawal, raw)


def _case(session: Session, reference: str, who: access.Principal, action: str):
    case = find_case(session, reference)
    if case is None or not access.may_change_case(session, who, case, action=action):
        raise CaseNotFound
    return case


def close(
    session: Session, reference: str, new: NewOutcome, *, who: access.Principal, now: datetime
) -> case_outcome.Closure:
    """Close the case; raises CaseNotFound, InvalidInput or a case_outcome.ClosureError
    (NoWithdrawalRecord, AlreadyClosed) for the caller to answer 409."""
    case = _case(session, reference, who, "case.close")
    try:
        return case_outcome.close_case(session, case, new.code, actor=who.ref, now=now)
    except case_outcome.UnknownOutcome as unknown:
        raise InvalidInput([{"field": "code", "message": str(unknown.message)}]) from None


def record_withdrawal(
    session: Session,
    reference: str,
    new: NewOfficerWithdrawal,
    *,
    who: access.Principal,
    now: datetime,
) -> withdrawal_officer.OfficerWithdrawal:
    """Seal the officer's record (awaiting the victim's YES or NO) and ask the victim;
    raises CaseNotFound, InvalidInput or withdrawal_officer.Conflict."""
    case = _case(session, reference, who, "withdrawal.record")
    try:
        return withdrawal_officer.record_officer_withdrawal(
            session,
            case,
            victim_id=new.victim_id,
            evidence_type=new.evidence_type,
            evidence_reference=new.evidence_reference,
            reasons=list(new.reasons),
            note=new.note,
            actor=who.ref,
            officer_id=case.officer_id,
            now=now,
        )
    except withdrawal_officer.InvalidInput as invalid:
        raise InvalidInput(
            [{"field": field, "message": str(message)} for field, message in invalid.errors.items()]
        ) from None
