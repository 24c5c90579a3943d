"""Closing a case with a Home Office outcome code.

Outcomes 14 and 16 ("victim does not support further action") are refused unless the
victim confirmed a withdrawal that still stands (`withdrawal.confirmed_record`): an audit
found 197 of 334 such closures with no record that the victim ever withdrew. The closure
links that record (`Case.closing_withdrawal_id`) and the audit event carries its content
hash. Every other outcome closes normally.

Refusals are exceptions whose `message` is shown to staff and returned by the API
(`POST /api/v1/cases/{crime_reference}/outcome`: NoWithdrawalRecord and AlreadyClosed are
409, UnknownOutcome is 422). A refusal is audited in the caller's transaction: commit it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext
from sqlmodel import Session

from portal.models import Case, WithdrawalRequest

from . import audit, withdrawal

#: Home Office outcome codes (crime outcomes framework), with a short label for staff.
OUTCOMES = {
    "1": lazy_gettext("Charge or summons"),
    "1A": lazy_gettext("Charge or summons: alternative offence"),
    "2": lazy_gettext("Caution: youth"),
    "3": lazy_gettext("Caution: adult"),
    "4": lazy_gettext("Taken into consideration"),
    "5": lazy_gettext("The offender has died"),
    "6": lazy_gettext("Penalty notice for disorder"),
    "7": lazy_gettext("Cannabis or khat warning"),
    "8": lazy_gettext("Community resolution"),
    "9": lazy_gettext("Prosecution not in the public interest (CPS)"),
    "10": lazy_gettext("Formal action not in the public interest (police)"),
    "11": lazy_gettext("Prosecution prevented: suspect below the age of criminal responsibility"),
    "12": lazy_gettext("Prosecution prevented: suspect too ill"),
    "13": lazy_gettext("Prosecution prevented: victim or key witness dead or too ill"),
    "14": lazy_gettext("Evidential difficulties: suspect not identified; victim does not support"),
    "15": lazy_gettext("Evidential difficulties: suspect identified; victim supports action"),
    "16": lazy_gettext("Evidential difficulties: suspect identified; victim does not support"),
    "17": lazy_gettext("Prosecution time limit expired"),
    "18": lazy_gettext("Investigation complete: no suspect identified"),
    "20": lazy_gettext("Further action by another body or agency"),
    "21": lazy_gettext("Further investigation not in the public interest"),
    "22": lazy_gettext("Diversionary, educational or intervention activity"),
}
#: "Victim does not support further action": allowed only on a confirmed withdrawal.
VICTIM_DOES_NOT_SUPPORT = frozenset({"14", "16"})


class ClosureError(Exception):
    """A refused closure. `message` is shown to staff and returned by the API."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


class UnknownOutcome(ClosureError):
    def __init__(self) -> None:
        super().__init__(lazy_gettext("Choose a Home Office outcome code from the list."))


class AlreadyClosed(ClosureError):
    def __init__(self) -> None:
        super().__init__(lazy_gettext("This case is already closed."))


class NoWithdrawalRecord(ClosureError):
    def __init__(self, code: str) -> None:
        super().__init__(
            lazy_gettext(
                "Outcome %(code)s (victim does not support) needs a withdrawal the victim "
                "confirmed. This case has none that stands: it may be missing, waiting for "
                "the victim's answer, disputed or taken back.",
                code=code,
            )
        )


@dataclass(frozen=True)
class Closure:
    case: Case
    code: str
    #: The confirmed record an outcome 14/16 closure rests on.
    withdrawal: WithdrawalRequest | None


def close_case(session: Session, case: Case, code: str, *, actor: str, now: datetime) -> Closure:
    """Close `case` with outcome `code` (the caller checked `actor` may), or raise."""
    code = (code or "").strip().upper()
    if code not in OUTCOMES:
        raise UnknownOutcome()
    if case.closed_at is not None:
        raise AlreadyClosed()
    record = None
    if code in VICTIM_DOES_NOT_SUPPORT:
        record = withdrawal.confirmed_record(session, case.id)
        if record is None:
            audit.record(
                session,
                actor=actor,
                action="case.close_refused",
                subject=f"case:{case.id}",
                details={"outcome": code, "why": "no_confirmed_withdrawal"},
            )
            raise NoWithdrawalRecord(code)
    case.outcome_code = code
    case.closed_at = now
    case.closing_withdrawal_id = record.id if record else None
    session.add(case)
    audit.record(
        session,
        actor=actor,
        action="case.closed",
        subject=f"case:{case.id}",
        details={
            "outcome": code,
            "withdrawal_id": record.id if record else None,
            "withdrawal_hash": record.content_hash if record else None,
        },
    )
    session.flush()
    return Closure(case, code, record)
