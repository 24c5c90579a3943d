"""Email through a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from portal.providers import PermanentProviderError, TemporaryProviderError
from portal.providers.email.smtp import SmtpEmailProvider


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages = []

    def handle_message(self, message) -> None:
        self.messages.append(message)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("gone@"):
            return "550 5.1.1 No such mailbox"
        if address.startswith("busy@"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    controller.inbox = inbox
    yield controller
    controller.stop()


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
    [message] = smtp_server.inbox.messages
    assert message["To"] == "victim@example.com"
    assert message["Subject"] == "A new message"
    assert message["From"] == "Notifications <no-reply@example.org>"
    assert message["Message-ID"] == reference
    parts = {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in message.walk()
        if not part.is_multipart()
    }
    assert parts["text/plain"].strip() == "Please sign in."
    assert parts["text/html"].strip() == "<p>Please sign in.</p>"


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
        _provider(_free_port()).send_email(
            to="v@example.com", subject="s", text="t", html=None, reference="n-1"
        )
