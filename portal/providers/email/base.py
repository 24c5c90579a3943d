from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime


class EmailProvider(ABC):
    """Called from several sending threads at once: implementations are thread-safe."""

    @abstractmethod
    def send_email(
        self, *, to: str, subject: str, text: str, html: str | None, reference: str
    ) -> str:
        """Send one email (plain text, optional HTML); return a provider reference."""

    def accepted_since(self, *, to: str, body: str, since: datetime) -> list[str] | None:
        """As SmsProvider.accepted_since, for emails with this plain text; None when the
        provider cannot be asked (SMTP keeps no record we could query)."""
        return None
