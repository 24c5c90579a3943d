"""Email through the whole dispatch path to a real SMTP server (aiosmtpd) on loopback."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import SQLModel, select

from jobs import sweeps
from portal.models import Notification, NotificationStatus
from portal.services import messaging
from portal.services.case_events import record_event
from tests.forbidden import forbidden_words
from tests.support.apps import make_app
from tests.support.fake_smtp import FakeSmtp, parts

NOON = datetime(2026, 6, 16, 11, 0, tzinfo=UTC)
NEUTRAL_SENDER = "Notifications <no-reply@example.org>"


@pytest.fixture
def smtp():
    """The mail server's address; the test starts and stops the server itself."""
    server = FakeSmtp()
    yield server
    server.stop()


@pytest.fixture
def app(smtp):
    app = make_app(
        EMAIL_PROVIDER="smtp",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=smtp.port,
        SMTP_STARTTLS=False,
        SMTP_TIMEOUT_SECONDS=2,
        EMAIL_FROM=NEUTRAL_SENDER,
    )
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    yield app
    app.extensions["db_engine"].dispose()


def _email_only(session, make_case, **victim):
    case = make_case(victims=[{"phone_e164": None, "email": "v@example.com", **victim}])
    record_event(session, case, "suspect_arrested", {}, occurred_at=NOON, actor="x", now=NOON)
    session.commit()
    return case


def _dispatch(app, session, now):
    return messaging.dispatch_due(
        session,
        sms=app.extensions["sms_provider"],
        email=app.extensions["email_provider"],
        now=now,
    )


def _row(session):
    session.expire_all()
    return session.exec(select(Notification)).one()


@pytest.mark.parametrize("discreet", [False, True])
def test_the_sweep_sends_text_and_html_from_a_neutral_sender(
    app, session, make_case, smtp, discreet
):
    smtp.start()
    _email_only(session, make_case, discreet=discreet)
    assert sweeps.dispatch_outbox(app) == 1
    [message] = smtp.messages
    assert message["From"] == NEUTRAL_SENDER and message["To"] == "v@example.com"
    text, html = parts(message)["text/plain"], parts(message)["text/html"]
    assert html.startswith('<!doctype html><html lang="en" dir="ltr">')
    row = _row(session)
    assert (row.status, row.provider_reference) == (NotificationStatus.SENT, message["Message-ID"])
    if discreet:
        seen = f"{message['Subject']} {text} {html}".lower()
        assert [word for word in forbidden_words("en") if word in seen] == []
        assert "nw/1/26" not in seen
    else:
        assert "suspect has been arrested" in text and "NW/1/26" in text


def test_a_mail_server_down_for_a_while_gets_the_email_once_when_it_is_back(
    app, session, make_case, smtp
):
    _email_only(session, make_case)
    now = NOON
    for _ in range(3):  # down: connection refused, retried with growing gaps
        assert _dispatch(app, session, now).retrying == 1
        assert _dispatch(app, session, now).claimed == 0  # nothing before the backoff
        now += timedelta(minutes=10)
    smtp.start()
    assert _dispatch(app, session, now).sent == 1
    assert _dispatch(app, session, now + timedelta(hours=1)).claimed == 0
    assert len(smtp.messages) == 1
    row = _row(session)
    assert row.status == NotificationStatus.SENT and row.sent_at == now  # late, not lost
    assert row.attempts == 4


def test_an_email_in_doubt_is_sent_again_under_the_same_message_id(app, session, make_case, smtp):
    """SMTP cannot be asked what it took: after a crash mid-send the email goes again,
    and the repeated Message-ID lets the mailbox drop the copy."""
    smtp.start()
    _email_only(session, make_case)
    row = _row(session)
    messaging.claim_due(session, now=NOON, limit=10)
    row = _row(session)
    row.in_doubt_since = NOON
    session.commit()
    app.extensions["email_provider"].send_email(  # what the dead dispatcher got out
        to=row.to_address,
        subject=row.subject,
        text=row.body,
        html=row.body_html,
        reference=row.idempotency_key,
    )
    after_the_claim = NOON + timedelta(seconds=messaging.CLAIM_SECONDS + 1)
    assert _dispatch(app, session, after_the_claim).sent == 1
    first, second = smtp.messages
    assert first["Message-ID"] == second["Message-ID"] == _row(session).provider_reference
