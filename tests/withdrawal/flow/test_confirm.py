"""Confirming seals exactly one record and tells the officer (and, when anything shows
pressure or fear, the officer and the area supervisor), whatever the victim's tabs do."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from portal.models import Case, StaffAlert, WithdrawalRequest, WithdrawalStatus
from portal.models.base import utcnow
from portal.services import audit, withdrawal, withdrawal_flow
from portal.services.withdrawal_flow import Acting
from tests.people import audit_events, build_world

from .helpers import alerts, ready_draft, requests_of, rows, text, walk


def test_confirm_seals_one_record_and_alerts_the_officer(victim_a, base, session, world):
    walk(victim_a, base)
    page = text(victim_a.get(f"{base}/check"))
    assert "It is taking too long" in page and "Chcę zapomnieć i żyć dalej." in page
    response = victim_a.post(f"{base}/check")
    assert response.location == f"{base}/receipt"

    [record] = requests_of(session, world.victim_a.id)
    assert record.status == WithdrawalStatus.CONFIRMED
    assert record.submitted_by == "victim" and record.current_step is None
    assert withdrawal.check_seal(session, record).intact
    assert withdrawal.confirmed_record(session, world.case_a.id).id == record.id
    assert record.safeguarding_flag is False
    [alert] = alerts(session)
    assert (alert.kind, alert.staff_id) == ("withdrawal_confirmed", world.case_a.officer_id)
    [sealed] = audit_events(session, withdrawal.SEAL_ACTION)
    assert sealed.actor == f"victim:{world.victim_a.id}" and sealed.on_behalf_of is None
    assert audit.verify(session).ok

    receipt = text(victim_a.get(f"{base}/receipt"))
    assert withdrawal_flow.record_reference(record) in receipt
    assert "What happens next" in receipt
    assert f'href="{base}/change-my-mind"' in receipt
    my_case = text(victim_a.get("/my-case"))
    assert withdrawal_flow.record_reference(record) in my_case


def test_double_submit_and_a_second_tab_make_one_record(victim_a, base, session, world):
    walk(victim_a, base)
    stale_tab = text(victim_a.get(f"{base}/check"))
    assert victim_a.post(f"{base}/check").location == f"{base}/receipt"
    assert victim_a.post(f"{base}/check").location == f"{base}/receipt"
    assert 'action="' + f"{base}/check" in stale_tab  # the other tab posts the same form
    assert victim_a.post(f"{base}/check").location == f"{base}/receipt"
    assert len(requests_of(session, world.victim_a.id)) == 1
    assert len(audit_events(session, withdrawal.SEAL_ACTION)) == 1
    assert len(alerts(session, "withdrawal_confirmed")) == 1
    # Starting again while a withdrawal is in force leads to its receipt, not a new draft.
    assert victim_a.post(f"{base}/about").location == base
    assert victim_a.get(base).location == f"{base}/receipt"
    assert len(requests_of(session, world.victim_a.id)) == 1


@pytest.mark.parametrize(
    ("answers", "reasons"),
    [
        ({"pressure": "yes", "safe_to_contact": "yes", "safe_contact_channel": "call"}, None),
        ({"pressure": "no", "safe_to_contact": "no"}, None),
        (None, {"reasons": ["fear_of_offender"]}),
    ],
    ids=["pressured", "not-safe-to-contact", "afraid"],
)
def test_safeguarding_flag_alerts_officer_and_supervisor(
    victim_a, base, session, world, answers, reasons
):
    overrides = {}
    if answers:
        overrides["safety"] = answers
    if reasons:
        overrides["reasons"] = reasons
    walk(victim_a, base, **overrides)
    victim_a.post(f"{base}/check")
    [record] = requests_of(session, world.victim_a.id)
    assert record.safeguarding_flag is True
    flagged = alerts(session, "withdrawal_safeguarding")
    assert {a.staff_id for a in flagged} == {
        world.staff["officer_north"].id,
        world.staff["supervisor_north"].id,
    }
    assert {a.case_id for a in flagged} == {world.case_a.id}
    assert len(alerts(session, "withdrawal_confirmed")) == 1


@pytest.fixture
def pg_world(postgres_url):
    """A fresh PostgreSQL database with the small world in it: (engine, world)."""
    engine = sa.create_engine(postgres_url)
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as db:
        world = build_world(db)
    yield engine, world
    engine.dispose()


def _at_the_same_moment(engine, attempt) -> list:
    """Run attempt(db) in two threads, each with its own session, released together;
    each outcome is what attempt returned, or the exception it raised."""
    both_ready, outcomes = threading.Barrier(2), []

    def run() -> None:
        with Session(engine, expire_on_commit=False) as db:
            both_ready.wait()
            try:
                outcomes.append(attempt(db))
                db.commit()
            except Exception as error:  # noqa: BLE001 - the test judges every outcome
                outcomes.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.postgres
def test_two_confirms_at_the_same_moment_seal_once_on_postgresql(pg_world):
    engine, world = pg_world
    with Session(engine, expire_on_commit=False) as db:
        ready_draft(db, world)
    acting = Acting.victim(world.victim_a.id)

    def confirm(db):
        case = db.get(Case, world.case_a.id)
        return withdrawal_flow.confirm(db, case, world.victim_a.id, acting=acting, now=utcnow()).id

    outcomes = _at_the_same_moment(engine, confirm)
    assert len(outcomes) == 2 and len(set(outcomes)) == 1 and isinstance(outcomes[0], int)
    with Session(engine) as db:
        sealed = [r for r in rows(db, WithdrawalRequest) if r.content_hash]
        assert len(sealed) == 1
        assert len([a for a in rows(db, StaffAlert) if a.kind == "withdrawal_confirmed"]) == 1
        assert audit.verify(db).ok


@pytest.mark.postgres
def test_two_tabs_starting_at_the_same_moment_make_one_draft_on_postgresql(pg_world):
    engine, world = pg_world
    acting = Acting.victim(world.victim_a.id)

    def start(db):
        return withdrawal_flow.start(
            db, world.case_a.id, world.victim_a.id, locale="en", acting=acting, now=utcnow()
        ).id

    outcomes = _at_the_same_moment(engine, start)
    with Session(engine) as db:
        [draft] = rows(db, WithdrawalRequest)
    # The loser either saw the winner's draft or hit the (case, victim, version) key.
    assert len(outcomes) == 2
    for outcome in outcomes:
        assert outcome == draft.id or isinstance(outcome, sa.exc.IntegrityError), outcome
