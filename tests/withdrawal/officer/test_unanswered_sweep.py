"""No answer within 14 days: the record is disputed and the supervisor told, once."""

from datetime import timedelta

from sqlmodel import Session

from jobs import SCHEDULE, run_once
from portal.models import WithdrawalRequest
from portal.models.base import utcnow
from portal.services import withdrawal
from portal.services.withdrawal_confirmation import flag_unanswered
from tests.people import audit_events

from .records import alerts, officer_recorded


def test_the_sweep_flags_an_unanswered_record_once(app, session, world):
    start = utcnow()
    recorded = officer_recorded(session, world, now=start)
    assert flag_unanswered(session, now=start + timedelta(days=13, hours=23)) == 0
    assert alerts(session) == []
    later = start + timedelta(days=14, minutes=1)
    assert flag_unanswered(session, now=later) == 1
    session.commit()
    assert flag_unanswered(session, now=later + timedelta(hours=1)) == 0
    session.commit()
    (alert,) = alerts(session)
    assert (alert.kind, alert.staff_id, alert.case_id) == (
        "withdrawal_unanswered",
        world.staff["supervisor_north"].id,
        world.case_a.id,
    )
    record = session.get(WithdrawalRequest, recorded.request.id)
    assert record.status == "disputed" and withdrawal.check_seal(session, record).intact
    assert [e.details for e in audit_events(session, "withdrawal.unanswered")] == [
        {"withdrawal_id": record.id}
    ]


def test_the_scheduled_job_runs_the_sweep(app, world):
    assert "withdrawal_confirmations" in {job_id for job_id, *_ in SCHEDULE}
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        recorded = officer_recorded(session, world, now=utcnow() - timedelta(days=15))
    assert run_once(app)["withdrawal_confirmations"] == 1
    assert run_once(app)["withdrawal_confirmations"] == 0
    with Session(app.extensions["db_engine"]) as session:
        assert session.get(WithdrawalRequest, recorded.request.id).status == "disputed"
        assert len(alerts(session)) == 1
