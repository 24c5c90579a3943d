"""A victim's request for an interpreter (Right 1 of the Victims' Code).

The request is stored on the Victim record, where the officer in the case sees it, and
written to the audit trail. The audit entry holds codes only: the language and the
victim's own words stay on the victim record.
"""

from __future__ import annotations

from sqlmodel import Session

from portal.models import Victim
from portal.services import audit
from portal.services.validation import written

#: How the victim wants to be contacted about the interpreter, as stable codes.
CONTACT_METHODS = ("phone", "text", "email", "in_person", "advocate")

LANGUAGE_MAX = 60
DIALECT_MAX = 60
CONTACT_WHEN_MAX = 200

_CONTACT_LABELS = {
    "phone": "phone call",
    "text": "text message",
    "email": "email",
    "in_person": "in person",
    "advocate": "through their advocate",
}


class InvalidInterpreterRequest(ValueError):
    """The request breaks a rule the form should already have enforced."""


def _clean(value: str | None, limit: int, name: str, *, required: bool = False) -> str:
    text = written(" ".join((value or "").split()))
    if required and not text:
        raise InvalidInterpreterRequest(f"{name} is required")
    if len(text) > limit:
        raise InvalidInterpreterRequest(f"{name} is longer than {limit} characters")
    return text


def officer_notes(dialect: str, contact_how: str, contact_when: str) -> str:
    """The note the officer reads, in English (staff work in English)."""
    lines: list[str] = []
    if dialect:
        lines.append(f"Dialect: {dialect}")
    lines.append(f"Contact by: {_CONTACT_LABELS[contact_how]}")
    if contact_when:
        lines.append(f"When: {contact_when}")
    return "\n".join(lines)


def note_for_police(language: str, dialect: str, contact_how: str, contact_when: str) -> str:
    """The same request as an English note an anonymous visitor can show the police."""
    return f"Language: {language}\n" + officer_notes(dialect, contact_how, contact_when)


def record_request(
    session: Session,
    victim: Victim,
    language: str,
    dialect: str | None,
    contact_how: str,
    contact_when: str | None,
    actor: str,
    on_behalf_of: str | None = None,
) -> Victim:
    """Store the request on the victim's record and audit it, in the caller's transaction."""
    language = _clean(language, LANGUAGE_MAX, "language", required=True)
    dialect = _clean(dialect, DIALECT_MAX, "dialect")
    contact_when = _clean(contact_when, CONTACT_WHEN_MAX, "contact_when")
    if contact_how not in CONTACT_METHODS:
        raise InvalidInterpreterRequest("contact_how is not a known contact method")

    victim.interpreter_needed = True
    victim.interpreter_language = language
    victim.interpreter_notes = officer_notes(dialect, contact_how, contact_when)
    session.add(victim)
    session.flush()
    audit.record(
        session,
        actor=actor,
        on_behalf_of=on_behalf_of,
        action="victim.interpreter_requested",
        subject=f"victim:{victim.id}",
        details={"contact_how": contact_how, "dialect_given": bool(dialect)},
    )
    return victim
