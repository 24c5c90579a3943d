"""How and when a victim may be contacted: allowed channels and safe hours.

Never contact a victim in a way they have not said is safe: a channel is used only when
the victim allows it, has not opted out and it is not known to be unreachable; and
nothing is sent outside their safe-hours window (UK local time, may cross midnight).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from portal.models import Channel, Notification, Victim

from .working_days import LONDON


def usable_channels(victim: Victim) -> list[Channel]:
    """The channels we may use for this victim now, SMS first."""
    channels = []
    if (
        victim.sms_allowed
        and victim.phone_e164
        and victim.sms_opted_out_at is None
        and victim.phone_unreachable_at is None
    ):
        channels.append(Channel.SMS)
    if victim.email_allowed and victim.email and victim.email_unreachable_at is None:
        channels.append(Channel.EMAIL)
    return channels


def address_for(victim: Victim, channel: str) -> str | None:
    return victim.phone_e164 if channel == Channel.SMS else victim.email


def in_safe_hours(start: time | None, end: time | None, at: datetime) -> bool:
    """Whether `at` falls in the window [start, end) in UK local time."""
    if start is None or end is None or start == end:
        return True
    local = at.astimezone(LONDON).time().replace(tzinfo=None)
    if start < end:
        return start <= local < end
    return local >= start or local < end  # the window crosses midnight


def next_safe_time(start: time | None, end: time | None, at: datetime) -> datetime:
    """`at` itself when it is inside the window, otherwise the window's next opening."""
    if in_safe_hours(start, end, at):
        return at
    local = at.astimezone(LONDON)
    opening = datetime.combine(local.date(), start, tzinfo=LONDON)
    if opening <= local:
        opening = datetime.combine(local.date() + timedelta(days=1), start, tzinfo=LONDON)
    return opening.astimezone(at.tzinfo)


def insert_notifications(session: Session, rows: list[dict[str, Any]]) -> int:
    """Insert rows, skipping any whose idempotency_key already exists; return how many
    were new. Safe when two sweeps or two API calls race for the same key."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(Notification.__table__)
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(Notification.__table__.c.id)
    )
    # Rows as parameters, not .values(rows): one cached statement, sent in batches.
    return len(session.execute(statement, rows).scalars().all())


def existing_keys(session: Session, keys: list[str]) -> set[str]:
    table = Notification.__table__
    return set(
        session.execute(sa.select(table.c.idempotency_key).where(table.c.idempotency_key.in_(keys)))
        .scalars()
        .all()
    )
