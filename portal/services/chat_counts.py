"""Counts of chatbot answers, per day, intent, language and channel: the only thing the
bot keeps. What people wrote is never stored, by web or by SMS, signed in or not.

One row per (day, intent, language, channel), bumped by an INSERT ... ON CONFLICT DO
UPDATE: atomic on PostgreSQL and SQLite alike, so two workers answering at the same
moment both count and neither fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from portal.models import ChatCount

from .working_days import LONDON

CHANNELS = ("web", "sms")
_KEY = ("day", "intent", "language", "channel")


def record(session: Session, *, intent: str, language: str, channel: str, now: datetime) -> None:
    """Add one answered message to today's count (UK date). The caller commits."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown chat channel {channel!r}")
    table = ChatCount.__table__
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(table)
        .values(
            day=now.astimezone(LONDON).date(),
            intent=intent[:40],
            language=language[:12],
            channel=channel,
            count=1,
        )
        .on_conflict_do_update(index_elements=list(_KEY), set_={"count": table.c.count + 1})
    )
    session.execute(statement)


@dataclass(frozen=True)
class Totals:
    """Counts since a day: every row, and the sums per intent and per language."""

    since: date
    rows: list[ChatCount]
    by_intent: list[tuple[str, int]]
    by_language: list[tuple[str, int]]
    total: int


def _sums(session: Session, column, since: date) -> list[tuple[str, int]]:
    total = sa.func.sum(ChatCount.count)
    query = (
        select(column, total)
        .where(ChatCount.day >= since)
        .group_by(column)
        .order_by(total.desc(), column)
    )
    return [(name, int(count)) for name, count in session.exec(query).all()]


def totals(session: Session, *, days: int, now: datetime) -> Totals:
    """The counts of the last `days` days (today included), newest day first."""
    since = now.astimezone(LONDON).date() - timedelta(days=max(days, 1) - 1)
    rows = session.exec(
        select(ChatCount)
        .where(ChatCount.day >= since)
        .order_by(
            ChatCount.day.desc(),
            ChatCount.count.desc(),
            ChatCount.intent,
            ChatCount.language,
            ChatCount.channel,
        )
    ).all()
    by_intent = _sums(session, ChatCount.intent, since)
    return Totals(
        since=since,
        rows=list(rows),
        by_intent=by_intent,
        by_language=_sums(session, ChatCount.language, since),
        total=sum(count for _, count in by_intent),
    )
