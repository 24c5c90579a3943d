"""Server-side sign-in sessions. The browser holds only a random id; the store holds its
hash, who it belongs to and when it was last used, so sign-out and account disabling
take effect at once, on every device and every process.

Two stores share one interface: `DatabaseSessionStore` (AuthSession rows, for
development and tests, written in the caller's transaction) and `RedisSessionStore`
(production: every web worker on every host sees the same sessions, and the database
is spared a write on each page view). Configuration picks one (`SESSION_STORE`).
"""

from __future__ import annotations

import hashlib
import secrets
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import redis
import sqlalchemy as sa
from sqlmodel import Session, select

from portal.models import AuthSession

#: (idle, absolute) limits. Victims' phones may be shared or taken: short limits.
TIMEOUTS = {
    "victim": (timedelta(minutes=15), timedelta(hours=2)),
    "staff": (timedelta(minutes=30), timedelta(hours=10)),
}


class SessionStoreUnavailable(RuntimeError):
    """The session store cannot be reached: nobody can be signed in or out right now."""


@dataclass(frozen=True)
class LiveSession:
    kind: str  # "victim" or "staff"
    principal_id: int
    #: A victim signed in on an ISVA's device, with the ISVA present.
    assisted: bool = False


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _expired(kind: str, *, created: datetime, last_seen: datetime, now: datetime) -> bool:
    idle, absolute = TIMEOUTS[kind]
    return now - last_seen > idle or now - created > absolute


class SessionStore(ABC):
    """`db` is the caller's unit of work: the database store writes in it (the caller
    commits); the Redis store ignores it and writes at once."""

    @abstractmethod
    def start(
        self, db: Session, *, kind: str, principal_id: int, now: datetime, assisted: bool = False
    ) -> str:
        """Open a session with a brand new id and return that id (for the cookie only)."""

    @abstractmethod
    def resolve(self, db: Session, token: str | None, *, now: datetime) -> LiveSession | None:
        """The live session for this id, touched as used now; None if unknown or ended."""

    @abstractmethod
    def revoke(self, db: Session, token: str | None, *, now: datetime) -> None:
        """End one session."""

    @abstractmethod
    def revoke_all(self, db: Session, *, kind: str, principal_id: int, now: datetime) -> int:
        """End every session of one person (used when a staff account is disabled)."""


class DatabaseSessionStore(SessionStore):
    def start(
        self, db: Session, *, kind: str, principal_id: int, now: datetime, assisted: bool = False
    ) -> str:
        token = secrets.token_urlsafe(32)
        db.add(
            AuthSession(
                token_hash=_hash(token),
                principal_kind=kind,
                principal_id=principal_id,
                created_at=now,
                last_seen_at=now,
                assisted=assisted,
            )
        )
        db.flush()
        return token

    def resolve(self, db: Session, token: str | None, *, now: datetime) -> LiveSession | None:
        if not token:
            return None
        found = db.exec(select(AuthSession).where(AuthSession.token_hash == _hash(token))).first()
        if found is None or found.revoked_at is not None:
            return None
        kind = found.principal_kind
        if _expired(kind, created=found.created_at, last_seen=found.last_seen_at, now=now):
            found.revoked_at = now
            return None
        found.last_seen_at = now
        return LiveSession(kind, found.principal_id, found.assisted)

    def revoke(self, db: Session, token: str | None, *, now: datetime) -> None:
        if token:
            db.execute(
                sa.update(AuthSession)
                .where(AuthSession.token_hash == _hash(token), AuthSession.revoked_at.is_(None))
                .values(revoked_at=now)
            )

    def revoke_all(self, db: Session, *, kind: str, principal_id: int, now: datetime) -> int:
        result = db.execute(
            sa.update(AuthSession)
            .where(
                AuthSession.principal_kind == kind,
                AuthSession.principal_id == principal_id,
                AuthSession.revoked_at.is_(None),
            )
            .values(revoked_at=now)
        )
        return result.rowcount or 0


class RedisSessionStore(SessionStore):
    """One hash per session (`<prefix>s:<id hash>`) that Redis drops after the idle
    limit, and one set per person (`<prefix>p:<kind>:<id>`) listing their sessions for
    revoke_all. Limits are checked against `now` as well, so they hold to the second."""

    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self._redis = client
        self._prefix = prefix

    def _session_key(self, token: str) -> str:
        return f"{self._prefix}s:{_hash(token)}"

    def _person_key(self, kind: str, principal_id: int) -> str:
        return f"{self._prefix}p:{kind}:{principal_id}"

    def start(
        self, db: Session, *, kind: str, principal_id: int, now: datetime, assisted: bool = False
    ) -> str:
        token = secrets.token_urlsafe(32)
        idle, absolute = TIMEOUTS[kind]
        key, person = self._session_key(token), self._person_key(kind, principal_id)
        fields = {
            "kind": kind,
            "principal_id": principal_id,
            "assisted": int(assisted),
            "created": now.timestamp(),
            "seen": now.timestamp(),
        }
        with _available():
            pipe = self._redis.pipeline()
            pipe.hset(key, mapping=fields)
            pipe.expire(key, idle)
            pipe.sadd(person, key)
            pipe.expire(person, absolute)
            pipe.execute()
        return token

    def resolve(self, db: Session, token: str | None, *, now: datetime) -> LiveSession | None:
        if not token:
            return None
        key = self._session_key(token)
        with _available():
            fields = self._redis.hgetall(key)
            if not fields:
                return None
            kind = fields[b"kind"].decode()
            created = datetime.fromtimestamp(float(fields[b"created"]), now.tzinfo)
            last_seen = datetime.fromtimestamp(float(fields[b"seen"]), now.tzinfo)
            if _expired(kind, created=created, last_seen=last_seen, now=now):
                self._redis.delete(key)
                return None
            idle, absolute = TIMEOUTS[kind]
            left = min(idle, absolute - (now - created))
            pipe = self._redis.pipeline()
            pipe.hset(key, "seen", now.timestamp())
            pipe.expire(key, max(int(left.total_seconds()), 1))
            pipe.execute()
        return LiveSession(kind, int(fields[b"principal_id"]), fields[b"assisted"] == b"1")

    def revoke(self, db: Session, token: str | None, *, now: datetime) -> None:
        if token:
            with _available():
                self._redis.delete(self._session_key(token))

    def revoke_all(self, db: Session, *, kind: str, principal_id: int, now: datetime) -> int:
        person = self._person_key(kind, principal_id)
        with _available():
            keys = self._redis.smembers(person)
            ended = self._redis.delete(*keys) if keys else 0
            self._redis.delete(person)
        return ended


@contextmanager
def _available() -> Iterator[None]:
    """Turn any Redis failure into SessionStoreUnavailable (no data in the message)."""
    try:
        yield
    except redis.RedisError as exc:
        raise SessionStoreUnavailable(type(exc).__name__) from None


def build_session_store(config: Mapping[str, Any]) -> SessionStore:
    if config["SESSION_STORE"] == "redis":
        client = redis.Redis.from_url(
            config["SESSION_REDIS_URL"], socket_timeout=0.5, socket_connect_timeout=0.5
        )
        return RedisSessionStore(client, config["SESSION_REDIS_PREFIX"])
    return DatabaseSessionStore()
