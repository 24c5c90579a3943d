"""A victim's own choices: language, channels, safe hours, discreet mode, how often to
hear from the police, and which advocate may see their case. Every change is audited,
saying who made it and, for an ISVA, on whose behalf."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, time

from sqlmodel import Session, select

from portal.models import AdvocateLink, ConsentRecord, Role, StaffUser, Victim
from portal.services import audit

UPDATE_FREQUENCIES = (7, 14, 28, 56)
#: How a victim can give consent that an officer records: in person, by phone, in
#: writing, or through the portal (ConsentRecord.given_via).
CONSENT_METHODS = ("in_person", "phone", "letter", "web")


@dataclass(frozen=True)
class Preferences:
    locale: str
    sms_allowed: bool
    email_allowed: bool
    safe_hours_start: time | None
    safe_hours_end: time | None
    discreet: bool
    update_frequency_days: int

    @classmethod
    def of(cls, victim: Victim) -> Preferences:
        return cls(**{f.name: getattr(victim, f.name) for f in fields(cls)})


def change(
    session: Session,
    victim: Victim,
    wanted: Preferences,
    *,
    actor: str,
    on_behalf_of: str | None = None,
) -> list[str]:
    """Apply the preferences; returns the names of the fields that changed."""
    changed = [
        f.name for f in fields(Preferences) if getattr(victim, f.name) != getattr(wanted, f.name)
    ]
    for name in changed:
        setattr(victim, name, getattr(wanted, name))
    audit.record(
        session,
        actor=actor,
        on_behalf_of=on_behalf_of,
        action="victim.preferences.change",
        subject=f"victim:{victim.id}",
        details={"fields": changed},
    )
    return changed


def advocate_links(session: Session, victim_id: int) -> list[tuple[AdvocateLink, StaffUser]]:
    """Active advocate access to this victim, with each ISVA."""
    query = (
        select(AdvocateLink, StaffUser)
        .join(StaffUser, StaffUser.id == AdvocateLink.isva_id)
        .where(AdvocateLink.victim_id == victim_id, AdvocateLink.revoked_at.is_(None))
        .order_by(AdvocateLink.id)
    )
    return list(session.exec(query).all())


def grant_advocate(
    session: Session,
    victim: Victim,
    isva: StaffUser,
    *,
    actor: str,
    given_via: str,
    now: datetime,
    recorded_by_id: int | None = None,
    case_id: int | None = None,
    note: str | None = None,
) -> AdvocateLink | None:
    """Record the victim's consent and give the ISVA access (None if not an active ISVA).

    `note` (what the officer who recorded the consent wrote) is kept on the link; the
    consent record's own note names the ISVA, which is how revoking finds it."""
    if isva.role != Role.ISVA or isva.disabled_at is not None:
        return None
    session.add(
        ConsentRecord(
            victim_id=victim.id,
            kind="advocate_access",
            given_via=given_via,
            recorded_by_id=recorded_by_id,
            note=f"isva:{isva.id}",
            given_at=now,
        )
    )
    link = AdvocateLink(
        isva_id=isva.id,
        victim_id=victim.id,
        case_id=case_id,
        consent_given_via=given_via,
        consent_recorded_by_id=recorded_by_id,
        consent_note=note,
        created_at=now,
    )
    session.add(link)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="advocate.grant",
        subject=f"victim:{victim.id}",
        details={"isva": isva.id, "link": link.id, "case_id": case_id, "via": given_via},
    )
    return link


def has_advocate(session: Session, victim_id: int, isva_id: int, case_id: int | None) -> bool:
    """Whether this ISVA already has live access to the victim covering `case_id`."""
    query = select(AdvocateLink.case_id).where(
        AdvocateLink.victim_id == victim_id,
        AdvocateLink.isva_id == isva_id,
        AdvocateLink.revoked_at.is_(None),
    )
    return any(scope in (None, case_id) for scope in session.exec(query).all())


def revoke_advocate(
    session: Session, victim: Victim, link_id: int, *, actor: str, now: datetime
) -> bool:
    """End one advocate's access at once; False when it is not this victim's live link."""
    link = session.get(AdvocateLink, link_id)
    if link is None or link.victim_id != victim.id or link.revoked_at is not None:
        return False
    link.revoked_at = now
    consents = session.exec(
        select(ConsentRecord).where(
            ConsentRecord.victim_id == victim.id,
            ConsentRecord.kind == "advocate_access",
            ConsentRecord.note == f"isva:{link.isva_id}",
            ConsentRecord.withdrawn_at.is_(None),
        )
    )
    for consent in consents.all():
        consent.withdrawn_at = now
    audit.record(
        session,
        actor=actor,
        action="advocate.revoke",
        subject=f"victim:{victim.id}",
        details={"isva": link.isva_id, "link": link.id},
    )
    return True
