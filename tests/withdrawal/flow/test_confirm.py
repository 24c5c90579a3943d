"""Confirming seals exactly one record and tells the officer (and, when anything shows
pressure or fear, the officer and the area supervisor), whatever the victim's tabs do."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from portal.models import StaffAlert, WithdrawalRequest, WithdrawalStatus
from portal.models.base import utcnow
from portal.services import audit, withdrawal, withdrawal_flow
from portal.services.withdrawal_flow import Acting
from tests.people import audit_events, build_world

from .conftest import alerts, ready_draft, requests_of, rows, text, walk


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


@pytest.mark.postgres
def test_two_confirms_at_the_same_moment_seal_once_on_postgresql(postgres_url):
    engine = sa.create_engine(postgres_url)
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as db:
        world = build_world(db)
        ready_draft(db, world)
    both_ready = threading.Barrier(2)
    results, errors = [], []

    def confirm() -> None:
        with Session(engine, expire_on_commit=False) as db:
            case = db.get(type(world.case_a), world.case_a.id)
            both_ready.wait()
            try:
                record = withdrawal_flow.confirm(
                    db, case, world.victim_a.id, acting=Acting.victim(world.victim_a.id),
                    now=utcnow(),
                )  # fmt: skip
                db.commit()
                results.append(record.id)
            except Exception as error:  # noqa: BLE001 - the test reports any failure
                errors.append(error)

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(results) == 2 and len(set(results)) == 1
    with Session(engine) as db:
        sealed = [r for r in rows(db, WithdrawalRequest) if r.content_hash]
        assert len(sealed) == 1
        assert len([a for a in rows(db, StaffAlert) if a.kind == "withdrawal_confirmed"]) == 1
        assert audit.verify(db).ok
    engine.dispose()


@pytest.mark.postgres
def test_two_tabs_starting_at_the_same_moment_make_one_draft_on_postgresql(postgres_url):
    engine = sa.create_engine(postgres_url)
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as db:
        world = build_world(db)
    both_ready = threading.Barrier(2)
    outcomes = []

    def start() -> None:
        with Session(engine, expire_on_commit=False) as db:
            both_ready.wait()
            try:
                draft = withdrawal_flow.start(
                    db, world.case_a.id, world.victim_a.id, locale="en",
                    acting=Acting.victim(world.victim_a.id), now=utcnow(),
                )  # fmt: skip
                db.commit()
                outcomes.append(draft.id)
            except sa.exc.IntegrityError:  # the other tab inserted this version first
                outcomes.append("refused")

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    with Session(engine) as db:
        [draft] = rows(db, WithdrawalRequest)
    assert len(outcomes) == 2 and set(outcomes) <= {draft.id, "refused"}
    engine.dispose()
