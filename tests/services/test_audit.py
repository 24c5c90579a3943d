"""Appending to the audit trail, and `flask audit verify` over the whole log."""

import sqlalchemy as sa
from sqlmodel import select

from jobs.sweeps import sequence_audit
from portal.models import AuditCheckpoint, AuditEvent
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


def test_an_append_is_a_plain_insert_hashed_at_once_and_sequenced_later(app, session):
    _three_events(session)
    events = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.log_index for e in events] == [None, None, None]
    assert all(e.entry_hash == audit.entry_hash(e) for e in events)
    assert sequence_audit(app) == 3
    session.expire_all()
    events = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.log_index for e in events] == [0, 1, 2]
    checkpoint = audit.latest_checkpoint(session)
    assert checkpoint.tree_size == 3
    assert app.extensions["audit_key"].verifier.open(checkpoint.note).tree_size == 3
    assert sequence_audit(app) == 0  # nothing new: no new checkpoint
    assert session.exec(select(sa.func.count()).select_from(AuditCheckpoint)).one() == 1


def test_an_entry_rolled_back_with_its_transaction_never_reaches_the_log(app, session):
    audit.record(session, actor="staff:1", action="victim.view", subject="victim:7")
    session.rollback()
    assert sequence_audit(app) == 0
    assert session.exec(select(AuditEvent)).all() == []


def test_trail_for_a_subject_is_newest_first(session):
    _three_events(session)
    audit.record(session, actor="staff:2", action="case.view", subject="case:3")
    trail = audit.trail_for(session, "victim:7")
    assert [e.action for e in trail] == ["case.export", "victim.update", "victim.view"]


def test_cli_verify_reports_the_first_entry_that_differs(app, session, tmp_path):
    app.config["AUDIT_WITNESS_DIR"] = str(tmp_path / "witness")
    _three_events(session)
    sequence_audit(app)
    cli = app.test_cli_runner()
    intact = cli.invoke(args=["audit", "verify"])
    assert intact.exit_code == 0, intact.output
    assert "intact: 3 entries, 1 checkpoints in the database, 1 held by witnesses" in intact.output
    session.execute(sa.update(AuditEvent).where(AuditEvent.log_index == 2).values(reason="x"))
    session.commit()
    broken = cli.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert "BROKEN at entry 2: entry 2 was changed after it was written" in broken.output


def test_cli_verify_reads_a_witness_file_an_auditor_kept(app, session, tmp_path):
    kept = tmp_path / "kept"
    app.config["AUDIT_WITNESS_DIR"] = str(kept)
    _three_events(session)
    sequence_audit(app)
    app.config["AUDIT_WITNESS_DIR"] = ""  # the portal's own witness is gone
    session.execute(sa.delete(AuditEvent).where(AuditEvent.log_index == 2))
    session.execute(sa.delete(AuditCheckpoint))
    session.commit()
    cli = app.test_cli_runner()
    assert cli.invoke(args=["audit", "verify"]).exit_code == 0  # nothing to hold it against
    broken = cli.invoke(args=["audit", "verify", "--witness", str(kept / "checkpoints.log")])
    assert broken.exit_code == 1
    assert "BROKEN at entry 2" in broken.output and "rolled back" in broken.output


def test_cli_prints_the_verifier_key(app):
    result = app.test_cli_runner().invoke(args=["audit", "public-key"])
    assert result.output.strip() == app.extensions["audit_key"].verifier.text()
    assert "PRIVATE" not in result.output


def test_an_entry_edited_while_it_waits_for_the_sequencer_is_reported(session):
    _three_events(session)
    session.execute(
        sa.update(AuditEvent).where(AuditEvent.action == "case.export").values(actor="x")
    )
    session.commit()
    report = audit.verify(session)
    assert report.waiting == 3 and [p.kind for p in report.problems] == ["edited"]


def test_cli_makes_a_new_key_the_app_can_start_with(app):
    from tests.support.apps import make_app

    cli = app.test_cli_runner()
    text = cli.invoke(args=["audit", "new-key", "victims.example.org/audit"]).output.strip()
    started = make_app(AUDIT_SIGNING_KEY=text)
    assert started.extensions["audit_key"].name == "victims.example.org/audit"
    assert cli.invoke(args=["audit", "new-key", "a name with spaces"]).exit_code == 1
