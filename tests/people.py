"""A small world for sign-in and access tests: force F with two areas (North, South) and
every role, force G whose area is also called "North", and two victims of force F."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyotp
import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlmodel import Session, select

from portal.models import AdvocateLink, AuditEvent, Case, CaseVictim, Role, StaffUser, Victim
from portal.models.base import utcnow

PASSWORD = "correct horse battery"  # noqa: S105 - test only
FORCE, OTHER_FORCE = "F", "G"
#: Key: (role, force, area). Victim A's case is F/North; victim B's F/South.
STAFF = {
    "officer_north": (Role.OFFICER, FORCE, "North"),
    "officer_south": (Role.OFFICER, FORCE, "South"),
    "supervisor_north": (Role.SUPERVISOR, FORCE, "North"),
    "supervisor_south": (Role.SUPERVISOR, FORCE, "South"),
    "isva_consent": (Role.ISVA, FORCE, None),
    "isva_none": (Role.ISVA, FORCE, None),
    "isva_revoked": (Role.ISVA, FORCE, None),
    "admin": (Role.ADMIN, FORCE, None),
    # Another force, with an area of the same name as victim A's.
    "officer_other_force": (Role.OFFICER, OTHER_FORCE, "North"),
    "supervisor_other_force": (Role.SUPERVISOR, OTHER_FORCE, "North"),
    "isva_other_force": (Role.ISVA, OTHER_FORCE, None),
    "admin_other_force": (Role.ADMIN, OTHER_FORCE, None),
}
#: Argon2 with its cheapest parameters: each staff sign-in of a test verifies in
#: microseconds, not a tenth of a second and 64 MiB (the verifier reads the parameters from
#: the hash). Passwords hashed by the portal itself (accounts.hash_password) keep the
#: production parameters (test_staff_sign_in.py::test_first_sign_in_enrols_totp_with_a_local_qr_code
#: signs in with them).
_HASH = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)


@dataclass
class World:
    staff: dict[str, StaffUser]
    victim_a: Victim
    victim_b: Victim
    case_a: Case
    case_b: Case


def build_world(session: Session) -> World:
    staff = {}
    for key, (role, force, area) in STAFF.items():
        user = StaffUser(
            email=f"{key}@example.org",
            name=key.replace("_", " ").title(),
            role=role,
            organisation="Test",
            force=force,
            area=area,
            password_hash=_HASH,
            totp_secret=pyotp.random_base32(),
            totp_enrolled_at=utcnow(),
        )
        session.add(user)
        staff[key] = user
    session.flush()
    victim_a = Victim(
        name="Victim A", locale="pl", phone_e164="+447700900001", email="a@example.com"
    )
    victim_b = Victim(name="Victim B", locale="en", phone_e164="+447700900002", discreet=True)
    case_a = Case(
        crime_reference="01/000001/26",
        force=FORCE,
        area="North",
        crime_category="Burglary",
        officer_id=staff["officer_north"].id,
    )
    case_b = Case(
        crime_reference="01/000002/26",
        force=FORCE,
        area="South",
        crime_category="Robbery",
        officer_id=staff["officer_south"].id,
    )
    session.add_all([victim_a, victim_b, case_a, case_b])
    session.flush()
    session.add_all(
        [
            CaseVictim(case_id=case_a.id, victim_id=victim_a.id),
            CaseVictim(case_id=case_b.id, victim_id=victim_b.id),
            AdvocateLink(
                isva_id=staff["isva_consent"].id, victim_id=victim_a.id, consent_given_via="web"
            ),
            AdvocateLink(
                isva_id=staff["isva_revoked"].id,
                victim_id=victim_a.id,
                consent_given_via="web",
                revoked_at=utcnow(),
            ),
        ]
    )
    session.commit()
    return World(staff, victim_a, victim_b, case_a, case_b)


def send_sign_in_codes(session: Session) -> None:
    """What the dispatcher does for a waiting victim: send the queued sign-in codes (only
    that lane), through the development outbox, with the test configuration's key."""
    from portal.config import TestConfig
    from portal.providers.outbox import OutboxEmailProvider, OutboxSmsProvider
    from portal.services.lanes import SIGN_IN
    from portal.services.messaging import dispatch_due

    engine = session.get_bind()
    dispatch_due(
        session,
        sms=OutboxSmsProvider(engine),
        email=OutboxEmailProvider(engine),
        secret_key=TestConfig.SECRET_KEY,
        max_lane=SIGN_IN,
    )


def latest_code(session: Session) -> str:
    """The code in the newest message sent, once the dispatcher has sent the codes."""
    from portal.models import OutboxMessage

    send_sign_in_codes(session)
    message = session.exec(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def sign_in_victim(client, session: Session, reference: str, channel: str = "sms", **extra):
    response = client.post("/sign-in", data={"reference": reference, "channel": channel, **extra})
    assert response.status_code == 303
    session.expire_all()
    return client.post("/sign-in/code", data={"code": latest_code(session)})


def sign_in_staff(client, user: StaffUser):
    """Password, then the current TOTP code. A code is accepted once per account, so the
    account's last used time step is forgotten first, as if 30 seconds had passed since
    the test's previous sign-in."""
    with Session(client.application.extensions["db_engine"]) as session:
        session.execute(
            sa.update(StaffUser.__table__)
            .where(StaffUser.id == user.id)
            .values(totp_last_step=None)
        )
        session.commit()
    client.post("/staff/sign-in", data={"email": user.email, "password": PASSWORD})
    return client.post("/staff/sign-in/code", data={"code": pyotp.TOTP(user.totp_secret).now()})


def audit_events(session: Session, action: str | None = None) -> list[AuditEvent]:
    session.expire_all()
    query = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(session.exec(query).all())
