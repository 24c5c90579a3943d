"""The victim's withdrawal flow, also walked by an ISVA on the victim's behalf: a draft saved
step by step, help offered before anything is final, confirmation into a sealed record,
the statement export, and a change of mind within 28 days recorded as a new version.

Sealing, hashing and the safeguarding rule live in `withdrawal`; this module decides what
each step may do to a draft, when a step may be shown, and who is told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from portal.models import (
    CONFIRMED_STATUSES,
    Case,
    CaseVictim,
    ServiceRecoveryRequest,
    StaffAlert,
    WithdrawalAnswer,
    WithdrawalRequest,
    WithdrawalStatus,
)
from portal.services import audit, withdrawal
from portal.services.alerts import raise_alert, supervisor_for_area

#: The steps in order. "about" explains; "help" offers what could help; "check" confirms.
STEPS = ("about", "reasons", "safety", "wishes", "help", "check")
#: The answers each question step owns (a step's save replaces exactly these).
STEP_ANSWERS: dict[str, tuple[WithdrawalAnswer, ...]] = {
    "safety": (
        WithdrawalAnswer.PRESSURE,
        WithdrawalAnswer.SAFE_TO_CONTACT,
        WithdrawalAnswer.SAFE_CONTACT_CHANNEL,
        WithdrawalAnswer.SAFE_CONTACT_HOURS,
    ),
    "wishes": (
        WithdrawalAnswer.SUPPORT_NOW,
        WithdrawalAnswer.EVIDENCE_LED,
        WithdrawalAnswer.KEEP_UPDATES,
        WithdrawalAnswer.UPDATE_CHANNELS,
        WithdrawalAnswer.TALK_FIRST,
    ),
}
#: The answers without which a step is not done (the others depend on an earlier answer).
REQUIRED_ANSWERS: dict[str, tuple[WithdrawalAnswer, ...]] = {
    "safety": (WithdrawalAnswer.PRESSURE, WithdrawalAnswer.SAFE_TO_CONTACT),
    "wishes": (
        WithdrawalAnswer.SUPPORT_NOW,
        WithdrawalAnswer.EVIDENCE_LED,
        WithdrawalAnswer.KEEP_UPDATES,
        WithdrawalAnswer.TALK_FIRST,
    ),
}
#: How it is safe to contact the victim (WithdrawalAnswer.SAFE_CONTACT_CHANNEL).
SAFE_CONTACT_CHANNELS = ("call", "sms", "email", "isva")
#: How they want updates (WithdrawalAnswer.UPDATE_CHANNELS).
UPDATE_CHANNELS = ("sms", "email")
#: Their own words are bounded so a record stays readable and storable.
OWN_WORDS_MAX = 2000
NOTE_MAX = 1000
#: A confirmed withdrawal can be taken back by the victim for this long (issue #6).
RESCIND_WINDOW = timedelta(days=28)
#: Sealed statuses after which the victim may start again.
_STARTS_AGAIN = (WithdrawalStatus.RESCINDED, WithdrawalStatus.DISPUTED)


@dataclass(frozen=True)
class Acting:
    """Who is answering: the victim, or an ISVA on the victim's behalf."""

    #: The audit actor: "victim:<id>" or "staff:<id>".
    actor: str
    #: "victim:<id>" when an ISVA acts for them.
    on_behalf_of: str | None
    #: What the record says: "victim" or "isva:<id>".
    submitted_by: str

    @classmethod
    def victim(cls, victim_id: int) -> Acting:
        return cls(f"victim:{victim_id}", None, "victim")

    @classmethod
    def isva(cls, isva_id: int, victim_id: int) -> Acting:
        return cls(f"staff:{isva_id}", f"victim:{victim_id}", f"isva:{isva_id}")


