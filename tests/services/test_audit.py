"""The audit trail proves itself: editing or deleting a past row is detected."""

import sqlalchemy as sa
from sqlmodel import select

from portal.models import AuditEvent
from portal.services import audit


def _three_events(session):
    for action in ("victim.view", "victim.update", "case.export"):
        audit.record(
            session,
            actor="staff:1",
            action=action,
            subject="victim:7",
            on_behalf_of=None,
            reason="test",
            details={"field": "locale"},
        )
    session.commit()


def test_events_chain_to_each_other(session):
    _three_events(session)
    events = session.exec(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == audit.GENESIS_HASH
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    report = audit.verify(session)
    assert report.ok and report.checked == 3


def test_editing_a_past_row_is_detected(session):
    _three_events(session)
    session.execute(sa.update(AuditEvent).where(AuditEvent.seq == 2).values(actor="staff:99"))
    session.commit()
    report = audit.verify(session)
    assert not report.ok and report.broken_at_seq == 2
    assert "changed" in report.problem


def test_editing_and_rehashing_a_row_breaks_the_next_link(session):
    _three_events(session)
    session.execute(sa.update(AuditEvent).where(AuditEvent.seq == 2).values(hash="f" * 64))
    session.commit()
    report = audit.verify(session)
    assert not report.ok and report.broken_at_seq == 2


def test_deleting_a_past_row_is_detected(session):
    _three_events(session)
    session.execute(sa.delete(AuditEvent).where(AuditEvent.seq == 2))
    session.commit()
    report = audit.verify(session)
    assert not report.ok and report.broken_at_seq == 2
    assert "missing" in report.problem


def test_trail_for_a_subject_is_newest_first(session):
    _three_events(session)
    audit.record(session, actor="staff:2", action="case.view", subject="case:3")
    trail = audit.trail_for(session, "victim:7")
    assert [e.action for e in trail] == ["case.export", "victim.update", "victim.view"]


def test_cli_verify_reports_the_first_broken_link(app, session):
    _three_events(session)
    cli = app.test_cli_runner()
    intact = cli.invoke(args=["audit", "verify"])
    assert intact.exit_code == 0 and "intact: 3 events" in intact.output
    session.execute(sa.update(AuditEvent).where(AuditEvent.seq == 3).values(reason="edited"))
    session.commit()
    broken = cli.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert "BROKEN at event 3" in broken.output
