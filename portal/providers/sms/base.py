from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime


class SmsProvider(ABC):
    """Called from several sending threads at once: implementations are thread-safe."""

    #: Who the messages come from (a number, a messaging service): the key of the rate
    #: limit that every dispatch worker shares.
    sender: str = "sms"

    @abstractmethod
    def send_sms(self, *, to: str, body: str, reference: str) -> str:
        """Send one SMS to an E.164 number; return the provider's message reference."""

    def accepted_since(self, *, to: str, body: str, since: datetime) -> list[str] | None:
        """References of messages with exactly this text that the provider accepted for
        `to` since `since`, oldest first; None when this provider cannot be asked.

        Used after a send whose outcome is unknown, so that a message the provider did
        accept is recorded rather than sent twice. Raises TemporaryProviderError when the
        provider cannot answer now.
        """
        return None