def _audit(session: Session, acting: Acting, action: str, subject: str, **details: Any) -> None:
    """Audit what was done to the victim's record, by whom and on whose behalf."""
    audit.record(
        session,
        actor=acting.actor,
        on_behalf_of=acting.on_behalf_of,
        action=action,
        subject=subject,
        details=details,
    )


def record_reference(record: WithdrawalRequest) -> str:
    """The reference a victim or officer quotes for one version of a record."""
    return f"WR-{record.id:06d}-{record.version}"


def latest(session: Session, case_id: int, victim_id: int) -> WithdrawalRequest | None:
    """The victim's newest version on this case: a draft, or the record in force."""
    return session.exec(
        select(WithdrawalRequest)
        .where(WithdrawalRequest.case_id == case_id, WithdrawalRequest.victim_id == victim_id)
        .order_by(WithdrawalRequest.version.desc())
        .limit(1)
    ).first()


def cases_of(session: Session, victim_id: int) -> list[Case]:
    """The cases this victim is a victim in (a withdrawal is always about one of them)."""
    return list(
        session.exec(
            select(Case)
            .join(CaseVictim, CaseVictim.case_id == Case.id)
            .where(CaseVictim.victim_id == victim_id)
            .order_by(Case.id.desc())
        ).all()
    )


@dataclass(frozen=True)
class Summary:
    """Where a victim's withdrawal on one case stands, for My case and the receipt."""

    record: WithdrawalRequest
    reference: str
    #: Until when a confirmed record can be taken back (None unless one is in force).
    rescind_until: datetime | None
    rescindable: bool


def summary_of(record: WithdrawalRequest | None, now: datetime) -> Summary | None:
    if record is None:
        return None
    until = rescind_until(record) if in_force(record) else None
    return Summary(record, record_reference(record), until, may_rescind(record, now))


def summaries(
    session: Session, victim_id: int, case_ids: list[int], *, now: datetime
) -> dict[int, Summary]:
    """The victim's newest version on each of these cases, in one query (for My case)."""
    if not case_ids:
        return {}
    rows = withdrawal.newest_versions(
        session, WithdrawalRequest.victim_id == victim_id, WithdrawalRequest.case_id.in_(case_ids)
    )
    return {row.case_id: summary_of(row, now) for row in rows}


