"""The messages a victim can read back in My case: the newest first, a bounded page of
them, and never their sign-in codes (a code is not news about the case, and its text is
rendered only at send time, so there is nothing to show)."""

from __future__ import annotations

from sqlmodel import Session, select

from portal.models import Notification

from .notification_text import SIGN_IN_CODE

#: How many messages My case lists (the newest).
SHOWN = 50


def for_victim(session: Session, victim_id: int, *, limit: int = SHOWN) -> list[Notification]:
    return list(
        session.exec(
            select(Notification)
            .where(
                Notification.victim_id == victim_id,
                Notification.template_key != SIGN_IN_CODE,
            )
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        ).all()
    )
