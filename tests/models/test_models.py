"""Model round trips: what is stored comes back the same, in UTC, with links intact."""

from datetime import UTC, datetime, time, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from portal.models import (
    AdvocateLink,
    Case,
    CaseEvent,
    CaseVictim,
    Notification,
    Role,
    StaffUser,
    Victim,
    WithdrawalRequest,
)


def _case(reference="01/000001/26", **extra):
    return Case(
        crime_reference=reference, force="Met", area="North", crime_category="Burglary", **extra
    )


def test_case_and_victim_many_to_many(session):
    a, b = _case("01/1/26"), _case("01/2/26")
    v1 = Victim(name="A", locale="pt_BR", safe_hours_start=time(9), safe_hours_end=time(17))
    v2 = Victim(name="B", locale="ar", discreet=True)
    session.add_all([a, b, v1, v2])
    session.flush()
    session.add_all(
        [
            CaseVictim(case_id=a.id, victim_id=v1.id),
            CaseVictim(case_id=b.id, victim_id=v1.id),
            CaseVictim(case_id=a.id, victim_id=v2.id),
        ]
    )
    session.commit()
    on_a = session.exec(select(CaseVictim.victim_id).where(CaseVictim.case_id == a.id)).all()
    of_v1 = session.exec(select(CaseVictim.case_id).where(CaseVictim.victim_id == v1.id)).all()
    assert sorted(on_a) == sorted([v1.id, v2.id])
    assert sorted(of_v1) == sorted([a.id, b.id])
    session.expire_all()
    again = session.get(Victim, v1.id)
    assert again.locale == "pt_BR" and again.safe_hours_start == time(9)
    assert again.update_frequency_days == 28


def test_timestamps_come_back_timezone_aware_utc(session):
    paris = timezone(timedelta(hours=1))
    due = datetime(2026, 12, 1, 10, 30, tzinfo=paris)
    case = _case(next_update_due_at=due)
    session.add(case)
    session.commit()
    session.expire_all()
    stored = session.get(Case, case.id)
    assert stored.next_update_due_at == due
    assert stored.next_update_due_at.tzinfo == UTC
    assert stored.created_at.tzinfo == UTC


def test_naive_datetimes_are_refused(session):
    session.add(_case(next_update_due_at=datetime(2026, 12, 1, 10, 30)))  # noqa: DTZ001
    with pytest.raises(sa.exc.StatementError, match="naive"):
        session.commit()


def test_notification_idempotency_key_is_unique(session):
    victim = Victim(name="A")
    session.add(victim)
    session.flush()
    for _ in range(2):
        session.add(
            Notification(
                victim_id=victim.id,
                channel="sms",
                locale="en",
                template_key="t",
                body="b",
                to_address="+447700900001",
                idempotency_key="event-1-sms",
            )
        )
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()


def test_structured_rows_round_trip(session):
    officer = StaffUser(
        email="o@example.org", name="O", role=Role.OFFICER, organisation="Met", password_hash="x"
    )
    isva = StaffUser(
        email="i@example.org", name="I", role=Role.ISVA, organisation="ISVA", password_hash="x"
    )
    case, victim = _case(), Victim(name="V")
    session.add_all([officer, isva, case, victim])
    session.flush()
    event = CaseEvent(
        case_id=case.id,
        type="charged",
        occurred_at=datetime.now(UTC),
        params={"offence": "Assault", "court_date": "2027-01-05"},
    )
    link = AdvocateLink(isva_id=isva.id, victim_id=victim.id, consent_given_via="web")
    withdrawal = WithdrawalRequest(
        case_id=case.id,
        victim_id=victim.id,
        reasons=["fear_of_offender", "no_updates"],
        answers={"pressure": "yes"},
        own_words="Ich habe Angst",
    )
    session.add_all([event, link, withdrawal])
    session.commit()
    session.expire_all()
    assert session.get(CaseEvent, event.id).params["offence"] == "Assault"
    assert session.get(WithdrawalRequest, withdrawal.id).reasons == [
        "fear_of_offender",
        "no_updates",
    ]
    assert session.get(AdvocateLink, link.id).revoked_at is None


def test_case_reference_is_unique(session: Session):
    session.add_all([_case("01/9/26"), _case("01/9/26")])
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()
