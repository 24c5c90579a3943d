"""Staff sign in with email, password and a TOTP code; MFA is never optional.

Failed attempts are counted in the database per email (hashed), so every web process
sees the same count. The count is kept for addresses with no account too, and the
password check does the same argon2 work either way: nothing reveals whether an account
exists.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
import segno
import sqlalchemy as sa
from sqlmodel import Session

from portal.models import SignInThrottle, StaffUser
from portal.services import accounts

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_TIME = timedelta(minutes=15)
_DUMMY_HASH = accounts.hash_password("not-a-real-password")


def throttle_key(email: str) -> str:
    return hashlib.sha256(f"staff:{email.strip().lower()}".encode()).hexdigest()


def is_locked(session: Session, key: str, now: datetime) -> bool:
    row = session.get(SignInThrottle, key)
    return bool(row and row.locked_until and row.locked_until > now)


def note_failure(session: Session, key: str, now: datetime) -> None:
    """Count one failure; lock the key once MAX_FAILURES fall inside the window."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            sa.text(
                "INSERT INTO signinthrottle (key_hash, failures, window_started_at) "
                "VALUES (:k, 0, :now) ON CONFLICT (key_hash) DO NOTHING"
            ),
            {"k": key, "now": now},
        )
        row = session.get(SignInThrottle, key, with_for_update=True)
    else:
        row = session.get(SignInThrottle, key)
        if row is None:
            row = SignInThrottle(key_hash=key, failures=0, window_started_at=now)
            session.add(row)
    if now - row.window_started_at > FAILURE_WINDOW:
        row.failures, row.window_started_at = 0, now
    row.failures += 1
    if row.failures >= MAX_FAILURES:
        row.locked_until = now + LOCK_TIME
        row.failures, row.window_started_at = 0, now
    session.flush()


def clear_failures(session: Session, key: str) -> None:
    row = session.get(SignInThrottle, key)
    if row is not None:
        session.delete(row)


@dataclass(frozen=True)
class PasswordCheck:
    outcome: str  # "ok", "refused" or "locked"
    user: StaffUser | None = None


def check_password(session: Session, email: str, password: str, now: datetime) -> PasswordCheck:
    key = throttle_key(email)
    user = accounts.find_staff(session, email)
    usable = user is not None and user.disabled_at is None
    matches = accounts.password_matches(user.password_hash if usable else _DUMMY_HASH, password)
    if is_locked(session, key, now):
        return PasswordCheck("locked")
    if not (usable and matches):
        note_failure(session, key, now)
        return PasswordCheck("refused")
    return PasswordCheck("ok", user)


def secret_for_enrolment(user: StaffUser) -> str:
    """The TOTP secret to show while the user has not proved they enrolled it."""
    if user.totp_enrolled_at is None and not user.totp_secret:
        user.totp_secret = accounts.new_totp_secret()
    return user.totp_secret


def check_totp(session: Session, user: StaffUser, code: str, now: datetime) -> bool:
    """True when the code fits the user's secret (one 30 s step of clock drift allowed).
    A right code on a first sign-in completes enrolment."""
    entered = "".join((code or "").split())
    key = throttle_key(user.email)
    if is_locked(session, key, now):
        return False
    if not (
        user.totp_secret
        and pyotp.TOTP(user.totp_secret).verify(entered, for_time=now, valid_window=1)
    ):
        note_failure(session, key, now)
        return False
    if user.totp_enrolled_at is None:
        user.totp_enrolled_at = now
    clear_failures(session, key)
    return True


def enrolment_qr_data_uri(user: StaffUser, issuer: str) -> str:
    """The otpauth:// QR code as an SVG data: URI, made here: the secret never leaves."""
    uri = pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=issuer)
    svg = segno.make(uri, error="m").svg_inline(scale=4)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
