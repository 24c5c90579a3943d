"""The officer's side of withdrawals: the queue, acknowledgements and follow-ups, and a
withdrawal the officer took by phone or in person.

- The queue holds, for the cases an officer leads (a supervisor: their area), the newest
  sealed withdrawal of each victim that nobody has acknowledged yet (confirmed, rescinded
  or disputed) and every service-recovery ask without an outcome; safeguarding first,
  then the longest waiting.
- Acknowledging moves a confirmed record to ACKNOWLEDGED; follow-ups (call back made,
  referral made, outcome) are appended afterwards. Each is one audit event on the case.
- An officer-recorded withdrawal is sealed at once as AWAITING_VICTIM, with its evidence
  reference, and the victim is asked in their language, on the channels they allow, to
  answer YES or NO by SMS reply or in "My case" (a discreet victim: in "My case" only;
  see withdrawal_confirmation.py). It counts only once they say yes.

Refusals are exceptions carrying a message fit to show to staff and to return from the
API (`WithdrawalError.message`; `InvalidInput.errors` maps a field to its message).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext
from sqlmodel import Session, select

from portal.models import (
    CONFIRMED_STATUSES,
    Case,
    EvidenceType,
    FollowUpAction,
    RecoveryOutcome,
    ServiceRecoveryRequest,
    Victim,
    WithdrawalAnswer,
    WithdrawalFollowUp,
    WithdrawalReason,
    WithdrawalRequest,
    WithdrawalStatus,
)
from portal.services.validation import written

from . import access, audit, withdrawal
from .access import Principal
from .case_events import notification_row, plan_messages
from .contact import insert_notifications
from .notification_text import WITHDRAWAL_CONFIRM

#: Sealed states an officer must acknowledge: new, changed-mind and disputed records.
TO_ACKNOWLEDGE = (WithdrawalStatus.CONFIRMED, WithdrawalStatus.RESCINDED, WithdrawalStatus.DISPUTED)
#: A victim has this long to confirm a withdrawal an officer recorded.
CONFIRMATION_WINDOW = timedelta(days=14)
#: States in which a record already stands, so an officer cannot record another one.
STANDING = (WithdrawalStatus.AWAITING_VICTIM, *CONFIRMED_STATUSES)
FOLLOW_UPS = (
    FollowUpAction.CALLBACK_MADE,
    FollowUpAction.REFERRAL_MADE,
    FollowUpAction.TRANSLATION_ASKED,
    FollowUpAction.TRANSLATION_ADDED,
    FollowUpAction.OUTCOME,
)
MAX_NOTE = 2000
MAX_REFERENCE = 100


class WithdrawalError(Exception):
    """A refused request. `message` is shown to staff and returned by the API."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


class NotVisible(WithdrawalError):
    """No such record, or not one this person may see (the refusal is audited)."""

    def __init__(self) -> None:
        super().__init__(lazy_gettext("There is no such record."))


class InvalidInput(WithdrawalError):
    """Some fields are missing or wrong; `errors` maps each field to its message."""

    def __init__(self, errors: dict) -> None:
        super().__init__(lazy_gettext("Check the form: some answers are missing or wrong."))
        self.errors = errors


class Conflict(WithdrawalError):
    """The record is not in a state that allows this (the API answers 409)."""


# --- The queue --------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    kind: str  # "withdrawal" or "recovery"
    id: int
    crime_reference: str
    #: WithdrawalStatus for a withdrawal; "service_recovery" for an ask.
    status: str
    safeguarding: bool
    #: Since when it has been waiting.
    since: datetime
    #: An ask stays in the queue after acknowledgement, until its outcome is recorded.
    acknowledged: bool


