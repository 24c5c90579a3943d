"""Re-sending an event with the same Idempotency-Key creates nothing new and gets the
first answer again; the same key with a different event is refused (422)."""

from sqlmodel import select

from portal.models import CaseEvent, Notification
from tests.api.helpers import CHARGED, case_body, post_event


def _counts(session) -> tuple[int, int]:
    session.expire_all()
    return (
        len(session.exec(select(CaseEvent)).all()),
        len(session.exec(select(Notification)).all()),
    )


def test_the_same_event_twice_is_recorded_once_and_answered_the_same(
    client, session, auth, created
):
    first = post_event(client, auth, key="rms-evt-1")
    second = post_event(client, auth, key="rms-evt-1")

    assert first.status_code == second.status_code == 202
    assert first.json == second.json
    # Anna by SMS and e-mail, Chris by SMS only: one set of three messages.
    assert first.json["notifications_queued"] == 3
    assert "Idempotent-Replayed" not in first.headers
    assert second.headers["Idempotent-Replayed"] == "true"
    assert _counts(session) == (1, 3)


def test_the_same_instant_written_another_way_is_the_same_event(client, session, auth, created):
    post_event(client, auth, key="k")
    same_instant = {**CHARGED, "occurred_at": "2026-06-16T10:00:00Z"}  # 11:00+01:00
    assert post_event(client, auth, same_instant, key="k").status_code == 202
    assert _counts(session) == (1, 3)


def test_the_same_key_with_a_different_event_is_refused(client, session, auth, created):
    post_event(client, auth, key="k")
    for changed in [
        {**CHARGED, "occurred_at": "2026-06-16T12:00:00+01:00"},
        {**CHARGED, "params": {**CHARGED["params"], "court_place": "York"}},
        {"type": "suspect_arrested", "occurred_at": CHARGED["occurred_at"]},
    ]:
        response = post_event(client, auth, changed, key="k")
        assert response.status_code == 422
        assert response.json["error"] == "idempotency_key_reused"
    assert _counts(session) == (1, 3)


def test_without_a_key_each_post_is_a_new_event(client, session, auth, created):
    assert post_event(client, auth).status_code == 202
    assert post_event(client, auth).status_code == 202
    assert _counts(session) == (2, 6)


def test_keys_belong_to_their_case(client, session, auth, created):
    other = case_body(crime_reference="01/654321/26")
    assert client.post("/api/v1/cases", json=other, headers=auth).status_code == 201
    post_event(client, auth, key="k")
    response = post_event(client, auth, key="k", reference="01/654321/26")
    assert response.status_code == 202
    assert "Idempotent-Replayed" not in response.headers
    assert _counts(session) == (2, 6)


def test_a_reference_may_be_sent_with_encoded_slashes(client, session, auth, created):
    response = post_event(client, auth, key="k", reference="01%2F123456%2F26")
    assert response.status_code == 202
    assert response.json["crime_reference"] == "01/123456/26"
    assert post_event(client, auth, key="k").headers["Idempotent-Replayed"] == "true"
