"""A hand-made set of withdrawals whose figures were counted by hand (see EXPECTED_*)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from portal.models import (
    Case,
    CaseVictim,
    ServiceRecoveryRequest,
    Victim,
    WithdrawalRequest,
    WithdrawalStatus,
)
from portal.services import withdrawal
from portal.services.case_outcome import close_case

REPORTED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

EXPECTED_ALL = {
    "withdrawals": 4,
    "by_reason": {"move_on": 3, "process_too_long": 1, "pressure": 1, "fear_of_offender": 1},
    "by_category": {"Burglary": 1, "Assault": 2, "Robbery": 1},
    "by_area": {"North": 2, "South": 2},
    "by_time": [
        ("same_day", 1),
        ("within_4_weeks", 1),
        ("4_to_12_weeks", 1),
        ("over_12_weeks", 1),
    ],
    "by_status": {
        "confirmed": 3,
        "acknowledged": 1,
        "awaiting_victim": 1,
        "rescinded": 1,
        "disputed": 1,
    },
    "asks": 5,
    "asks_by_outcome": {"stayed": 3, "withdrew": 1, "open": 1},
    "victims_stayed": 2,
    "closures_with_record": 1,
    "closures_without_record": 2,
}
EXPECTED_NORTH = {
    "withdrawals": 2,
    "by_reason": {"move_on": 2, "process_too_long": 1, "pressure": 1},
    "by_category": {"Burglary": 1, "Assault": 1},
    "by_area": {"North": 2},
    "by_time": [
        ("same_day", 1),
        ("within_4_weeks", 1),
        ("4_to_12_weeks", 0),
        ("over_12_weeks", 0),
    ],
    "by_status": {
        "confirmed": 1,
        "acknowledged": 1,
        "awaiting_victim": 1,
        "rescinded": 1,
        "disputed": 1,
    },
    "asks": 3,
    "asks_by_outcome": {"stayed": 1, "withdrew": 1, "open": 1},
    "victims_stayed": 1,
    "closures_with_record": 0,
    "closures_without_record": 1,
}


def _case(session: Session, reference: str, area: str, category: str) -> tuple[Case, Victim]:
    case = Case(
        crime_reference=reference,
        force="F",
        area=area,
        crime_category=category,
        reported_at=REPORTED,
    )
    victim = Victim(name=f"Victim {reference}", locale="en")
    session.add_all([case, victim])
    session.flush()
    session.add(CaseVictim(case_id=case.id, victim_id=victim.id))
    return case, victim


def _sealed(session, case, victim, reasons, *, after, sealed_as, then=None, version=1):
    request = WithdrawalRequest(
        case_id=case.id, victim_id=victim.id, version=version, reasons=reasons
    )
    session.add(request)
    session.flush()
    at = REPORTED + after
    withdrawal.seal(session, request, status=sealed_as, actor="test", now=at)
    if then is not None:
        withdrawal.move_status(session, request, then, actor="test", now=at)


def _ask(session, case, victim, outcome):
    session.add(
        ServiceRecoveryRequest(
            case_id=case.id, victim_id=victim.id, offers=["callback"], outcome=outcome
        )
    )


def load(session: Session) -> None:
    s = WithdrawalStatus
    n1, v1 = _case(session, "N/1", "North", "Burglary")
    n2, v2 = _case(session, "N/2", "North", "Assault")
    n3, v3 = _case(session, "N/3", "North", "Assault")
    n4, v4 = _case(session, "N/4", "North", "Assault")
    n5, _ = _case(session, "N/5", "North", "Assault")
    n6, _ = _case(session, "N/6", "North", "Theft")
    n7, v7 = _case(session, "N/7", "North", "Assault")
    s1, v5 = _case(session, "S/1", "South", "Robbery")
    s2, v6 = _case(session, "S/2", "South", "Assault")
    s3, _ = _case(session, "S/3", "South", "Burglary")
    day = timedelta(days=1)
    _sealed(session, n1, v1, ["move_on", "process_too_long"], after=day / 12, sealed_as=s.CONFIRMED)
    _sealed(
        session,
        n2,
        v2,
        ["move_on", "pressure"],
        after=10 * day,
        sealed_as=s.CONFIRMED,
        then=s.ACKNOWLEDGED,
    )
    _sealed(session, n3, v3, ["court_fear"], after=3 * day, sealed_as=s.AWAITING_VICTIM)
    _sealed(session, n4, v4, ["move_on"], after=30 * day, sealed_as=s.CONFIRMED)
    _sealed(session, n4, v4, ["move_on"], after=31 * day, sealed_as=s.RESCINDED, version=2)
    _sealed(
        session,
        n7,
        v7,
        ["move_on"],
        after=5 * day,
        sealed_as=s.AWAITING_VICTIM,
        then=s.DISPUTED,
    )
    _sealed(session, s1, v5, ["fear_of_offender"], after=50 * day, sealed_as=s.CONFIRMED)
    _sealed(session, s2, v6, ["move_on"], after=100 * day, sealed_as=s.CONFIRMED)
    # An unsealed draft counts for nothing.
    session.add(WithdrawalRequest(case_id=n6.id, victim_id=v1.id, reasons=["other"]))
    _ask(session, n1, v1, "stayed")
    _ask(session, n2, v2, "withdrew")
    _ask(session, n3, v3, None)
    _ask(session, s1, v5, "stayed")
    _ask(session, s1, v5, "stayed")
    session.flush()
    close_case(session, s2, "16", actor="test", now=REPORTED + 101 * day)
    close_case(session, n6, "18", actor="test", now=REPORTED + 5 * day)
    # Closed as "victim does not support" before the rule existed: no record linked.
    for legacy, code in ((s3, "14"), (n5, "16")):
        legacy.outcome_code, legacy.closed_at = code, REPORTED + 7 * day
        session.add(legacy)
    session.commit()


def as_expected(figures) -> dict:
    """The figures in the shape of EXPECTED_* (grouped counts as dicts, order aside)."""
    return {
        "withdrawals": figures.withdrawals,
        "by_reason": dict(figures.by_reason),
        "by_category": dict(figures.by_category),
        "by_area": dict(figures.by_area),
        "by_time": figures.by_time,
        "by_status": dict(figures.by_status),
        "asks": figures.asks,
        "asks_by_outcome": dict(figures.asks_by_outcome),
        "victims_stayed": figures.victims_stayed,
        "closures_with_record": figures.closures_with_record,
        "closures_without_record": figures.closures_without_record,
    }
