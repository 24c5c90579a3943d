"""Audited refusals are kept whatever becomes of the refused request's own transaction
(a form rolled back, a view that aborts without committing), on SQLite and PostgreSQL; and
an ISVA's client list, which names victims, is an audited view of each of them."""

from __future__ import annotations

import pytest
from sqlmodel import Session, SQLModel, select

from portal.models import AuditEvent, WithdrawalRequest
from portal.services import access, audit
from tests.people import audit_events, build_world, sign_in_staff
from tests.support.apps import make_test_app

FORM = {
    "evidence_type": "body_worn_video",
    "evidence_reference": "BWV/2026/118",
    "reasons": ["process_too_long"],
    "note": "Told me at the door she wants it to stop.",
}


def test_a_refused_withdrawal_form_is_audited_though_the_form_is_rolled_back(
    client, session, world
):
    sign_in_staff(client, world.staff["officer_north"])
    url = f"/staff/cases/{world.case_a.id}/withdrawals"
    form = {**FORM, "victim_id": world.victim_a.id}
    assert client.post(url, data=form).status_code == 303
    # The same again: a withdrawal already stands, so the form is refused and rolled back.
    assert client.post(url, data=form).status_code == 409
    # A form with no reason: refused too.
    assert client.post(url, data={**form, "reasons": []}).status_code == 400
    refused = audit_events(session, "change.refused")
    assert [(e.actor, e.subject, e.details) for e in refused] == [
        (
            f"staff:{world.staff['officer_north'].id}",
            f"case:{world.case_a.id}",
            {"tried": "withdrawal.record", "why": why},
        )
        for why in ("conflict", "invalid_input")
    ]
    session.expire_all()
    assert len(session.exec(select(WithdrawalRequest)).all()) == 1
    assert audit.verify(session).ok


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    url = (
        f"sqlite:///{tmp_path / 'refusals.sqlite3'}"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    app = make_test_app(DATABASE_URL=url)
    engine = app.extensions["db_engine"]
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


def _actions(engine) -> list[str]:
    with Session(engine) as fresh:
        return [e.action for e in fresh.exec(select(AuditEvent).order_by(AuditEvent.id))]


def test_a_refusal_survives_the_rollback_of_its_transaction(engine):
    """The transaction had already appended to the audit chain (holding its lock on
    PostgreSQL) when the refusal came: the refusal is still written after the rollback,
    and the chain stays whole."""
    with Session(engine, expire_on_commit=False) as session:
        world = build_world(session)
        before = len(_actions(engine))
        who = access.Principal.for_staff(world.staff["officer_south"])
        audit.record(session, actor=who.ref, action="case.view", subject="case:1")
        access.record_refusal(session, who, f"case:{world.case_a.id}", "case.view")
        session.rollback()
        assert _actions(engine)[before:] == ["access.denied"]
        # Kept once: a later commit of the same session writes it no second time.
        access.record_refusal(session, who, "case:2", "case.view")
        session.commit()
        session.close()
    assert _actions(engine)[before:] == ["access.denied", "access.denied"]
    with Session(engine) as session:
        assert audit.verify(session).ok


def test_a_refusal_is_kept_when_the_session_is_closed_without_a_commit(engine):
    with Session(engine, expire_on_commit=False) as session:
        world = build_world(session)
        before = len(_actions(engine))
        who = access.Principal.for_staff(world.staff["admin_other_force"])
        access.open_victim(session, who, world.victim_a.id, reason="Curious")
    assert _actions(engine)[before:] == ["access.denied"]


def test_the_isva_client_list_is_an_audited_view_of_each_victim_named(client, session, world):
    isva = world.staff["isva_consent"]
    sign_in_staff(client, isva)
    page = client.get("/staff/clients")
    assert page.status_code == 200 and "Victim A" in page.get_data(as_text=True)
    listed = audit_events(session, "victim.listed")
    assert [(e.actor, e.subject) for e in listed] == [
        (f"staff:{isva.id}", f"victim:{world.victim_a.id}")
    ]
