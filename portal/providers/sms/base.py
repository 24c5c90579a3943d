from __future__ import annotations

from abc import ABC, abstractmethod


class SmsProvider(ABC):
    @abstractmethod
    def send_sms(self, *, to: str, body: str, reference: str) -> str:
        """Send one SMS to an E.164 number; return the provider's message reference."""