def queue(session: Session, who: Principal) -> list[QueueItem]:
    """What `who` must act on, safeguarding flags first, then the longest waiting."""
    scope = access.police_case_scope(who)
    if scope is None:
        return []
    items = [
        QueueItem(
            kind="withdrawal",
            id=request.id,
            crime_reference=reference,
            status=request.status,
            safeguarding=request.safeguarding_flag,
            since=request.updated_at or request.confirmed_at,
            acknowledged=False,
        )
        for request, reference in session.execute(
            sa.select(WithdrawalRequest, Case.crime_reference)
            .join(Case, Case.id == WithdrawalRequest.case_id)
            .where(
                scope,
                WithdrawalRequest.content_hash.is_not(None),
                WithdrawalRequest.acknowledged_at.is_(None),
                WithdrawalRequest.status.in_(TO_ACKNOWLEDGE),
                withdrawal.newest_sealed(),
            )
        ).all()
    ]
    items += [
        QueueItem(
            kind="recovery",
            id=ask.id,
            crime_reference=reference,
            status=WithdrawalStatus.SERVICE_RECOVERY,
            safeguarding=ask.safeguarding_flag,
            since=ask.created_at,
            acknowledged=ask.acknowledged_at is not None,
        )
        for ask, reference in session.execute(
            sa.select(ServiceRecoveryRequest, Case.crime_reference)
            .join(Case, Case.id == ServiceRecoveryRequest.case_id)
            .where(scope, ServiceRecoveryRequest.outcome.is_(None))
        ).all()
    ]
    return sorted(items, key=lambda item: (not item.safeguarding, item.since, item.kind, item.id))


# --- Opening one record (every view and change is audited on its case) -----------------


def police_case(session: Session, who: Principal, case_id: int, action: str) -> Case:
    """The case if `who` is its officer or its area's supervisor; else NotVisible, with
    the refusal audited."""
    case = session.get(Case, case_id)
    if (
        case is None
        or access.police_case_scope(who) is None
        or not access.may_see_case(session, who, case)
    ):
        access.record_refusal(session, who, f"case:{case_id}", action)
        raise NotVisible()
    return case


def _request(session: Session, who: Principal, request_id: int, action: str) -> WithdrawalRequest:
    request = session.get(WithdrawalRequest, request_id)
    if request is None or request.content_hash is None:
        access.record_refusal(session, who, f"withdrawal:{request_id}", action)
        raise NotVisible()
    police_case(session, who, request.case_id, action)
    return request


def _ask(session: Session, who: Principal, ask_id: int, action: str) -> ServiceRecoveryRequest:
    ask = session.get(ServiceRecoveryRequest, ask_id)
    if ask is None:
        access.record_refusal(session, who, f"service_recovery:{ask_id}", action)
        raise NotVisible()
    police_case(session, who, ask.case_id, action)
    return ask


@dataclass(frozen=True)
class OpenedRecord:
    """A withdrawal or an ask as an officer sees it, with its case, victim and history."""

    case: Case
    victim: Victim
    follow_ups: list[WithdrawalFollowUp]
    request: WithdrawalRequest | None = None
    ask: ServiceRecoveryRequest | None = None
    seal_intact: bool | None = None
    #: What the victim said about contacting them safely (SAFE_CONTACT_ANSWERS).
    safe_contact: dict = field(default_factory=dict)


#: The answers that say whether, how and when the victim may safely be contacted: shown
#: wherever an officer acts, because the victim was promised "only in the way you said".
SAFE_CONTACT_ANSWERS = (
    WithdrawalAnswer.SAFE_TO_CONTACT,
    WithdrawalAnswer.SAFE_CONTACT_CHANNEL,
    WithdrawalAnswer.SAFE_CONTACT_HOURS,
)


def _safe_contact(request: WithdrawalRequest | None) -> dict:
    answers = request.answers if request is not None else {}
    return {key: answers[key] for key in SAFE_CONTACT_ANSWERS if key in answers}


def _follow_ups(session: Session, condition) -> list[WithdrawalFollowUp]:
    return list(
        session.exec(
            select(WithdrawalFollowUp)
            .where(condition)
            .order_by(WithdrawalFollowUp.created_at, WithdrawalFollowUp.id)
        ).all()
    )


def _opened_victim(session: Session, who: Principal, victim_id: int, details: dict) -> Victim:
    victim = access.open_victim(session, who, victim_id, action="withdrawal.view", details=details)
    if victim is None:
        raise NotVisible()
    return victim


def open_request(session: Session, who: Principal, request_id: int) -> OpenedRecord:
    """A sealed withdrawal: an audited view of the case and of the victim's record."""
    request = _request(session, who, request_id, "withdrawal.view")
    details = {"withdrawal_id": request.id}
    case = access.open_case(
        session, who, request.case_id, action="withdrawal.view", details=details
    )
    return OpenedRecord(
        case=case,
        victim=_opened_victim(session, who, request.victim_id, details),
        follow_ups=_follow_ups(session, WithdrawalFollowUp.withdrawal_request_id == request.id),
        request=request,
        seal_intact=withdrawal.check_seal(session, request).intact,
        safe_contact=_safe_contact(request),
    )


