"""A new case, with its victims, pushed by a police record system.

`read_new_case` checks a JSON body strictly (types, lengths, E.164 phone numbers, e-mail
addresses, supported locales, unknown fields refused) and reports every problem at once,
per field; `create_case` stores the case, its victims and how each may be contacted.
The same models describe the API in its OpenAPI document.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Annotated, Literal

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, Field, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portal.i18n import SUPPORTED_LOCALES
from portal.models import Case, CaseVictim, Channel, Role, StaffUser, Victim
from portal.models.victim import DEFAULT_UPDATE_FREQUENCY_DAYS

from . import access, audit
from .validation import (
    CLOCK_PATTERN,
    CRIME_REFERENCE_PATTERN,
    E164_PATTERN,
    InvalidInput,
    StrictModel,
    invalid_input,
    one_line,
)

#: Victims type the crime reference to sign in, so it is stored exactly as they see it.
CRIME_REFERENCE_MAX = 40
MAX_VICTIMS = 10
#: Ofcom's range of mobile numbers for drama (07700 900000-900999): never allocated to
#: anyone, so staging systems can use them without texting a real person.
DRAMA_MOBILE_PREFIX = "+447700900"


class CaseExists(Exception):
    """A case with this crime reference is already recorded."""


class NotAllowed(Exception):
    """The caller may not create a case for this force."""


def _valid_phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value)
    except phonenumbers.NumberParseException:
        raise ValueError("is not a valid phone number") from None
    is_drama = value.startswith(DRAMA_MOBILE_PREFIX) and len(value) == 13
    if not (is_drama or phonenumbers.is_valid_number(number)):
        raise ValueError("is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _valid_email(value: str) -> str:
    try:
        checked = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        raise ValueError(f"is not a valid e-mail address ({error})") from None
    return checked.normalized


Phone = Annotated[str, Field(pattern=E164_PATTERN, max_length=16), AfterValidator(_valid_phone)]
Email = Annotated[
    str,
    Field(min_length=3, max_length=254, json_schema_extra={"format": "email"}),
    AfterValidator(_valid_email),
]
ClockTime = Annotated[str, Field(pattern=CLOCK_PATTERN)]
PersonName = one_line(200)
Category = one_line(60)
ForceOrArea = one_line(80)


class SafeHours(StrictModel):
    """When the victim says it is safe to contact them, UK local time ("HH:MM"); the
    window may cross midnight."""

    start: ClockTime
    end: ClockTime


class NewVictim(StrictModel):
    name: PersonName
    locale: Literal[SUPPORTED_LOCALES] = Field(
        description="The victim's language, with dialect where it matters (pt_BR, es_419)."
    )
    phone: Phone | None = Field(default=None, description="E.164, e.g. +447700900123.")
    email: Email | None = None
    channels: list[Literal["sms", "email"]] = Field(
        max_length=2,
        json_schema_extra={"uniqueItems": True},
        description="The channels the victim agreed to; each needs its phone or email.",
    )
    discreet: bool = Field(
        default=False,
        description="Messages name nothing: no police, crime, court or portal.",
    )
    safe_hours: SafeHours | None = None


class NewCase(StrictModel):
    crime_reference: str = Field(
        min_length=1, max_length=CRIME_REFERENCE_MAX, pattern=CRIME_REFERENCE_PATTERN
    )
    crime_category: Category
    force: ForceOrArea
    area: ForceOrArea
    domestic_abuse: bool = False
    sexual_offence: bool = False
    enhanced_rights: bool = Field(
        default=False,
        description="Victims' Code enhanced rights (told within 1 working day, not 5). "
        "Domestic abuse and sexual offences always have them.",
    )
    officer_email: Email | None = Field(
        default=None, description="The officer in charge: an active officer's account."
    )
    victims: list[NewVictim] = Field(min_length=1, max_length=MAX_VICTIMS)


def _contact_problems(victims: list[NewVictim]) -> list[dict[str, str]]:
    """Rules across fields: a channel needs its address; a safe window has two ends."""
    problems = []
    for index, victim in enumerate(victims):
        where = f"victims.{index}"
        if len(set(victim.channels)) != len(victim.channels):
            problems.append({"field": f"{where}.channels", "message": "lists a channel twice"})
        if Channel.SMS in victim.channels and victim.phone is None:
            problems.append({"field": f"{where}.phone", "message": "is needed for sms"})
        if Channel.EMAIL in victim.channels and victim.email is None:
            problems.append({"field": f"{where}.email", "message": "is needed for email"})
        hours = victim.safe_hours
        if hours is not None and hours.start == hours.end:
            problems.append(
                {"field": f"{where}.safe_hours.end", "message": "must differ from start"}
            )
    return problems


def read_new_case(raw: bytes | str) -> NewCase:
    """The case described by a JSON body, or InvalidInput naming every wrong field."""
    try:
        new = NewCase.model_validate_json(raw, strict=True)
    except ValidationError as error:
        raise invalid_input(error) from None
    problems = _contact_problems(new.victims)
    if problems:
        raise InvalidInput(problems)
    return new


def find_case(session: Session, reference: str) -> Case | None:
    return session.exec(select(Case).where(Case.crime_reference == reference)).first()


def _officer(session: Session, email: str | None, force: str) -> StaffUser | None:
    """The active officer of `force` with this email; None when none is named."""
    if email is None:
        return None
    return session.exec(
        select(StaffUser).where(
            StaffUser.email == email.lower(),
            StaffUser.role == Role.OFFICER,
            StaffUser.force == force,
            StaffUser.disabled_at.is_(None),
        )
    ).first()


def _in_force(session: Session, new: NewCase) -> StaffUser | None:
    """The case's officer, once the case is seen to stay within its force: its area is
    not another force's, and its officer (if named) is an active officer of its force.
    Otherwise InvalidInput naming each field, so a case can never be filed where another
    force's staff would see it."""
    problems = []
    forces = access.forces_with_area(session, new.area)
    if forces and new.force not in forces:
        problems.append({"field": "area", "message": "is an area of another force"})
    officer = _officer(session, new.officer_email, new.force)
    if new.officer_email is not None and officer is None:
        problems.append(
            {"field": "officer_email", "message": "is not an active officer of this force"}
        )
    if problems:
        raise InvalidInput(problems)
    return officer


