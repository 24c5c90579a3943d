"""Demo data for `make run`: one force, two areas, staff, ISVAs and about 20 cases.

Loading is idempotent: it adds only what is missing, keyed by email and crime reference.
Nothing here is real: names are invented and phone numbers are Ofcom drama numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

from sqlmodel import Session, select

from portal.models import AdvocateLink, Case, CaseStage, CaseVictim, Role, StaffUser, Victim
from portal.models.base import utcnow
from portal.services import accounts, audit

FORCE = "Metropolitan Police Service"
AREAS = ("North Area", "South Area")
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed by `make run`, demo only

# Fixed TOTP secrets so a newcomer can add them to an authenticator app once. 160 bits
# (32 base32 characters), as RFC 4226 recommends and pyotp>=2.12 requires.
STAFF = (
    (
        "officer.north@example.org",
        "PC Sam Okafor",
        Role.OFFICER,
        "North Area",
        "75R7GKRKTIFHQA2DKC2RFHE2USFX6SPF",
    ),
    (
        "officer.south@example.org",
        "DC Priya Shah",
        Role.OFFICER,
        "South Area",
        "2N5DGL435MQWWVZ5IHQDEG5NAVB5OS7C",
    ),
    (
        "supervisor@example.org",
        "DS Alex Morgan",
        Role.SUPERVISOR,
        "North Area",
        "PLY62FYYA2AJ3REW6TQ7WLLJNXGRWQIA",
    ),
    (
        "isva.one@example.org",
        "Jo Bennett (ISVA)",
        Role.ISVA,
        None,
        "LAXLQLC7DUWHHHGV2YJC6LKWWKBAEQ2Y",
    ),
    (
        "isva.two@example.org",
        "Rui Costa (ISVA)",
        Role.ISVA,
        None,
        "RBU627IZXIYDLGUE7TKWSZ67ETH4OFSH",
    ),
    ("admin@example.org", "Portal Admin", Role.ADMIN, None, "AB7NXZDYNDRZDDIRPZOLFEWC72GTWDTD"),
)


@dataclass(frozen=True)
class DemoVictim:
    name: str
    locale: str
    phone: str | None
    email: str | None
    discreet: bool = False
    safe_hours: tuple[time, time] | None = None
    interpreter: str | None = None


VICTIMS = (
    DemoVictim("Anna Kowalska", "pl", "+447700900101", None, interpreter="Polish"),
    DemoVictim("Mariana Souza", "pt_BR", "+447700900102", "mariana@example.com"),
    DemoVictim(
        "Layla Haddad",
        "ar",
        "+447700900103",
        None,
        discreet=True,
        safe_hours=(time(10), time(14)),
        interpreter="Arabic",
    ),
    DemoVictim(
        "Ayesha Khan", "ur", "+447700900104", None, discreet=True, safe_hours=(time(9), time(12))
    ),
    DemoVictim("Chris Jones", "en", "+447700900105", "chris@example.com"),
    DemoVictim("Ioana Popescu", "ro", "+447700900106", None),
    DemoVictim("Gurpreet Kaur", "pa", "+447700900107", None, safe_hours=(time(11), time(15))),
    DemoVictim("Sofía García", "es_419", None, "sofia@example.com"),
    DemoVictim("Rhys Evans", "cy", "+447700900109", "rhys@example.com"),
    DemoVictim("Rahim Uddin", "bn", "+447700900110", None, interpreter="Sylheti"),
    DemoVictim("Hamza Ali", "so", "+447700900111", None),
    DemoVictim("Olena Shevchenko", "uk", "+447700900112", "olena@example.com", discreet=True),
    DemoVictim("Maryam Rahimi", "fa", "+447700900113", None, safe_hours=(time(13), time(17))),
    DemoVictim("Tomas Kazlauskas", "lt", "+447700900114", None),
    DemoVictim("Elif Yilmaz", "tr", "+447700900115", "elif@example.com"),
    DemoVictim("Priya Patel", "gu", "+447700900116", None),
    DemoVictim("Lucia Rossi", "it", None, "lucia@example.com"),
    DemoVictim("Kavitha Raman", "ta", "+447700900118", None),
    DemoVictim("Camille Martin", "fr", "+447700900119", None),
    DemoVictim("João Silva", "pt_PT", "+447700900120", None),
)

CATEGORIES = (
    ("Domestic abuse: assault", True, False),
    ("Rape", False, True),
    ("Burglary", False, False),
    ("Stalking", True, False),
    ("Robbery", False, False),
    ("Sexual assault", True, True),
    ("Hate crime", False, False),
    ("Fraud", False, False),
    ("Criminal damage", False, False),
    ("Youth violence", False, False),
)

STAGES = tuple(CaseStage)


def load(session: Session) -> dict[str, int]:
    """Add whatever demo records are missing; returns how many of each were added."""
    added = {"staff": 0, "cases": 0}
    staff = {}
    for email, name, role, area, secret in STAFF:
        user = accounts.find_staff(session, email)
        if user is None:
            user = StaffUser(
                email=email,
                name=name,
                role=role,
                organisation="Demo ISVA Service" if role == Role.ISVA else FORCE,
                force=FORCE,
                area=area,
                phone="020 7946 0000",
                password_hash=accounts.hash_password(DEMO_PASSWORD),
                totp_secret=secret,
                totp_enrolled_at=utcnow(),
            )
            session.add(user)
            session.flush()
            added["staff"] += 1
        elif len(user.totp_secret or "") < accounts.TOTP_SECRET_LENGTH:
            # Loaded before demo secrets were 160 bits: pyotp>=2.12 refuses the old ones.
            user.totp_secret = secret
        staff[email] = user
    officers = [staff["officer.north@example.org"], staff["officer.south@example.org"]]
    now = utcnow()
    for index, person in enumerate(VICTIMS):
        reference = f"01/{100000 + index * 37:06d}/26"
        if session.exec(select(Case).where(Case.crime_reference == reference)).first():
            continue
        category, domestic, sexual = CATEGORIES[index % len(CATEGORIES)]
        officer = officers[index % 2]
        reported = now - timedelta(days=3 + index * 6)
        case = Case(
            crime_reference=reference,
            force=FORCE,
            area=officer.area,
            crime_category=category,
            domestic_abuse=domestic,
            sexual_offence=sexual,
            enhanced_rights=domestic or sexual,
            stage=STAGES[index % len(STAGES)],
            officer_id=officer.id,
            reported_at=reported,
            last_contact_at=reported,
            # A few are overdue so the check-in sweep and compliance pages have work.
            next_update_due_at=reported + timedelta(days=28),
        )
        victim = Victim(
            name=person.name,
            locale=person.locale,
            phone_e164=person.phone,
            email=person.email,
            sms_allowed=person.phone is not None,
            email_allowed=person.email is not None,
            discreet=person.discreet,
            safe_hours_start=person.safe_hours[0] if person.safe_hours else None,
            safe_hours_end=person.safe_hours[1] if person.safe_hours else None,
            interpreter_needed=person.interpreter is not None,
            interpreter_language=person.interpreter,
        )
        session.add_all([case, victim])
        session.flush()
        session.add(CaseVictim(case_id=case.id, victim_id=victim.id))
        if index in (0, 2, 3):
            isva = staff["isva.one@example.org"] if index != 3 else staff["isva.two@example.org"]
            session.add(
                AdvocateLink(
                    isva_id=isva.id,
                    victim_id=victim.id,
                    consent_given_via="in_person",
                    consent_recorded_by_id=officer.id,
                )
            )
        added["cases"] += 1
    if any(added.values()):
        audit.record(session, actor="system", action="demo.load", details=added)
    return added


def sign_in_help() -> str:
    lines = [
        "Demo sign-ins",
        f"  Staff (password {DEMO_PASSWORD}; TOTP secret for your authenticator app):",
    ]
    lines += [
        f"    {role.value:<10} {email:<28} TOTP {secret}" for email, _n, role, _a, secret in STAFF
    ]
    lines += [
        "  Victims: crime reference, then the one-time code shown at /dev/outbox",
        "    01/100000/26 (Polish), 01/100037/26 (Brazilian Portuguese),",
        "    01/100074/26 (Arabic, discreet mode), 01/100148/26 (English)",
    ]
    return "\n".join(lines)