def _locked_latest(session: Session, case_id: int, victim_id: int) -> WithdrawalRequest | None:
    """The newest version, row-locked until the transaction ends (PostgreSQL), read afresh.
    A second submit waits here and then sees what the first one did."""
    return session.exec(
        select(WithdrawalRequest)
        .where(WithdrawalRequest.case_id == case_id, WithdrawalRequest.victim_id == victim_id)
        .order_by(WithdrawalRequest.version.desc())
        .limit(1)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()


def is_draft(record: WithdrawalRequest | None) -> bool:
    return record is not None and record.content_hash is None


def in_force(record: WithdrawalRequest | None) -> bool:
    """A sealed withdrawal the victim confirmed and has not taken back."""
    return (
        record is not None
        and record.content_hash is not None
        and record.status in CONFIRMED_STATUSES
    )


def may_start(current: WithdrawalRequest | None) -> bool:
    """Whether the victim can (go on to) answer the steps: nothing yet, a draft open, or
    the last record taken back or disputed. Not while a withdrawal is in force or an
    officer's record waits for the victim's answer."""
    return current is None or is_draft(current) or current.status in _STARTS_AGAIN


def _done(draft: WithdrawalRequest, step: str) -> bool:
    if step == "reasons":
        return bool(draft.reasons)
    if step in REQUIRED_ANSWERS:
        return all(key in draft.answers for key in REQUIRED_ANSWERS[step])
    if step == "help":
        return draft.current_step == "check"
    return True


def step_to_show(draft: WithdrawalRequest | None, step: str) -> str:
    """`step` when every step before it is done, otherwise the first one that is not:
    nobody reaches "check" (or confirms) without having been offered help first."""
    if draft is None:
        return "about"
    for earlier in STEPS[1 : STEPS.index(step)]:
        if not _done(draft, earlier):
            return earlier
    return step


def resume_step(draft: WithdrawalRequest) -> str:
    """Where a victim coming back carries on: the step they were about to answer."""
    return step_to_show(draft, draft.current_step or "reasons")


def next_step(step: str) -> str:
    return STEPS[min(STEPS.index(step) + 1, len(STEPS) - 1)]


def start(
    session: Session, case_id: int, victim_id: int, *, locale: str, acting: Acting, now: datetime
) -> WithdrawalRequest | None:
    """The draft to carry on with: the open one, or a new version when there is none.
    None while a withdrawal is in force or waiting for the victim's answer (nothing to
    start). Two tabs starting at once: the (case, victim, version) key lets one insert."""
    current = latest(session, case_id, victim_id)
    if is_draft(current):
        return current
    if not may_start(current):
        return None
    draft = WithdrawalRequest(
        case_id=case_id,
        victim_id=victim_id,
        version=(current.version + 1) if current else 1,
        locale=locale,
        submitted_by=acting.submitted_by,
        current_step="reasons",
        status_history=[
            {"status": WithdrawalStatus.DRAFT, "at": now.isoformat(), "by": acting.actor}
        ],
        created_at=now,
        updated_at=now,
    )
    session.add(draft)
    session.flush()
    _audit(
        session,
        acting,
        "withdrawal.draft.started",
        f"withdrawal:{draft.id}",
        case_id=case_id,
        version=draft.version,
    )
    return draft


def _saved(
    session: Session,
    draft: WithdrawalRequest,
    step: str,
    *,
    acting: Acting,
    now: datetime,
    then: str,
) -> None:
    draft.current_step = then
    draft.safeguarding_flag = withdrawal.needs_safeguarding(draft.reasons, draft.answers)
    draft.updated_at = now
    session.add(draft)
    _audit(session, acting, "withdrawal.step.saved", f"withdrawal:{draft.id}", step=step, next=then)


def save_reasons(
    session: Session,
    draft: WithdrawalRequest,
    reasons: list[str],
    own_words: str | None,
    *,
    locale: str,
    acting: Acting,
    now: datetime,
    then: str,
) -> None:
    """Reason codes and the victim's own words, in the language they wrote them in."""
    draft.reasons = sorted(set(reasons))
    draft.own_words = own_words
    draft.locale = locale
    _saved(session, draft, "reasons", acting=acting, now=now, then=then)


def save_answers(
    session: Session,
    draft: WithdrawalRequest,
    step: str,
    answers: dict[str, Any],
    *,
    acting: Acting,
    now: datetime,
    then: str,
) -> None:
    """Replace the answers this step owns (an answer that no longer applies goes)."""
    owned = STEP_ANSWERS[step]
    unknown = set(answers) - set(owned)
    if unknown:
        raise ValueError(f"step {step} does not own {sorted(unknown)}")
    kept = {key: value for key, value in draft.answers.items() if key not in owned}
    draft.answers = {**kept, **answers}
    _saved(session, draft, step, acting=acting, now=now, then=then)
    if reported_pressure(draft):
        # Told at once, not when (or if) they confirm: the victim is promised that the
        # officer and a supervisor know, on the very next page.
        case = session.get(Case, draft.case_id)
        _alert_once(
            session,
            "withdrawal_pressure_reported",
            case,
            draft.victim_id,
            _officer_and_supervisor(session, case),
            str(draft.id),
            now,
        )


def reported_pressure(request: WithdrawalRequest | None) -> bool:
    """This version says someone pressured, threatened or contacted them (withdrawal)."""
    return request is not None and withdrawal.reported_pressure(request.answers)


def pass_help(session: Session, draft: WithdrawalRequest, *, acting: Acting, now: datetime) -> None:
    """They saw what could help and chose none: on to checking their answers."""
    _saved(session, draft, "help", acting=acting, now=now, then="check")


def help_asked(session: Session, draft: WithdrawalRequest) -> list[ServiceRecoveryRequest]:
    """The help asked for during this draft, oldest first."""
    return list(
        session.exec(
            select(ServiceRecoveryRequest)
            .where(ServiceRecoveryRequest.withdrawal_request_id == draft.id)
            .order_by(ServiceRecoveryRequest.id)
        ).all()
    )


def _alert_once(
    session: Session, kind: str, case: Case, victim_id: int, staff_ids: list, key: str, now
) -> None:
    """One alert of `kind` about the record `key` per member of staff, ever."""
    for staff_id in dict.fromkeys(staff_ids):
        raise_alert(
            session,
            kind=kind,
            staff_id=staff_id,
            case_id=case.id,
            victim_id=victim_id,
            dedupe_key=f"{kind}:{key}:{staff_id}",
            now=now,
        )


#: Alerts raised by `ask_for_help`, whose key is the ServiceRecoveryRequest's id.
HELP_ALERTS = ("service_recovery", "service_recovery_safeguarding")


def help_asked_in(session: Session, alerts: list[StaffAlert]) -> dict[int, list[str]]:
    """What the victim asked for, for each help alert among `alerts`: {alert id: offers}."""
    ask_ids = {
        alert.id: int(alert.dedupe_key.split(":")[1])
        for alert in alerts
        if alert.kind in HELP_ALERTS and alert.dedupe_key
    }
    if not ask_ids:
        return {}
    asks = session.exec(
        select(ServiceRecoveryRequest).where(ServiceRecoveryRequest.id.in_(ask_ids.values()))
    ).all()
    offers = {ask.id: ask.offers for ask in asks}
    return {alert_id: offers.get(ask_id, []) for alert_id, ask_id in ask_ids.items()}


def _officer_and_supervisor(session: Session, case: Case) -> list[int | None]:
    return [case.officer_id, supervisor_for_area(session, case.force, case.area)]


def ask_for_help(
    session: Session,
    case: Case,
    victim_id: int,
    offers: list[str],
    note: str | None,
    *,
    locale: str,
    acting: Acting,
    now: datetime,
) -> ServiceRecoveryRequest | None:
    """Help asked for instead of withdrawing: a ServiceRecoveryRequest for the officer, who
    is alerted (and the supervisor too when the answers so far show pressure or fear).
    The draft is kept and marked SERVICE_RECOVERY; nothing is withdrawn. The same ask sent
    twice (a double tap) is recorded once. None when there is no draft any more."""
    draft = _locked_latest(session, case.id, victim_id)
    if not is_draft(draft):
        return None
    offers = sorted(set(offers))
    for earlier in session.exec(
        select(ServiceRecoveryRequest).where(
            ServiceRecoveryRequest.withdrawal_request_id == draft.id,
            ServiceRecoveryRequest.acknowledged_at.is_(None),
        )
    ).all():
        if earlier.offers == offers and earlier.note == note:
            return earlier
    flagged = withdrawal.needs_safeguarding(draft.reasons, draft.answers)
    ask = ServiceRecoveryRequest(
        case_id=case.id,
        victim_id=victim_id,
        withdrawal_request_id=draft.id,
        offers=offers,
        note=note,
        locale=locale,
        safeguarding_flag=flagged,
        submitted_by=acting.submitted_by,
        created_at=now,
    )
    session.add(ask)
    draft.status = WithdrawalStatus.SERVICE_RECOVERY
    draft.status_history = [
        *draft.status_history,
        {"status": WithdrawalStatus.SERVICE_RECOVERY, "at": now.isoformat(), "by": acting.actor},
    ]
    draft.current_step = "check"
    draft.updated_at = now
    session.add(draft)
    session.flush()
    _alert_once(session, "service_recovery", case, victim_id, [case.officer_id], str(ask.id), now)
    if flagged:
        _alert_once(
            session,
            "service_recovery_safeguarding",
            case,
            victim_id,
            _officer_and_supervisor(session, case),
            str(ask.id),
            now,
        )
    _audit(
        session,
        acting,
        "withdrawal.help_asked",
        f"servicerecovery:{ask.id}",
        withdrawal=draft.id,
        offers=offers,
        safeguarding=flagged,
    )
    return ask


def _seal_and_alert(
    session: Session,
    record: WithdrawalRequest,
    case: Case,
    status: WithdrawalStatus,
    kind: str,
    *,
    acting: Acting,
    now: datetime,
) -> None:
    """Seal a version and tell the officer (`kind`); when the record is flagged, tell the
    officer and the area supervisor that someone may be in danger."""
    withdrawal.seal(
        session, record, status=status, actor=acting.actor, on_behalf_of=acting.on_behalf_of,
        now=now,
    )  # fmt: skip
    key = str(record.id)
    _alert_once(session, kind, case, record.victim_id, [case.officer_id], key, now)
    if record.safeguarding_flag:
        safeguarding = _officer_and_supervisor(session, case)
        _alert_once(
            session, "withdrawal_safeguarding", case, record.victim_id, safeguarding, key, now
        )


def confirm(
    session: Session, case: Case, victim_id: int, *, acting: Acting, now: datetime
) -> WithdrawalRequest | None:
    """Seal the draft as the victim's confirmed withdrawal and alert the officer (and, when
    flagged, the officer and the area supervisor). Exactly once: a second submit (another
    tab, a double tap) waits on the row lock, then gets the record the first one sealed.
    None when there is nothing ready to confirm."""
    current = _locked_latest(session, case.id, victim_id)
    if current is None:
        return None
    if current.content_hash is not None:
        return current if in_force(current) else None
    if step_to_show(current, "check") != "check":
        return None
    current.submitted_by = acting.submitted_by
    _seal_and_alert(
        session, current, case, WithdrawalStatus.CONFIRMED, "withdrawal_confirmed",
        acting=acting, now=now,
    )  # fmt: skip
    return current


def rescind_until(record: WithdrawalRequest) -> datetime:
    return record.confirmed_at + RESCIND_WINDOW


def may_rescind(record: WithdrawalRequest | None, now: datetime) -> bool:
    return in_force(record) and now < rescind_until(record)


def rescind(
    session: Session,
    case: Case,
    victim_id: int,
    note: str | None,
    *,
    locale: str,
    acting: Acting,
    now: datetime,
) -> WithdrawalRequest | None:
    """The victim changed their mind within 28 days: a new sealed version (RESCINDED) that
    supersedes the confirmed one, and the officer is told. A second submit gets the same
    new version. None when there is nothing in force to take back, or it is too late."""
    current = _locked_latest(session, case.id, victim_id)
    if current is not None and current.status == WithdrawalStatus.RESCINDED:
        return current
    if not may_rescind(current, now):
        return None
    version = WithdrawalRequest(
        case_id=case.id,
        victim_id=victim_id,
        version=current.version + 1,
        supersedes_id=current.id,
        own_words=note,
        locale=locale,
        submitted_by=acting.submitted_by,
        created_at=now,
    )
    session.add(version)
    session.flush()
    _seal_and_alert(
        session, version, case, WithdrawalStatus.RESCINDED, "withdrawal_rescinded",
        acting=acting, now=now,
    )  # fmt: skip
    return version


def record_statement_export(
    session: Session, record: WithdrawalRequest, *, acting: Acting, refused: bool = False
) -> None:
    """A statement download is an export of the victim's record: audited, as is a refusal
    (discreet mode)."""
    _audit(
        session,
        acting,
        "withdrawal.statement.refused" if refused else "withdrawal.statement.export",
        f"withdrawal:{record.id}",
        case_id=record.case_id,
        version=record.version,
    )
