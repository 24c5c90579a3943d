"""Each provider webhook is processed at most once.

A signed Twilio request stays valid forever: whoever captured one (a proxy log, a
leaked capture) can send it again, and Twilio itself retries. So the first thing a
webhook does, in the transaction that applies its effect, is to claim its message SID
(and, for a delivery callback, the status reported). The claim is a unique row: a
replay, a retry after success or a copy arriving at the same moment finds it taken and
does nothing. If the processing fails, the claim is rolled back with it, so Twilio's
retry is processed. Receipts are kept: an old capture stays a no-op.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from portal.models import WebhookReceipt

INBOUND = "inbound"
STATUS = "status"
MAX_SID = 64


def first_time(
    session: Session, *, kind: str, message_sid: str, message_status: str = "", now: datetime
) -> bool:
    """Claim this request; False when it was processed before (or is being processed by
    a concurrent transaction that then commits). A request without a SID cannot be
    told apart from its replays, so it is never processed; nor is a SID too long to be
    Twilio's (34 characters), which could not be stored whole."""
    if not message_sid or len(message_sid) > MAX_SID:
        return False
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = WebhookReceipt.__table__
    statement = (
        insert(table)
        .values(
            kind=kind,
            message_sid=message_sid,
            message_status=message_status,
            received_at=now,
        )
        .on_conflict_do_nothing(index_elements=["kind", "message_sid", "message_status"])
        .returning(table.c.id)
    )
    return session.execute(statement).first() is not None
