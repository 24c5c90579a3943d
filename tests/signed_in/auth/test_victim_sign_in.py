"""Victim sign-in: codes, limits, no enumeration, sessions and sign-out."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext
from sqlmodel import SQLModel, select

from portal.models import AuthSession, Notification, OutboxMessage
from portal.models.base import utcnow
from portal.services import victim_sign_in
from portal.services.lanes import SIGN_IN
from tests.people import audit_events, latest_code, send_sign_in_codes, sign_in_victim
from tests.support.apps import make_test_app


def _send(app, session, reference="01/000001/26", channel="sms", now=None):
    token = victim_sign_in.send_code(
        session,
        reference=reference,
        channel=channel,
        secret_key=app.config["SECRET_KEY"],
        now=now or utcnow(),
    )
    session.commit()
    return token


def _check(app, session, token, code, now):
    return victim_sign_in.check_code(
        session, token=token, code=code, secret_key=app.config["SECRET_KEY"], now=now
    )


def test_code_expires_after_ten_minutes(app_context, session, world):
    app = app_context
    start = utcnow()
    token = _send(app, session, now=start)
    code = latest_code(session)
    late = _check(app, session, token, code, start + timedelta(minutes=10, seconds=1))
    assert late.outcome == "expired"
    assert _check(app, session, token, code, start + timedelta(minutes=9)).outcome == "ok"


def test_five_wrong_codes_kill_the_challenge(app_context, session, world):
    app = app_context
    now = utcnow()
    token = _send(app, session, now=now)
    code = latest_code(session)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    left = [_check(app, session, token, wrong, now).attempts_left for _ in range(4)]
    assert left == [4, 3, 2, 1]
    assert _check(app, session, token, wrong, now).outcome == "locked"
    assert _check(app, session, token, code, now).outcome == "locked"


def test_codes_are_stored_only_as_hashes_and_discreet_messages_name_nothing(
    app_context, session, world
):
    app = app_context
    _send(app, session, reference=world.case_b.crime_reference)
    code = latest_code(session)  # the dispatcher sends it
    message = session.exec(select(OutboxMessage)).one()
    assert message.body == f"Your code is {code}. It expires in 10 minutes."
    from portal.models import SignInChallenge

    stored = session.exec(select(SignInChallenge)).one()
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    # Nor is it in the outbox row that carried it: the text is rendered at send time only.
    row = session.exec(select(Notification)).one()
    assert row.status == "sent" and code not in repr(row.model_dump())


def test_wrong_code_message_in_the_victims_language_with_tries_left(client, session, world):
    client.post("/sign-in", data={"reference": "01/000001/26", "channel": "sms"})
    response = client.post(
        "/sign-in/code", data={"code": "000000" if latest_code(session) != "000000" else "111111"}
    )
    assert response.status_code == 400
    assert "You can try 4 more times." in response.get_data(as_text=True)


def _strip_tokens(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', "", html)


def _sign_in_request(app, reference: str):
    """POST /sign-in from a fresh browser; the SQL statements it ran (without their
    values) and the code page it was sent on to."""
    engine = app.extensions["db_engine"]
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    browser = app.test_client()
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        first = browser.post("/sign-in", data={"reference": reference, "channel": "email"})
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert first.status_code == 303
    page = _strip_tokens(browser.get(first.headers["Location"]).get_data(as_text=True))
    return statements, first.headers["Location"], page


def test_known_and_unknown_references_run_the_same_steps_and_call_no_provider(app, session, world):
    """No enumeration by design: a known reference, an unknown one and a known one whose
    victim has no email run the very same SQL statements in the request (one challenge,
    one outbox row each), land on the same page, and none calls a provider: only the
    dispatcher sends, and it sends the one real code."""
    known = _sign_in_request(app, world.case_a.crime_reference)
    unknown = _sign_in_request(app, "99/000001/26")
    no_email = _sign_in_request(app, world.case_b.crime_reference)
    assert known[0] and unknown == known and no_email == known

    session.expire_all()
    rows = session.exec(select(Notification).order_by(Notification.id)).all()
    assert [(row.status, row.lane, row.body) for row in rows] == [("queued", SIGN_IN, "")] * 3
    assert session.exec(select(OutboxMessage)).all() == []  # nothing left in the request

    send_sign_in_codes(session)
    session.expire_all()
    (sent,) = session.exec(select(OutboxMessage)).all()
    assert sent.to_address == world.victim_a.email and re.search(r"\b\d{6}\b", sent.body)
    statuses = [row.status for row in session.exec(select(Notification).order_by(Notification.id))]
    assert statuses == ["sent", "cancelled", "cancelled"]


def test_rate_limit_per_reference_gives_a_calm_429(world):
    app = make_test_app(VICTIM_SIGN_IN_LIMIT_PER_REFERENCE="2 per hour")
    with app.app_context():
        SQLModel.metadata.create_all(app.extensions["db_engine"])
        client = app.test_client()
        data = {"reference": "01/000009/26", "channel": "sms"}
        assert [client.post("/sign-in", data=data).status_code for _ in range(2)] == [303, 303]
        blocked = client.post("/sign-in", data=data)
        assert blocked.status_code == 429
        assert "Please wait a few minutes" in blocked.get_data(as_text=True)
        other = client.post("/sign-in", data={"reference": "01/000010/26", "channel": "sms"})
        assert other.status_code == 303
    app.extensions["db_engine"].dispose()


def test_new_session_id_at_sign_in_and_sign_out_revokes_it(client, session, world):
    client.get("/sign-in")
    before = client.get_cookie("portal_session")
    sign_in_victim(client, session, "01/000001/26")
    after = client.get_cookie("portal_session").value
    assert before is None or before.value != after
    assert client.get("/my-case").status_code == 200
    response = client.post("/sign-out")
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    client.set_cookie("portal_session", after)  # replay the old cookie
    assert client.get("/my-case").status_code == 302
    session.expire_all()
    assert session.exec(select(AuthSession)).one().revoked_at is not None


def test_assisted_sign_in_says_so_and_leaves_nothing(app, client, session, world):
    sign_in_victim(client, session, "01/000001/26", assisted="1")
    page = client.get("/my-case")
    with app.test_request_context(), force_locale(world.victim_a.locale):
        notice = gettext(
            "Someone is helping you on their device. When you finish, tap “Sign out and clear”. "
            "Nothing will be left on it."
        )
    assert notice in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    out = client.post("/sign-out")
    assert out.headers["Clear-Site-Data"]
    assert client.get_cookie("portal_session") is None
    assert client.get("/my-case").status_code == 302
    assert session.exec(select(AuthSession)).one().assisted


def test_preferences_change_is_audited_and_bad_input_keeps_the_page(client, session, world):
    sign_in_victim(client, session, "01/000001/26")
    bad = client.post("/my-case/preferences", data={"locale": "pl", "frequency": "3"})
    assert bad.status_code == 400
    assert 'aria-describedby="frequency-error"' in bad.get_data(as_text=True)
    good = {
        "locale": "ar",
        "sms_allowed": "1",
        "frequency": "7",
        "discreet": "1",
        "safe_start": "09:00",
        "safe_end": "17:00",
    }
    assert client.post("/my-case/preferences", data=good).status_code == 303
    change = audit_events(session, "victim.preferences.change")[-1]
    assert change.actor == f"victim:{world.victim_a.id}"
    assert set(change.details["fields"]) >= {"locale", "update_frequency_days", "discreet"}
    assert 'dir="rtl"' in client.get("/my-case").get_data(as_text=True)


@pytest.mark.parametrize("method", ["get", "post"])
def test_quick_exit_ends_the_session_on_the_server(client, session, world, method):
    sign_in_victim(client, session, "01/000001/26")
    signed_in_cookie = client.get_cookie("portal_session").value
    response = getattr(client, method)("/exit")
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    client.set_cookie("portal_session", signed_in_cookie)  # replay the old cookie
    assert client.get("/my-case").status_code == 302
    session.expire_all()
    assert session.exec(select(AuthSession)).one().revoked_at is not None
