"""Email through a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import pytest

from deploy.local_services import free_port
from portal.providers import PermanentProviderError, TemporaryProviderError
from portal.providers.email.smtp import SmtpEmailProvider
from tests.support.fake_smtp import FakeSmtp, parts


@pytest.fixture
def smtp_server():
    server = FakeSmtp().start()
    yield server
    server.stop()


def _provider(port: int) -> SmtpEmailProvider:
    return SmtpEmailProvider(
        host="127.0.0.1",
        port=port,
        sender="Notifications <no-reply@example.org>",
        starttls=False,
        timeout=5,
    )


def test_email_arrives_with_text_and_html(smtp_server):
    reference = _provider(smtp_server.port).send_email(
        to="victim@example.com",
        subject="A new message",
        text="Please sign in.",
        html="<p>Please sign in.</p>",
        reference="n-42",
    )
    [message] = smtp_server.messages
    assert message["To"] == "victim@example.com"
    assert message["Subject"] == "A new message"
    assert message["From"] == "Notifications <no-reply@example.org>"
    assert message["Message-ID"] == reference
    assert parts(message)["text/plain"].strip() == "Please sign in."
    assert parts(message)["text/html"].strip() == "<p>Please sign in.</p>"


def test_refused_mailbox_is_permanent(smtp_server):
    with pytest.raises(PermanentProviderError):
        _provider(smtp_server.port).send_email(
            to="gone@example.com", subject="s", text="t", html=None, reference="n-1"
        )


def test_busy_mailbox_is_temporary(smtp_server):
    with pytest.raises(TemporaryProviderError):
        _provider(smtp_server.port).send_email(
            to="busy@example.com", subject="s", text="t", html=None, reference="n-1"
        )


def test_server_down_is_temporary():
    with pytest.raises(TemporaryProviderError):
        _provider(free_port()).send_email(
            to="v@example.com", subject="s", text="t", html=None, reference="n-1"
        )


def test_every_attempt_at_one_message_has_the_same_message_id_which_reveals_nothing(
    smtp_server,
):
    provider = _provider(smtp_server.port)
    for _ in range(2):
        provider.send_email(
            to="v@example.com", subject="s", text="t", html=None, reference="event:7:3:email"
        )
    first, second = smtp_server.messages
    assert first["Message-ID"] == second["Message-ID"]
    assert "event" not in first["Message-ID"] and first["Message-ID"].endswith("@example.org>")
