"""Staff accounts: argon2 password hashes and TOTP secrets."""

from __future__ import annotations

from datetime import datetime

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from portal.models import StaffUser
from portal.services import audit, sessions

_hasher = PasswordHasher()
#: Base32 characters of a TOTP secret: 32 make 160 bits (RFC 4226; pyotp>=2.12 refuses less).
TOTP_SECRET_LENGTH = 32


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_totp_secret() -> str:
    return pyotp.random_base32(length=TOTP_SECRET_LENGTH)


def find_staff(session: Session, email: str) -> StaffUser | None:
    return session.exec(select(StaffUser).where(StaffUser.email == email.strip().lower())).first()


def create_staff(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    organisation: str,
    area: str | None,
    password: str,
    actor: str,
    force: str | None = None,
) -> StaffUser:
    """A new account; its owner enrols TOTP at their first sign-in."""
    user = StaffUser(
        email=email.strip().lower(),
        name=name.strip(),
        role=role,
        organisation=organisation.strip(),
        force=force,
        area=(area or "").strip() or None,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="staff.create",
        subject=f"staff:{user.id}",
        details={"role": role},
    )
    return user


def disable_staff(
    session: Session,
    user: StaffUser,
    *,
    actor: str,
    now: datetime,
    session_store: sessions.SessionStore,
) -> None:
    """Disable the account and end all its sessions at once."""
    user.disabled_at = now
    ended = session_store.revoke_all(session, kind="staff", principal_id=user.id, now=now)
    audit.record(
        session,
        actor=actor,
        action="staff.disable",
        subject=f"staff:{user.id}",
        details={"sessions_ended": ended},
    )


def staff_of_force(session: Session, force: str | None) -> list[StaffUser]:
    """The accounts an admin of `force` manages: their force's (none without a force)."""
    if not force:
        return []
    query = select(StaffUser).where(StaffUser.force == force).order_by(StaffUser.email)
    return list(session.exec(query).all())


def staff_by_role(session: Session, role: str, *, force: str | None = None) -> list[StaffUser]:
    """The active accounts of a role (of one force, when given), by name."""
    query = select(StaffUser).where(StaffUser.role == role, StaffUser.disabled_at.is_(None))
    if force is not None:
        query = query.where(StaffUser.force == force)
    return list(session.exec(query.order_by(StaffUser.name)).all())
