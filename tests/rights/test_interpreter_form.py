"""The "ask for an interpreter" form (Right 1), for anonymous and signed-in victims."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from portal.db import get_session
from portal.models import AuditEvent, Victim
from portal.web.rights import views


def csrf_token(client, path="/interpreter") -> str:
    body = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', body).group(1)


def test_anonymous_visitor_is_told_how_to_ask(client):
    body = client.get("/interpreter").get_data(as_text=True)
    assert "101" in body
    assert "officer in your case" in body
    assert "We do not save what you type here" in body


def test_anonymous_submission_explains_how_to_ask_and_stores_nothing(client, session):
    response = client.post(
        "/interpreter",
        data={
            "csrf_token": csrf_token(client),
            "language": "Tigrinya",
            "dialect": "",
            "contact_how": "phone",
            "contact_when": "After 6pm",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "We have not saved your answers" in body
    assert "Language: Tigrinya" in body and "When: After 6pm" in body
    assert "Call 101" in re.sub(r"<[^>]+>", "", body)  # 101 is a tap-to-call link
    assert session.exec(select(Victim)).all() == []
    assert session.exec(select(AuditEvent)).all() == []


def test_invalid_answers_are_explained_next_to_their_fields_and_kept(client):
    response = client.post(
        "/interpreter",
        data={
            "csrf_token": csrf_token(client),
            "language": "",
            "dialect": "Sylheti",
            "contact_when": "x" * 201,
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>Error: Ask for an interpreter</title>" in body
    summary = body.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'href="#language"' in summary and "Tell us which language you need." in summary
    assert 'href="#contact_how-phone"' in summary
    assert 'href="#contact_when"' in summary
    assert re.search(r'id="language"[^>]*aria-describedby="language-hint language-error"', body)
    assert 'id="language-error"' in body
    assert 'value="Sylheti"' in body
    assert "x" * 201 in body


def test_the_form_cannot_be_sent_without_a_valid_csrf_token(client, session):
    response = client.post(
        "/interpreter", data={"language": "Polish", "contact_how": "phone", "csrf_token": "x"}
    )
    assert response.status_code == 400
    assert "Language: Polish" not in response.get_data(as_text=True)


@pytest.fixture
def signed_in_victim(app, session, monkeypatch):
    victim = Victim(name="Test Victim", locale="pt_BR")
    session.add(victim)
    session.commit()
    monkeypatch.setattr(views, "current_victim", lambda: get_session().get(Victim, victim.id))
    return victim


def test_signed_in_victim_request_is_saved_on_their_record(client, session, signed_in_victim):
    token = csrf_token(client)
    assert "The officer in your case will see them" in client.get("/interpreter").get_data(
        as_text=True
    )
    response = client.post(
        "/interpreter",
        data={
            "csrf_token": token,
            "language": "Portuguese",
            "dialect": "Brazilian",
            "contact_how": "text",
            "contact_when": "",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/interpreter/saved")
    assert "Your request is saved" in client.get("/interpreter/saved").get_data(as_text=True)
    session.expire_all()
    stored = session.get(Victim, signed_in_victim.id)
    assert stored.interpreter_needed is True
    assert stored.interpreter_language == "Portuguese"
    assert "Dialect: Brazilian" in stored.interpreter_notes
    events = session.exec(select(AuditEvent)).all()
    assert [event.action for event in events] == ["victim.interpreter_requested"]
    assert events[0].actor == f"victim:{signed_in_victim.id}"
