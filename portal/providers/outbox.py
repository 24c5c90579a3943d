"""Development providers: store each message so /dev/outbox can show it."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from portal.models import OutboxMessage

from .email.base import EmailProvider
from .sms.base import SmsProvider


class _Outbox:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        # Each "send" is a write to the development database (often SQLite, where an
        # in-memory database is one shared connection): one at a time.
        self._writing = threading.Lock()

    def _store(self, **fields: str | None) -> str:
        reference = f"outbox-{uuid.uuid4().hex[:16]}"
        with self._writing, Session(self._engine) as session:
            session.add(OutboxMessage(reference=reference, **fields))
            session.commit()
        return reference

    def _accepted_since(self, *, channel: str, to: str, body: str, since: datetime) -> list[str]:
        with Session(self._engine) as session:
            return list(
                session.exec(
                    select(OutboxMessage.reference)
                    .where(
                        OutboxMessage.channel == channel,
                        OutboxMessage.to_address == to,
                        OutboxMessage.body == body,
                        OutboxMessage.created_at >= since,
                    )
                    .order_by(OutboxMessage.id)
                ).all()
            )


class OutboxSmsProvider(_Outbox, SmsProvider):
    def send_sms(self, *, to: str, body: str, reference: str) -> str:
        return self._store(channel="sms", to_address=to, body=body)

    def accepted_since(self, *, to: str, body: str, since: datetime) -> list[str]:
        return self._accepted_since(channel="sms", to=to, body=body, since=since)


class OutboxEmailProvider(_Outbox, EmailProvider):
    def send_email(
        self, *, to: str, subject: str, text: str, html: str | None, reference: str
    ) -> str:
        return self._store(
            channel="email", to_address=to, subject=subject, body=text, body_html=html
        )

    def accepted_since(self, *, to: str, body: str, since: datetime) -> list[str]:
        return self._accepted_since(channel="email", to=to, body=body, since=since)
