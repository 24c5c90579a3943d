"""A name or free text made only of invisible characters is refused, in the reader's
language, on the web forms (issue 13, item 15). The API's side: tests/api/test_invisible_text.py.
"""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext
from sqlmodel import select

from portal.models import StaffUser
from portal.services.validation import written
from tests.people import sign_in_staff, sign_in_victim

#: Right-to-left override, zero-width space, word joiner, ideographic space, NUL, BOM...
INVISIBLE = [
    "\u202e",
    "\u202e\u202e\u202e",
    "\u200b",
    "\u2060\u2066\u2069",
    "\u3000",
    "\u00a0\u2028",
    "\x00",
    "\ufeff",
    " \u202e \t",
]


def _error(app, locale: str, message: str) -> str:
    with app.test_request_context(), force_locale(locale):
        return gettext(message)


@pytest.mark.parametrize("value", INVISIBLE)
def test_written_finds_nothing_in_invisible_text(value):
    assert written(value) == ""


@pytest.mark.parametrize("value", ["Layla", " Anna ", "\u202eLayla", "محمد\u200cعلي"])
def test_written_keeps_text_a_person_can_read(value):
    assert written(value) == value.strip()


@pytest.mark.parametrize("value", INVISIBLE)
def test_an_admin_cannot_create_an_account_with_an_invisible_name(
    app, client, session, world, value
):
    sign_in_staff(client, world.staff["admin"])
    client.set_cookie("lang", "pl")
    response = client.post(
        "/staff/accounts",
        data={
            "email": "new@example.org",
            "name": value,
            "role": "officer",
            "organisation": value,
            "password": "a long enough password",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _error(app, "pl", "Enter a name.") in page
    assert _error(app, "pl", "Enter an organisation.") in page
    session.expire_all()
    assert (
        session.exec(select(StaffUser).where(StaffUser.email == "new@example.org")).first() is None
    )


@pytest.mark.parametrize("value", INVISIBLE[:3])
def test_a_victim_cannot_ask_for_an_interpreter_in_an_invisible_language(
    app, client, session, world, value
):
    sign_in_victim(client, session, world.case_a.crime_reference)
    response = client.post(
        "/interpreter", data={"language": value, "contact_how": "phone", "contact_when": ""}
    )
    assert response.status_code == 400
    locale = world.victim_a.locale
    assert _error(app, locale, "Tell us which language you need.") in response.get_data(
        as_text=True
    )


@pytest.mark.parametrize("value", INVISIBLE[:3])
def test_an_officer_cannot_record_a_withdrawal_with_an_invisible_note_or_reference(
    app, client, world, value
):
    sign_in_staff(client, world.staff["officer_north"])
    response = client.post(
        f"/staff/cases/{world.case_a.id}/withdrawals",
        data={
            "victim_id": world.victim_a.id,
            "evidence_type": "statement",
            "evidence_reference": value,
            "reasons": ["move_on"],
            "note": value,
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code in (400, 422)
    assert (
        _error(
            app, "en", "Enter the evidence reference, for example the statement or exhibit number."
        )
        in page
    )


@pytest.mark.parametrize("value", INVISIBLE[:3])
def test_an_admin_cannot_open_a_victim_record_with_an_invisible_reason(client, world, value):
    sign_in_staff(client, world.staff["admin"])
    response = client.post(f"/staff/victims/{world.victim_a.id}", data={"reason": value})
    assert response.status_code == 404
    assert world.victim_a.name not in response.get_data(as_text=True)
    given = client.post(f"/staff/victims/{world.victim_a.id}", data={"reason": "Complaint 42"})
    assert given.status_code == 200
