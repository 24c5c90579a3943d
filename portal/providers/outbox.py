"""Development providers: store each message so /dev/outbox can show it."""

from __future__ import annotations

import uuid

from sqlalchemy.engine import Engine
from sqlmodel import Session

from portal.models import OutboxMessage

from .email.base import EmailProvider
from .sms.base import SmsProvider


class _Outbox:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def _store(self, **fields: str | None) -> str:
        reference = f"outbox-{uuid.uuid4().hex[:16]}"
        with Session(self._engine) as session:
            session.add(OutboxMessage(reference=reference, **fields))
            session.commit()
        return reference


class OutboxSmsProvider(_Outbox, SmsProvider):
    def send_sms(self, *, to: str, body: str, reference: str) -> str:
        return self._store(channel="sms", to_address=to, body=body)


class OutboxEmailProvider(_Outbox, EmailProvider):
    def send_email(
        self, *, to: str, subject: str, text: str, html: str | None, reference: str
    ) -> str:
        return self._store(
            channel="email", to_address=to, subject=subject, body=text, body_html=html
        )
