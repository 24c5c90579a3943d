"""A confirmed withdrawal cannot be rewritten, and if someone with database rights forces
a change anyway, the hash and the hash-chained audit trail prove what was confirmed."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from portal.models import (
    PressureAnswer,
    WithdrawalAnswer,
    WithdrawalReason,
    WithdrawalRequest,
    WithdrawalStatus,
)
from portal.models.base import utcnow
from portal.services import audit, withdrawal
from tests.people import build_world


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request, app):
    if request.param == "sqlite":
        yield app.extensions["db_engine"]
        return
    url = request.getfixturevalue("postgres_url")
    engine = sa.create_engine(url)
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine):
    with Session(engine, expire_on_commit=False) as session:
        yield session


def _confirmed(db: Session, **answers) -> WithdrawalRequest:
    world = build_world(db)
    request = WithdrawalRequest(
        case_id=world.case_a.id,
        victim_id=world.victim_a.id,
        reasons=[WithdrawalReason.PROCESS_TOO_LONG, WithdrawalReason.MOVE_ON],
        answers=answers,
        own_words="Chcę zapomnieć i żyć dalej.",
        locale="pl",
    )
    db.add(request)
    db.flush()
    withdrawal.seal(db, request, status=WithdrawalStatus.CONFIRMED, actor="victim:1", now=utcnow())
    db.commit()
    return request


def test_sealing_writes_the_hash_into_the_audit_trail(db):
    request = _confirmed(db)
    assert request.content_hash and len(request.content_hash) == 64
    check = withdrawal.check_seal(db, request)
    assert check.intact
    assert audit.verify(db).ok
    assert withdrawal.confirmed_record(db, request.case_id).id == request.id


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE withdrawalrequest SET own_words = 'I was never asked'",
        "UPDATE withdrawalrequest SET reasons = '[\"other\"]'",
        "UPDATE withdrawalrequest SET evidence_reference = 'PNB 12'",
        "DELETE FROM withdrawalrequest",
    ],
)
def test_the_database_refuses_to_change_a_sealed_record(db, change):
    request = _confirmed(db)
    with pytest.raises(sa.exc.DatabaseError, match="sealed withdrawal record"):
        db.execute(sa.text(change))
        db.flush()
    db.rollback()
    db.expire_all()
    assert db.get(WithdrawalRequest, request.id).own_words == "Chcę zapomnieć i żyć dalej."


def test_status_can_move_on_without_touching_the_content(db):
    request = _confirmed(db)
    withdrawal.move_status(
        db, request, WithdrawalStatus.ACKNOWLEDGED, actor="staff:1", now=utcnow()
    )
    db.commit()
    db.expire_all()
    again = db.get(WithdrawalRequest, request.id)
    assert again.status == WithdrawalStatus.ACKNOWLEDGED
    assert withdrawal.check_seal(db, again).intact


def test_a_forced_rewrite_is_detected(db, engine):
    request = _confirmed(db)
    with engine.begin() as connection:  # someone with DDL rights removes the guard first
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("DROP TRIGGER withdrawal_sealed_guard ON withdrawalrequest")
        else:
            connection.exec_driver_sql("DROP TRIGGER withdrawal_sealed_no_update")
        connection.exec_driver_sql("UPDATE withdrawalrequest SET own_words = 'rewritten'")
    db.expire_all()
    check = withdrawal.check_seal(db, db.get(WithdrawalRequest, request.id))
    assert not check.matches_content and not check.matches_audit


def test_drafts_stay_editable_until_sealed(db):
    world = build_world(db)
    draft = WithdrawalRequest(case_id=world.case_a.id, victim_id=world.victim_a.id)
    db.add(draft)
    db.commit()
    draft.reasons = [WithdrawalReason.COURT_FEAR]
    draft.current_step = "questions"
    db.commit()
    db.delete(draft)
    db.commit()


def test_sealing_twice_is_refused(db):
    request = _confirmed(db)
    with pytest.raises(ValueError, match="already sealed"):
        withdrawal.seal(
            db, request, status=WithdrawalStatus.CONFIRMED, actor="victim:1", now=utcnow()
        )


def test_pressure_raises_the_safeguarding_flag(db):
    request = _confirmed(db, **{WithdrawalAnswer.PRESSURE: PressureAnswer.YES})
    assert request.safeguarding_flag
    assert withdrawal.needs_safeguarding([WithdrawalReason.FEAR_OF_OFFENDER], {})
    assert not withdrawal.needs_safeguarding([WithdrawalReason.MOVE_ON], {})


def test_a_rescind_is_a_new_version_and_ends_the_record(db):
    request = _confirmed(db)
    rescind = WithdrawalRequest(
        case_id=request.case_id,
        victim_id=request.victim_id,
        version=request.version + 1,
        supersedes_id=request.id,
        locale="pl",
    )
    db.add(rescind)
    db.flush()
    later = utcnow() + timedelta(days=3)
    withdrawal.seal(db, rescind, status=WithdrawalStatus.RESCINDED, actor="victim:1", now=later)
    db.commit()
    assert withdrawal.confirmed_record(db, request.case_id) is None
    assert withdrawal.check_seal(db, db.get(WithdrawalRequest, request.id)).intact


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_migrations_install_the_guard(request, tmp_path, backend):
    from portal.db import upgrade

    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    upgrade(url)
    engine = sa.create_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as db:
            _confirmed(db)
            with pytest.raises(sa.exc.DatabaseError, match="sealed withdrawal record"):
                db.execute(sa.text("UPDATE withdrawalrequest SET locale = 'en'"))
    finally:
        engine.dispose()