def _clock(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def _victim(new: NewVictim, now: datetime) -> Victim:
    hours = new.safe_hours
    return Victim(
        name=new.name,
        locale=new.locale,
        phone_e164=new.phone,
        email=new.email,
        sms_allowed=Channel.SMS in new.channels,
        email_allowed=Channel.EMAIL in new.channels,
        discreet=new.discreet,
        safe_hours_start=_clock(hours.start if hours else None),
        safe_hours_end=_clock(hours.end if hours else None),
        created_at=now,
    )


def create_case(
    session: Session, new: NewCase, *, who: access.Principal, now: datetime
) -> tuple[Case, list[Victim]]:
    """Store the case and its victims in the caller's transaction.

    Raises NotAllowed (refusal audited), InvalidInput (an area of another force, an officer
    who is not an active officer of the case's force) or CaseExists; on
    CaseExists the session has been rolled back.
    """
    if not access.may_create_case(session, who, new.force):
        raise NotAllowed
    officer = _in_force(session, new)
    if find_case(session, new.crime_reference) is not None:
        raise CaseExists
    case = Case(
        crime_reference=new.crime_reference,
        force=new.force,
        area=new.area,
        crime_category=new.crime_category,
        domestic_abuse=new.domestic_abuse,
        sexual_offence=new.sexual_offence,
        enhanced_rights=new.enhanced_rights or new.domestic_abuse or new.sexual_offence,
        officer_id=officer.id if officer else None,
        reported_at=now,
        # The first routine update is due after the default agreed frequency.
        next_update_due_at=now + timedelta(days=DEFAULT_UPDATE_FREQUENCY_DAYS),
        created_at=now,
    )
    session.add(case)
    try:
        session.flush()  # a second request for the same reference may have won the race
    except IntegrityError:
        session.rollback()
        raise CaseExists from None
    victims = [_victim(person, now) for person in new.victims]
    session.add_all(victims)
    session.flush()
    session.add_all(CaseVictim(case_id=case.id, victim_id=victim.id) for victim in victims)
    audit.record(
        session,
        actor=who.ref,
        action="case.create",
        subject=f"case:{case.id}",
        details={"victims": [victim.id for victim in victims]},
    )
    session.flush()
    return case, victims
