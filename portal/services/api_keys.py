"""Keys for police record systems: created once, shown once, stored only as SHA-256.

A key is 256 random bits, so a plain SHA-256 (no salt, no slow hash) is enough: nobody
can guess a key from its hash, and the hash lets a request's key be found by index.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from portal.models import ApiKey

from . import audit

KEY_PREFIX = "vpk_"
#: Short enough that "api:<name>" fits the audit trail's actor column.
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,55}$")


class ApiKeyError(ValueError):
    """The name is not allowed, already taken, or names no active key."""


@dataclass(frozen=True)
class NewKey:
    record: ApiKey
    #: The key itself: shown once to whoever created it, never stored.
    secret: str


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogateescape")).hexdigest()


def create(session: Session, name: str, *, force: str | None, now: datetime) -> NewKey:
    if not NAME_PATTERN.match(name):
        raise ApiKeyError("names are 1-56 lower-case letters, digits, dots, dashes or underscores")
    if session.exec(select(ApiKey).where(ApiKey.name == name)).first() is not None:
        raise ApiKeyError(f"a key named {name!r} already exists")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    record = ApiKey(
        name=name, key_hash=hash_key(secret), force=(force or "").strip() or None, created_at=now
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        actor="system",
        action="api_key.create",
        subject=f"api_key:{record.id}",
        details={"name": name, "force": record.force},
    )
    return NewKey(record, secret)


def revoke(session: Session, name: str, *, now: datetime) -> ApiKey:
    record = session.exec(
        select(ApiKey).where(ApiKey.name == name, ApiKey.revoked_at.is_(None))
    ).first()
    if record is None:
        raise ApiKeyError(f"no active key named {name!r}")
    record.revoked_at = now
    session.add(record)
    audit.record(
        session,
        actor="system",
        action="api_key.revoke",
        subject=f"api_key:{record.id}",
        details={"name": name},
    )
    return record


def all_keys(session: Session) -> list[ApiKey]:
    return list(session.exec(select(ApiKey).order_by(ApiKey.name)).all())


def authenticate(session: Session, presented: str | None) -> ApiKey | None:
    """The active key whose hash matches `presented`, or None.

    The lookup goes through the hash's index; the final comparison is constant-time, so
    the answer's timing tells nothing about how much of a hash matched.
    """
    if not presented:
        return None
    wanted = hash_key(presented)
    record = session.exec(select(ApiKey).where(ApiKey.key_hash == wanted)).first()
    if record is None or not hmac.compare_digest(record.key_hash, wanted):
        return None
    return record if record.revoked_at is None else None
