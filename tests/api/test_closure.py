"""Issue 6 through the API: a case is never closed as "victim does not support" (outcome
14/16) without a withdrawal the victim confirmed, and an officer-taken withdrawal needs
its evidence reference and asks the victim to confirm it."""

from __future__ import annotations

from sqlmodel import select

from portal.models import Case, Notification, WithdrawalRequest
from portal.models.base import utcnow
from portal.services import withdrawal_confirmation
from tests.api.helpers import REFERENCE, audit_actions, new_key

WITHDRAWAL = {
    "victim_id": None,  # set from the created case
    "evidence_type": "statement",
    "evidence_reference": "MG11 4471",
    "reasons": ["fear_of_offender", "process_too_long"],
    "note": "Called on 12 June. Wants to stop because it is taking too long.",
}


def _withdrawal(created, **changes) -> dict:
    return {**WITHDRAWAL, "victim_id": created["victims"][0]["id"], **changes}


def _close(client, auth, code, reference=REFERENCE):
    return client.post(f"/api/v1/cases/{reference}/outcome", json={"code": code}, headers=auth)


def test_outcome_16_is_refused_without_a_confirmed_withdrawal(client, auth, created, session):
    response = _close(client, auth, "16")
    assert response.status_code == 409
    assert response.json["error"] == "no_withdrawal_record"
    assert "needs a withdrawal the victim confirmed" in response.json["message"]
    session.expire_all()
    case = session.exec(select(Case)).one()
    assert case.closed_at is None and case.outcome_code is None
    assert ("api:rms", "case.close_refused", f"case:{case.id}") in audit_actions(session)


def test_outcome_14_is_accepted_once_the_victim_confirms(client, auth, created, session):
    recorded = client.post(
        f"/api/v1/cases/{REFERENCE}/withdrawals", json=_withdrawal(created), headers=auth
    )
    assert recorded.status_code == 201, recorded.json
    assert recorded.json["status"] == "awaiting_victim"
    # Not yet: the victim has not said YES.
    assert _close(client, auth, "14").status_code == 409

    withdrawal_confirmation.answer_on_web(
        session, recorded.json["victim_id"], recorded.json["id"], yes=True, now=utcnow()
    )
    session.commit()
    closed = _close(client, auth, "14")
    assert closed.status_code == 200, closed.json
    assert closed.json["withdrawal_id"] == recorded.json["id"]
    assert closed.json["withdrawal_content_hash"] == recorded.json["content_hash"]
    again = _close(client, auth, "14")
    assert again.status_code == 409 and again.json["error"] == "already_closed"


def test_other_outcomes_close_and_unknown_codes_name_the_field(client, auth, created):
    unknown = _close(client, auth, "99")
    assert unknown.status_code == 422
    assert unknown.json["fields"][0]["field"] == "code"
    assert _close(client, auth, "x/").status_code == 422
    closed = _close(client, auth, "18")
    assert closed.status_code == 200 and closed.json["withdrawal_id"] is None


def test_an_officer_taken_withdrawal_needs_its_evidence_and_asks_the_victim(
    client, auth, created, session
):
    missing = client.post(
        f"/api/v1/cases/{REFERENCE}/withdrawals",
        json={k: v for k, v in _withdrawal(created).items() if k != "evidence_reference"},
        headers=auth,
    )
    assert missing.status_code == 422
    assert [f["field"] for f in missing.json["fields"]] == ["evidence_reference"]
    wrong_victim = client.post(
        f"/api/v1/cases/{REFERENCE}/withdrawals",
        json=_withdrawal(created, victim_id=999),
        headers=auth,
    )
    assert wrong_victim.status_code == 422
    assert wrong_victim.json["fields"][0]["field"] == "victim_id"

    recorded = client.post(
        f"/api/v1/cases/{REFERENCE}/withdrawals", json=_withdrawal(created), headers=auth
    )
    assert recorded.status_code == 201
    assert recorded.json["messages_queued"] >= 1
    session.expire_all()
    record = session.get(WithdrawalRequest, recorded.json["id"])
    assert record.evidence_reference == "statement: MG11 4471"
    assert record.submitted_by.startswith("officer:")
    asked = session.exec(
        select(Notification).where(Notification.template_key.like("withdrawal_confirm%"))
    ).all()
    assert asked and all(n.locale == "pl" for n in asked)

    twice = client.post(
        f"/api/v1/cases/{REFERENCE}/withdrawals", json=_withdrawal(created), headers=auth
    )
    assert twice.status_code == 409 and twice.json["error"] == "withdrawal_stands"


def test_a_key_for_another_force_cannot_close_or_record(client, created, session):
    other = {"Authorization": f"Bearer {new_key(session, 'other', force='Kent Police')}"}
    assert _close(client, other, "18").status_code == 404
    response = client.post(
        f"/api/v1/cases/{REFERENCE}/withdrawals", json=_withdrawal(created), headers=other
    )
    assert response.status_code == 404


def test_the_openapi_document_lists_both_routes(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "409" in paths["/api/v1/cases/{crime_reference}/outcome"]["post"]["responses"]
    assert "/api/v1/cases/{crime_reference}/withdrawals" in paths
