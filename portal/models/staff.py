"""Staff accounts (officers, supervisors, ISVAs, admins) and ISVA access to victims."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from .base import created_at_field, timestamp_field


class Role(StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ISVA = "isva"
    ADMIN = "admin"


class StaffUser(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=200)
    role: str = Field(max_length=20)
    organisation: str = Field(max_length=120)
    force: str | None = Field(default=None, max_length=80)
    area: str | None = Field(default=None, max_length=80)
    phone: str | None = Field(default=None, max_length=40)
    password_hash: str = Field(max_length=200)
    #: TOTP secret; MFA is mandatory, so sign-in is refused until it is enrolled.
    totp_secret: str | None = Field(default=None, max_length=64)
    totp_enrolled_at: datetime | None = timestamp_field()
    #: The 30 s TOTP time step of the last code accepted: that step and earlier ones are
    #: refused from then on, so a code seen over a shoulder or in transit cannot be replayed.
    totp_last_step: int | None = None
    disabled_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()


class AdvocateLink(SQLModel, table=True):
    """An ISVA's access to a victim, created with the victim's recorded consent."""

    id: int | None = Field(default=None, primary_key=True)
    isva_id: int = Field(foreign_key="staffuser.id", index=True)
    victim_id: int = Field(foreign_key="victim.id", index=True)
    #: None: all of the victim's cases; otherwise only this one.
    case_id: int | None = Field(default=None, foreign_key="case.id")
    consent_given_via: str = Field(max_length=20)
    consent_recorded_by_id: int | None = Field(default=None, foreign_key="staffuser.id")
    consent_note: str | None = Field(default=None, max_length=500)
    created_at: datetime = created_at_field()
    revoked_at: datetime | None = timestamp_field()
