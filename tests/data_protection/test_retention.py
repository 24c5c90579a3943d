"""The nightly retention sweep removes what is past its period, keeps the rest, and is
itself in the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from jobs import run_once
from portal.models import (
    AuditEvent,
    AuthSession,
    Notification,
    NotificationStatus,
    SignInChallenge,
    Victim,
    WithdrawalRequest,
)
from portal.services import audit, retention
from tests.data_protection.records import NOW, message, sealed_withdrawal
from tests.support.apps import make_app

DAYS = make_app().config["RETENTION_DAYS"]


def test_old_message_text_is_removed_but_the_fact_of_sending_is_kept(session, world):
    old = message(world, age_days=100, body="Suspect charged with assault")
    recent = message(world, age_days=10, body="Court date set")
    stuck = message(world, age_days=200, status=NotificationStatus.QUEUED, body="Queued")
    session.add_all([old, recent, stuck])
    session.commit()

    counts = retention.run(session, days=DAYS, now=NOW)
    session.commit()
    session.expire_all()

    assert counts["message_text"] == 1
    assert old.body == "" and old.params == {} and old.content_removed_at is not None
    assert old.status == NotificationStatus.DELIVERED and old.delivered_at is not None
    assert recent.body == "Court date set"
    assert stuck.body == "Queued"


def test_expired_codes_and_old_sessions_are_deleted(session, world):
    session.add_all(
        [
            SignInChallenge(
                token_hash="a" * 64, channel="sms", code_hash="x" * 64,
                expires_at=NOW - timedelta(days=8),
            ),
            SignInChallenge(
                token_hash="b" * 64, channel="sms", code_hash="x" * 64,
                expires_at=NOW - timedelta(hours=1),
            ),
            AuthSession(
                token_hash="c" * 64, principal_kind="victim", principal_id=world.victim_a.id,
                last_seen_at=NOW - timedelta(days=31),
            ),
            AuthSession(
                token_hash="d" * 64, principal_kind="victim", principal_id=world.victim_a.id,
                last_seen_at=NOW - timedelta(minutes=5),
            ),
        ]
    )  # fmt: skip
    session.commit()

    counts = retention.run(session, days=DAYS, now=NOW)
    session.commit()

    assert counts["sign_in_codes"] == 1 and counts["sessions"] == 1
    assert [c.token_hash[0] for c in session.exec(select(SignInChallenge))] == ["b"]
    assert [s.token_hash[0] for s in session.exec(select(AuthSession))] == ["d"]


def test_contacts_go_years_after_closure_but_a_sealed_withdrawal_stays(session, world):
    world.case_a.closed_at = NOW - timedelta(days=DAYS["closed_case_contacts"] + 1)
    world.case_a.outcome_code = "16"
    record = sealed_withdrawal(session, world)
    session.add(message(world, age_days=1, body="Recent"))
    session.commit()

    counts = retention.run(session, days=DAYS, now=NOW)
    session.commit()
    session.expire_all()

    assert counts["closed_case_contacts"] == 1
    victim_a = session.get(Victim, world.victim_a.id)
    assert victim_a.name == "" and victim_a.phone_e164 is None and victim_a.email is None
    assert victim_a.anonymised_at is not None
    assert session.get(Victim, world.victim_b.id).name == "Victim B"  # case still open
    assert session.get(WithdrawalRequest, record.id).own_words == "Chcę żyć dalej"
    assert all(n.to_address == "" and n.body == "" for n in session.exec(select(Notification)))


def test_each_run_is_audited_with_its_counts_and_the_chain_holds(session, world):
    session.add(message(world, age_days=100))
    session.commit()
    retention.run(session, days=DAYS, now=NOW)
    session.commit()
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "retention.run")).one()
    assert event.actor == "system:retention" and event.details["message_text"] == 1
    assert audit.verify(session).ok


def test_periods_are_configurable_and_the_scheduler_runs_the_sweep(tmp_path):
    from sqlmodel import Session, SQLModel

    from tests.people import build_world

    app = make_app(
        DATABASE_URL=f"sqlite:///{tmp_path / 'r.sqlite3'}",
        RETENTION_DAYS={**DAYS, "message_text": 5},
    )
    engine = app.extensions["db_engine"]
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        world = build_world(session)
        session.add(message(world, age_days=6))
        session.commit()
    assert run_once(app)["retention"] == 1
    with Session(engine) as session:
        assert session.exec(select(Notification)).one().body == ""
    engine.dispose()


@pytest.mark.postgres
def test_the_sweep_runs_on_postgresql(postgres_url):
    from sqlmodel import Session, SQLModel

    from tests.people import build_world

    engine = sa.create_engine(postgres_url)
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        world = build_world(session)
        world.case_a.closed_at = NOW - timedelta(days=DAYS["closed_case_contacts"] + 1)
        sealed_withdrawal(session, world)
        session.add(message(world, age_days=100))
        session.commit()
        counts = retention.run(session, days=DAYS, now=NOW)
        session.commit()
        assert counts["message_text"] == 1 and counts["closed_case_contacts"] == 1
        assert audit.verify(session).ok
    engine.dispose()