def open_ask(session: Session, who: Principal, ask_id: int) -> OpenedRecord:
    """A service-recovery ask: an audited view of the case and of the victim's record."""
    ask = _ask(session, who, ask_id, "withdrawal.view")
    details = {"service_recovery_id": ask.id}
    case = access.open_case(session, who, ask.case_id, action="withdrawal.view", details=details)
    return OpenedRecord(
        case=case,
        victim=_opened_victim(session, who, ask.victim_id, details),
        follow_ups=_follow_ups(session, WithdrawalFollowUp.service_recovery_id == ask.id),
        ask=ask,
        safe_contact=_safe_contact(
            session.get(WithdrawalRequest, ask.withdrawal_request_id)
            if ask.withdrawal_request_id
            else None
        ),
    )


# --- Acknowledging and following up -----------------------------------------------------


def _refused(
    session: Session, actor: str, case_id: int, action: str, error: WithdrawalError
) -> WithdrawalError:
    """Audit a refused change on the case (kept, though the caller rolls back its form);
    return the error to raise."""
    why = "invalid_input" if isinstance(error, InvalidInput) else "conflict"
    access.record_refused(session, actor=actor, subject=f"case:{case_id}", action=action, why=why)
    return error


def _clean_note(note: str | None, *, required: bool) -> str | None:
    text = written(note)
    if required and not text:
        raise InvalidInput({"note": lazy_gettext("Write a short note of what happened.")})
    if len(text) > MAX_NOTE:
        raise InvalidInput(
            {"note": lazy_gettext("Keep the note under %(count)d characters.", count=MAX_NOTE)}
        )
    return text or None


@dataclass(frozen=True)
class _Target:
    """A withdrawal or an ask, as its follow-up rows and audit events name it."""

    record: WithdrawalRequest | ServiceRecoveryRequest
    #: The WithdrawalFollowUp column pointing at it.
    column: str
    #: Audit action prefix, and the details key carrying its id.
    prefix: str
    key: str

    @classmethod
    def of(cls, record: WithdrawalRequest | ServiceRecoveryRequest) -> _Target:
        if isinstance(record, WithdrawalRequest):
            return cls(record, "withdrawal_request_id", "withdrawal", "withdrawal_id")
        return cls(record, "service_recovery_id", "service_recovery", "service_recovery_id")


def _append(
    session: Session,
    who: Principal,
    target: _Target,
    *,
    action: str,
    outcome: str | None,
    note: str | None,
    audit_action: str,
    details: dict,
    now: datetime,
) -> WithdrawalFollowUp:
    """One follow-up row and its audit event on the case (ids and codes only)."""
    row = WithdrawalFollowUp(
        **{target.column: target.record.id},
        staff_id=who.id,
        action=action,
        outcome=outcome,
        note=note,
        created_at=now,
    )
    session.add(row)
    audit.record(
        session,
        actor=who.ref,
        action=f"{target.prefix}.{audit_action}",
        subject=f"case:{target.record.case_id}",
        details={target.key: target.record.id, **details},
    )
    session.flush()
    return row


def _acknowledge(
    session: Session,
    who: Principal,
    target: _Target,
    *,
    note: str | None,
    details: dict,
    now: datetime,
) -> None:
    """Mark it seen by `who`; `note` is already checked."""
    target.record.acknowledged_at, target.record.acknowledged_by_id = now, who.id
    session.add(target.record)
    _append(
        session,
        who,
        target,
        action=FollowUpAction.ACKNOWLEDGED,
        outcome=None,
        note=note,
        audit_action="acknowledged",
        details=details,
        now=now,
    )


def acknowledge(
    session: Session, who: Principal, request_id: int, *, note: str | None, now: datetime
) -> WithdrawalRequest:
    """The officer has seen a sealed withdrawal (confirmed ones become ACKNOWLEDGED)."""
    request = _request(session, who, request_id, "withdrawal.acknowledge")
    if request.acknowledged_at is not None or request.status not in TO_ACKNOWLEDGE:
        raise _refused(
            session,
            who.ref,
            request.case_id,
            "withdrawal.acknowledge",
            Conflict(lazy_gettext("This has already been acknowledged.")),
        )
    clean = _clean_note(note, required=False)
    if request.status == WithdrawalStatus.CONFIRMED:
        withdrawal.move_status(
            session, request, WithdrawalStatus.ACKNOWLEDGED, actor=who.ref, now=now
        )
    details = {"status": str(request.status)}
    _acknowledge(session, who, _Target.of(request), note=clean, details=details, now=now)
    return request


