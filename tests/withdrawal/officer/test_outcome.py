"""Closing a case as "victim does not support" (outcomes 14 and 16) needs a withdrawal the
victim confirmed that still stands; every other outcome closes normally."""

import pytest
from sqlmodel import Session

from portal.models import Case, WithdrawalStatus
from portal.models.base import utcnow
from portal.services import case_outcome, withdrawal_confirmation
from portal.services.case_outcome import (
    AlreadyClosed,
    NoWithdrawalRecord,
    UnknownOutcome,
    close_case,
)
from tests.people import audit_events, sign_in_staff

from .records import officer_recorded, victim_confirmed

REFUSAL_16 = (
    "Outcome 16 (victim does not support) needs a withdrawal the victim confirmed. "
    "This case has none that stands: it may be missing, waiting for the victim's answer, "
    "disputed or taken back."
)


@pytest.fixture
def db(app, world):
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        yield session


def _case(db, world) -> Case:
    db.expire_all()
    return db.get(Case, world.case_a.id)


def test_outcome_16_is_refused_without_a_record_with_the_apis_message(db, world):
    with pytest.raises(NoWithdrawalRecord) as refused:
        close_case(db, _case(db, world), "16", actor="api:rms", now=utcnow())
    assert str(refused.value) == REFUSAL_16
    db.commit()  # the refusal is audited in the caller's transaction
    assert _case(db, world).closed_at is None
    (event,) = audit_events(db, "case.close_refused")
    assert event.actor == "api:rms" and event.details == {
        "outcome": "16",
        "why": "no_confirmed_withdrawal",
    }


def test_outcome_16_is_accepted_with_a_confirmed_record_and_links_it(db, world):
    record = victim_confirmed(
        db, case_id=world.case_a.id, victim_id=world.victim_a.id, now=utcnow()
    )
    closure = close_case(db, _case(db, world), " 16 ", actor="staff:1", now=utcnow())
    db.commit()
    case = _case(db, world)
    assert (case.outcome_code, case.closing_withdrawal_id) == ("16", record.id)
    assert case.closed_at is not None and closure.withdrawal.id == record.id
    (event,) = audit_events(db, "case.closed")
    assert event.details == {
        "outcome": "16",
        "withdrawal_id": record.id,
        "withdrawal_hash": record.content_hash,
    }
    with pytest.raises(AlreadyClosed, match="This case is already closed."):
        close_case(db, case, "1", actor="staff:1", now=utcnow())


def test_refused_again_after_the_victim_takes_it_back(db, world):
    first = victim_confirmed(db, case_id=world.case_a.id, victim_id=world.victim_a.id, now=utcnow())
    victim_confirmed(
        db,
        case_id=world.case_a.id,
        victim_id=world.victim_a.id,
        now=utcnow(),
        version=2,
        supersedes_id=first.id,
        status=WithdrawalStatus.RESCINDED,
    )
    with pytest.raises(NoWithdrawalRecord):
        close_case(db, _case(db, world), "14", actor="staff:1", now=utcnow())


@pytest.mark.parametrize("answer", ["none", "no"])
def test_an_officers_record_counts_only_once_the_victim_says_yes(db, world, answer):
    recorded = officer_recorded(db, world)
    if answer == "no":
        withdrawal_confirmation.answer_on_web(
            db, world.victim_a.id, recorded.request.id, yes=False, now=utcnow()
        )
        db.commit()
    with pytest.raises(NoWithdrawalRecord):
        close_case(db, _case(db, world), "16", actor="staff:1", now=utcnow())


def test_other_outcomes_close_normally_and_unknown_codes_are_refused(db, world):
    with pytest.raises(UnknownOutcome, match="Choose a Home Office outcome code from the list."):
        close_case(db, _case(db, world), "19", actor="staff:1", now=utcnow())
    closure = close_case(db, _case(db, world), "18", actor="staff:1", now=utcnow())
    assert closure.withdrawal is None and _case(db, world).outcome_code == "18"


def test_the_case_page_shows_the_refusal_clearly(client, db, world):
    sign_in_staff(client, world.staff["officer_north"])
    page = client.get(f"/staff/cases/{world.case_a.id}").get_data(as_text=True)
    assert 'name="outcome_code"' in page and "16: Evidential difficulties" in page
    refused = client.post(f"/staff/cases/{world.case_a.id}/outcome", data={"outcome_code": "16"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "The case was not closed" in body and 'class="error-summary"' in body
    assert REFUSAL_16.replace("'", "&#39;") in body
    assert _case(db, world).closed_at is None
    victim_confirmed(db, case_id=world.case_a.id, victim_id=world.victim_a.id, now=utcnow())
    closed = client.post(f"/staff/cases/{world.case_a.id}/outcome", data={"outcome_code": "16"})
    assert closed.status_code == 303
    page = client.get(closed.headers["Location"]).get_data(as_text=True)
    assert "with outcome 16" in page and "The withdrawal record it rests on" in page


def test_only_the_cases_officer_or_supervisor_may_close_it(client, db, world):
    for who in ("officer_south", "supervisor_south"):
        sign_in_staff(client, world.staff[who])
        response = client.post(
            f"/staff/cases/{world.case_a.id}/outcome", data={"outcome_code": "18"}
        )
        assert response.status_code == 404
    sign_in_staff(client, world.staff["isva_consent"])
    assert (
        client.post(
            f"/staff/cases/{world.case_a.id}/outcome", data={"outcome_code": "18"}
        ).status_code
        == 403
    )
    assert _case(db, world).closed_at is None
    assert len(audit_events(db, "access.denied")) == 3
    assert case_outcome.OUTCOMES["16"]  # labelled for the form
