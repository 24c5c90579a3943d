"""Sign-in state kept on the server: sessions, victims' one-time codes, throttles.

Only hashes of secrets are stored: a session id, a challenge token or a code read from
the database cannot be replayed.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from .base import UTCDateTime, created_at_field, timestamp_field


class AuthSession(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    #: SHA-256 of the random id held in the browser's cookie.
    token_hash: str = Field(max_length=64, unique=True, index=True)
    #: "victim" or "staff".
    principal_kind: str = Field(max_length=10)
    principal_id: int = Field(index=True)
    created_at: datetime = created_at_field()
    last_seen_at: datetime = created_at_field()
    #: A victim signed in on an ISVA's device, with the ISVA present.
    assisted: bool = False
    revoked_at: datetime | None = timestamp_field()


class SignInChallenge(SQLModel, table=True):
    """One victim sign-in attempt: a code sent (or, for unknown references, not sent)."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    #: None when the reference or the chosen contact does not exist: the code never works.
    victim_id: int | None = Field(default=None, foreign_key="victim.id")
    case_id: int | None = Field(default=None, foreign_key="case.id")
    channel: str = Field(max_length=10)
    #: HMAC-SHA256 of the code, keyed with SECRET_KEY and bound to this challenge.
    code_hash: str = Field(max_length=64)
    attempts: int = 0
    created_at: datetime = created_at_field()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    used_at: datetime | None = timestamp_field()


class SignInThrottle(SQLModel, table=True):
    """Failed staff sign-ins per key (a hash of the email), shared by every process."""

    key_hash: str = Field(max_length=64, primary_key=True)
    failures: int = 0
    window_started_at: datetime = created_at_field()
    locked_until: datetime | None = timestamp_field()
