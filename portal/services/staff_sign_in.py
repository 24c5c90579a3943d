"""Staff sign in with email, password and a TOTP code; MFA is never optional.

Attempts are counted in the database per email (hashed), so every web process sees the
same count, and each is won before the password or code is checked (services.attempts),
so parallel guesses cannot get past the limit. The count is kept for addresses with no
account too, and the password check does the same argon2 work either way: nothing
reveals whether an account exists. A TOTP code is accepted once: its time step must be
later than the last one used by the account.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
import segno
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from portal.models import SignInThrottle, StaffUser
from portal.services import accounts, attempts

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_TIME = timedelta(minutes=15)
_DUMMY_HASH = accounts.hash_password("not-a-real-password")


def throttle_key(email: str) -> str:
    return hashlib.sha256(f"staff:{email.strip().lower()}".encode()).hexdigest()


def _win_attempt(session: Session, key: str, now: datetime) -> bool:
    """Spend one of the key's MAX_FAILURES tries (services.attempts) before anything is
    checked; False when they are used up or the key is locked. A window or lock that
    has run out starts afresh first."""
    session.execute(
        _insert(session)(SignInThrottle.__table__)
        .values(key_hash=key, failures=0, window_started_at=now)
        .on_conflict_do_nothing()
    )
    unlocked = sa.or_(SignInThrottle.locked_until.is_(None), SignInThrottle.locked_until <= now)
    session.execute(
        sa.update(SignInThrottle.__table__)
        .where(
            SignInThrottle.key_hash == key,
            SignInThrottle.window_started_at <= now - FAILURE_WINDOW,
            unlocked,
        )
        .values(failures=0, window_started_at=now, locked_until=None)
    )
    return (
        attempts.win(
            session, SignInThrottle.failures, MAX_FAILURES, SignInThrottle.key_hash == key, unlocked
        )
        is not None
    )


def _insert(session: Session):
    """INSERT with ON CONFLICT for the database in use (PostgreSQL or SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert
    return sqlite.insert


def _note_failure(session: Session, key: str, now: datetime) -> None:
    """The won try failed: once all MAX_FAILURES are spent, lock the key for LOCK_TIME."""
    session.execute(
        sa.update(SignInThrottle.__table__)
        .where(SignInThrottle.key_hash == key, SignInThrottle.failures >= MAX_FAILURES)
        .values(locked_until=now + LOCK_TIME)
    )


def _give_back(session: Session, key: str) -> None:
    """A right password costs no try (only wrong guesses and the second factor count)."""
    session.execute(
        sa.update(SignInThrottle.__table__)
        .where(SignInThrottle.key_hash == key, SignInThrottle.failures > 0)
        .values(failures=SignInThrottle.failures - 1)
    )


def _clear(session: Session, key: str) -> None:
    session.execute(sa.delete(SignInThrottle.__table__).where(SignInThrottle.key_hash == key))


@dataclass(frozen=True)
class PasswordCheck:
    outcome: str  # "ok", "refused" or "locked"
    user: StaffUser | None = None


def check_password(session: Session, email: str, password: str, now: datetime) -> PasswordCheck:
    """Commits the spent try before the password is compared. A locked key still costs
    the same argon2 work, so the answer time says nothing."""
    key = throttle_key(email)
    user = accounts.find_staff(session, email)
    if not _win_attempt(session, key, now):
        accounts.password_matches(_DUMMY_HASH, password)
        return PasswordCheck("locked")
    usable = user is not None and user.disabled_at is None
    matches = accounts.password_matches(user.password_hash if usable else _DUMMY_HASH, password)
    if not (usable and matches):
        _note_failure(session, key, now)
        return PasswordCheck("refused")
    _give_back(session, key)
    return PasswordCheck("ok", user)


def secret_for_enrolment(user: StaffUser) -> str:
    """The TOTP secret to show while the user has not proved they enrolled it."""
    if user.totp_enrolled_at is None and not user.totp_secret:
        user.totp_secret = accounts.new_totp_secret()
    return user.totp_secret


def _matching_step(secret: str | None, entered: str, now: datetime) -> int | None:
    """The 30 s time step whose code was entered (one step of clock drift either way)."""
    if not secret:
        return None
    try:
        return pyotp.TOTP(secret).verify_and_get_timecode(entered, for_time=now, valid_window=1)
    except pyotp.OTPVerificationError:
        return None


def _use_step(session: Session, user_id: int, step: int) -> bool:
    """Record `step` as the account's last used one, only if it is later than any used
    before: a code (or an older one) is accepted once, even when sent twice at once."""
    used = session.execute(
        sa.update(StaffUser.__table__)
        .where(
            StaffUser.id == user_id,
            sa.or_(StaffUser.totp_last_step.is_(None), StaffUser.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .returning(StaffUser.__table__.c.id)
    ).first()
    return used is not None


def check_totp(session: Session, user: StaffUser, code: str, now: datetime) -> bool:
    """True when the code fits the user's secret and its time step is later than the last
    one used. A right code on a first sign-in completes enrolment. Each check spends a
    try of the account's throttle first (committed)."""
    entered = "".join((code or "").split())
    key = throttle_key(user.email)
    if not _win_attempt(session, key, now):
        return False
    step = _matching_step(user.totp_secret, entered, now)
    if step is None or not _use_step(session, user.id, step):
        _note_failure(session, key, now)
        return False
    if user.totp_enrolled_at is None:
        user.totp_enrolled_at = now
    _clear(session, key)
    return True


def enrolment_qr_data_uri(user: StaffUser, issuer: str) -> str:
    """The otpauth:// QR code as an SVG data: URI, made here: the secret never leaves."""
    uri = pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=issuer)
    svg = segno.make(uri, error="m").svg_inline(scale=4)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
