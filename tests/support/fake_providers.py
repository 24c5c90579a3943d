"""Providers that keep what they would have sent, in memory: for tests of the dispatch
logic that need no network (tests/support/fake_twilio.py and fake_smtp.py are the real
protocols on loopback)."""

from __future__ import annotations

from portal.providers.sms.base import SmsProvider


class FakeSms(SmsProvider):
    """Records what would have been sent; raises the errors it is told to."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.errors: list[Exception] = []

    def send_sms(self, *, to: str, body: str, reference: str) -> str:
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append((to, body))
        return f"SM{len(self.sent)}"


class FakeEmail:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def send_email(self, *, to, subject, text, html, reference) -> str:
        self.sent.append((to, subject, text))
        return f"<{len(self.sent)}@test>"