def acknowledge_ask(
    session: Session, who: Principal, ask_id: int, *, note: str | None, now: datetime
) -> ServiceRecoveryRequest:
    """The officer has seen a service-recovery ask and will follow it up."""
    ask = _ask(session, who, ask_id, "withdrawal.acknowledge")
    if ask.acknowledged_at is not None:
        raise _refused(
            session,
            who.ref,
            ask.case_id,
            "withdrawal.acknowledge",
            Conflict(lazy_gettext("This has already been acknowledged.")),
        )
    clean = _clean_note(note, required=False)
    _acknowledge(session, who, _Target.of(ask), note=clean, details={}, now=now)
    return ask


def _follow_up(
    session: Session,
    who: Principal,
    target: _Target,
    *,
    action: str,
    outcome: str | None,
    note: str | None,
    now: datetime,
) -> WithdrawalFollowUp:
    errors = {}
    if action not in set(FOLLOW_UPS):
        errors["action"] = lazy_gettext("Choose what you did.")
    if action == FollowUpAction.OUTCOME and outcome not in set(RecoveryOutcome):
        errors["outcome"] = lazy_gettext("Choose where it ended: stayed, withdrew or undecided.")
    try:
        clean = _clean_note(note, required=True)
    except InvalidInput as invalid:
        errors.update(invalid.errors)
    refused = None
    if errors:
        refused = InvalidInput(errors)
    elif target.record.acknowledged_at is None:
        refused = Conflict(lazy_gettext("Acknowledge it first."))
    if refused is not None:
        raise _refused(
            session, who.ref, target.record.case_id, f"{target.prefix}.follow_up", refused
        )
    outcome = outcome if action == FollowUpAction.OUTCOME else None
    return _append(
        session,
        who,
        target,
        action=action,
        outcome=outcome,
        note=clean,
        audit_action="follow_up",
        details={"follow_up": action, "outcome": outcome},
        now=now,
    )


def follow_up(
    session: Session,
    who: Principal,
    request_id: int,
    *,
    action: str,
    outcome: str | None = None,
    note: str | None,
    now: datetime,
) -> WithdrawalFollowUp:
    """Record a call back, a referral or the outcome on an acknowledged withdrawal."""
    request = _request(session, who, request_id, "withdrawal.follow_up")
    return _follow_up(
        session, who, _Target.of(request), action=action, outcome=outcome, note=note, now=now
    )


def follow_up_ask(
    session: Session,
    who: Principal,
    ask_id: int,
    *,
    action: str,
    outcome: str | None = None,
    note: str | None,
    now: datetime,
) -> WithdrawalFollowUp:
    """Record a call back, a referral or the outcome (which closes the ask) on an
    acknowledged service-recovery ask."""
    ask = _ask(session, who, ask_id, "withdrawal.follow_up")
    if ask.outcome is not None:
        raise _refused(
            session,
            who.ref,
            ask.case_id,
            "service_recovery.follow_up",
            Conflict(lazy_gettext("This ask already has an outcome.")),
        )
    row = _follow_up(
        session, who, _Target.of(ask), action=action, outcome=outcome, note=note, now=now
    )
    if row.outcome is not None:
        ask.outcome = row.outcome
        session.add(ask)
        session.flush()
    return row


# --- A withdrawal the officer took by phone or in person --------------------------------


@dataclass(frozen=True)
class OfficerWithdrawal:
    request: WithdrawalRequest
    #: Messages queued asking the victim to confirm (0: no channel they allow works).
    queued: int


def evidence_parts(evidence_reference: str | None) -> tuple[str | None, str | None]:
    """(evidence type code, reference) from a sealed "<code>: <reference>"."""
    if not evidence_reference:
        return None, None
    code, _, reference = evidence_reference.partition(": ")
    return (code, reference) if code in set(EvidenceType) else (None, evidence_reference)


