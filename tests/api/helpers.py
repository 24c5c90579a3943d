"""Helpers for the API tests: a valid case body to vary field by field, the officer it
names, keys, events and the audit trail."""

from __future__ import annotations

import copy

from sqlmodel import Session, select

from portal.models import AuditEvent, Role, StaffUser
from portal.models.base import utcnow
from portal.services import api_keys

REFERENCE = "01/123456/26"
CHARGED = {
    "type": "charged",
    "occurred_at": "2026-06-16T11:00:00+01:00",
    "params": {
        "offence": "Assault",
        "court_date": "2026-07-06T09:30:00+01:00",
        "court_place": "Leeds Magistrates' Court",
    },
}


def case_body(**changes) -> dict:
    """A valid case with two victims; keyword arguments replace top-level fields."""
    body = {
        "crime_reference": REFERENCE,
        "crime_category": "Assault",
        "force": "West Yorkshire Police",
        "area": "Leeds",
        "domestic_abuse": False,
        "sexual_offence": False,
        "enhanced_rights": False,
        "officer_email": "officer@police.example",
        "victims": [
            {
                "name": "Anna Kowalska",
                "locale": "pl",
                "phone": "+447700900101",
                "email": "anna@example.com",
                "channels": ["sms", "email"],
                "discreet": False,
                "safe_hours": None,
            },
            {
                "name": "Chris Jones",
                "locale": "en",
                "phone": "+447700900105",
                "channels": ["sms"],
                "discreet": True,
                "safe_hours": {"start": "09:00", "end": "12:00"},
            },
        ],
    }
    body.update(copy.deepcopy(changes))
    return body


def with_victim(**changes) -> dict:
    """A valid case whose first victim has these fields replaced."""
    body = case_body()
    body["victims"][0].update(changes)
    return body


def add_officer(session: Session) -> StaffUser:
    """The officer named by case_body()'s officer_email."""
    user = StaffUser(
        email="officer@police.example",
        name="PC Officer",
        role=Role.OFFICER,
        organisation="West Yorkshire Police",
        force="West Yorkshire Police",
        area="Leeds",
        password_hash="not-a-real-hash",  # noqa: S106
    )
    session.add(user)
    session.commit()
    return user


def new_key(session: Session, name: str = "rms", force: str | None = None) -> str:
    key = api_keys.create(session, name, force=force, now=utcnow())
    session.commit()
    return key.secret


def post_event(client, auth, body=None, *, key=None, reference=REFERENCE):
    headers = {**auth, **({"Idempotency-Key": key} if key else {})}
    return client.post(f"/api/v1/cases/{reference}/events", json=body or CHARGED, headers=headers)


def audit_actions(session: Session) -> list[tuple[str, str, str | None]]:
    session.expire_all()
    rows = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    return [(row.actor, row.action, row.subject) for row in rows]
