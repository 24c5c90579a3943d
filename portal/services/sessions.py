"""Server-side sign-in sessions. The browser holds only a random id; the database holds
its hash, who it belongs to and when it was last used, so sign-out and account
disabling take effect at once, on every device and every process."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from portal.models import AuthSession

#: (idle, absolute) limits. Victims' phones may be shared or taken: short limits.
TIMEOUTS = {
    "victim": (timedelta(minutes=15), timedelta(hours=2)),
    "staff": (timedelta(minutes=30), timedelta(hours=10)),
}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(
    session: Session, *, kind: str, principal_id: int, now: datetime, assisted: bool = False
) -> str:
    """Open a session with a brand new id and return that id (for the cookie only)."""
    token = secrets.token_urlsafe(32)
    session.add(
        AuthSession(
            token_hash=_hash(token),
            principal_kind=kind,
            principal_id=principal_id,
            created_at=now,
            last_seen_at=now,
            assisted=assisted,
        )
    )
    session.flush()
    return token


def resolve(session: Session, token: str | None, *, now: datetime) -> AuthSession | None:
    """The live session for this id, touched as used now; None if unknown or ended."""
    if not token:
        return None
    found = session.exec(select(AuthSession).where(AuthSession.token_hash == _hash(token))).first()
    if found is None or found.revoked_at is not None:
        return None
    idle, absolute = TIMEOUTS[found.principal_kind]
    if now - found.last_seen_at > idle or now - found.created_at > absolute:
        found.revoked_at = now
        return None
    found.last_seen_at = now
    return found


def revoke(session: Session, token: str | None, *, now: datetime) -> None:
    if token:
        session.execute(
            sa.update(AuthSession)
            .where(AuthSession.token_hash == _hash(token), AuthSession.revoked_at.is_(None))
            .values(revoked_at=now)
        )


def revoke_all(session: Session, *, kind: str, principal_id: int, now: datetime) -> int:
    """End every session of one person (used when a staff account is disabled)."""
    result = session.execute(
        sa.update(AuthSession)
        .where(
            AuthSession.principal_kind == kind,
            AuthSession.principal_id == principal_id,
            AuthSession.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    return result.rowcount or 0