def _officer_fields(evidence_type, evidence_reference, reasons, note) -> tuple:
    errors = {}
    if evidence_type not in set(EvidenceType):
        errors["evidence_type"] = lazy_gettext(
            "Choose the evidence: a statement, a pocket notebook entry or body-worn video."
        )
    reference = written(evidence_reference)
    if not reference:
        errors["evidence_reference"] = lazy_gettext(
            "Enter the evidence reference, for example the statement or exhibit number."
        )
    elif len(reference) > MAX_REFERENCE:
        errors["evidence_reference"] = lazy_gettext(
            "Keep the reference under %(count)d characters.", count=MAX_REFERENCE
        )
    codes = sorted(set(reasons or []))
    if not codes or not set(codes) <= set(WithdrawalReason):
        errors["reasons"] = lazy_gettext("Choose at least one reason the victim gave.")
    try:
        clean = _clean_note(note, required=True)
    except InvalidInput as invalid:
        errors.update(invalid.errors)
    if errors:
        raise InvalidInput(errors)
    return f"{evidence_type}: {reference}", codes, clean


def record_officer_withdrawal(
    session: Session,
    case: Case,
    *,
    victim_id: int | None,
    evidence_type: str,
    evidence_reference: str,
    reasons: list[str],
    note: str,
    actor: str,
    officer_id: int | None,
    now: datetime,
) -> OfficerWithdrawal:
    """Seal a withdrawal an officer took (status AWAITING_VICTIM, due in 14 days) and ask
    the victim to confirm it, in their language and on the channels they allow.

    The caller has checked `actor` may act on `case` (a member of staff through
    `police_case`, or a police record system through its API key). `officer_id` is the
    officer who took it (for the API, usually the officer in charge)."""
    victim = next((v for v in access.victims_of_case(session, case.id) if v.id == victim_id), None)
    errors = {} if victim else {"victim_id": lazy_gettext("Choose a victim of this case.")}
    try:
        evidence, codes, clean = _officer_fields(evidence_type, evidence_reference, reasons, note)
    except InvalidInput as invalid:
        errors.update(invalid.errors)
    if errors:
        raise _refused(session, actor, case.id, "withdrawal.record", InvalidInput(errors))
    latest = session.exec(
        select(WithdrawalRequest)
        .where(WithdrawalRequest.case_id == case.id, WithdrawalRequest.victim_id == victim.id)
        .order_by(WithdrawalRequest.version.desc())
        .limit(1)
    ).first()
    if latest is not None and latest.content_hash and latest.status in STANDING:
        stands = Conflict(
            lazy_gettext("This victim already has a withdrawal record on this case that stands.")
        )
        raise _refused(session, actor, case.id, "withdrawal.record", stands)
    request = WithdrawalRequest(
        case_id=case.id,
        victim_id=victim.id,
        version=latest.version + 1 if latest else 1,
        supersedes_id=latest.id if latest else None,
        reasons=codes,
        answers={WithdrawalAnswer.OFFICER_NOTE: clean},
        locale=victim.locale,
        submitted_by=f"officer:{officer_id}" if officer_id else actor,
        evidence_reference=evidence,
        confirmation_due_at=now + CONFIRMATION_WINDOW,
        created_at=now,
    )
    session.add(request)
    session.flush()
    withdrawal.seal(session, request, status=WithdrawalStatus.AWAITING_VICTIM, actor=actor, now=now)
    rows = [
        {
            **notification_row(
                message,
                case_id=case.id,
                event_id=None,
                template_key=WITHDRAWAL_CONFIRM,
                params={"withdrawal_id": request.id},
                idempotency_key=f"withdrawal:{request.id}:confirm:{message.channel}",
                now=now,
            ),
            # The question is about this record: an SMS answer is tied to it.
            "withdrawal_id": request.id,
        }
        for message in plan_messages(
            session, case, WITHDRAWAL_CONFIRM, {}, now=now, victims=[victim]
        )
    ]
    queued = insert_notifications(session, rows)
    audit.record(
        session,
        actor=actor,
        action="withdrawal.confirmation_requested",
        subject=f"case:{case.id}",
        details={"withdrawal_id": request.id, "notifications": queued},
    )
    session.flush()
    return OfficerWithdrawal(request, queued)


def case_records(session: Session, case_id: int) -> list[WithdrawalRequest]:
    """The newest version of each victim's withdrawal on a case (for the case page)."""
    return sorted(withdrawal.latest_versions(session, case_id), key=lambda r: r.victim_id)
