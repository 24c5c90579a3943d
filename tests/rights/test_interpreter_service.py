"""services.interpreter.record_request stores the request on the victim and audits it."""

from __future__ import annotations

import pytest
from sqlmodel import select

from portal.models import AuditEvent, Victim
from portal.services import audit
from portal.services.interpreter import InvalidInterpreterRequest, record_request


@pytest.fixture
def victim(session):
    victim = Victim(name="Ana Silva", locale="pt_BR")
    session.add(victim)
    session.commit()
    return victim


def test_request_is_stored_on_the_record_and_audited(session, victim):
    record_request(
        session,
        victim,
        "  Portuguese ",
        "Brazilian",
        "phone",
        "Weekday   evenings",
        actor="staff:7",
        on_behalf_of=f"victim:{victim.id}",
    )
    session.commit()

    stored = session.get(Victim, victim.id)
    assert stored.interpreter_needed is True
    assert stored.interpreter_language == "Portuguese"
    assert stored.interpreter_notes == (
        "Dialect: Brazilian\nContact by: phone call\nWhen: Weekday evenings"
    )
    (event,) = session.exec(select(AuditEvent)).all()
    assert event.action == "victim.interpreter_requested"
    assert event.subject == f"victim:{victim.id}"
    assert (event.actor, event.on_behalf_of) == ("staff:7", f"victim:{victim.id}")
    # The audit trail holds codes only, never the victim's words or language.
    assert "Portuguese" not in str(event.details) and "evening" not in str(event.details)
    assert audit.verify(session).ok


@pytest.mark.parametrize(
    ("language", "contact_how", "contact_when"),
    [
        ("", "phone", ""),
        ("Polish", "pigeon", ""),
        ("x" * 61, "phone", ""),
        ("Polish", "phone", "y" * 201),
    ],
)
def test_invalid_request_changes_nothing(session, victim, language, contact_how, contact_when):
    with pytest.raises(InvalidInterpreterRequest):
        record_request(session, victim, language, None, contact_how, contact_when, "system")
    session.rollback()
    assert session.get(Victim, victim.id).interpreter_needed is False
    assert session.exec(select(AuditEvent)).all() == []
