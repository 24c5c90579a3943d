from __future__ import annotations

from abc import ABC, abstractmethod


class EmailProvider(ABC):
    @abstractmethod
    def send_email(
        self, *, to: str, subject: str, text: str, html: str | None, reference: str
    ) -> str:
        """Send one email (plain text, optional HTML); return a provider reference."""
