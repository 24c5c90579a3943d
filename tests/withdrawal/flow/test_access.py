"""Another victim's draft or record is never reachable: every page of the flow answers
"not found" for a case that is not the victim's, and the refusal is audited."""

from __future__ import annotations

import pytest

from tests.people import audit_events

from .helpers import requests_of, staff_client, text, victim_client, walk

PAGES = [
    ("get", ""),
    ("get", "/reasons"),
    ("post", "/reasons"),
    ("get", "/check"),
    ("post", "/check"),
    ("post", "/help"),
    ("get", "/help-asked"),
    ("get", "/receipt"),
    ("get", "/statement"),
    ("get", "/change-my-mind"),
    ("post", "/change-my-mind"),
]


@pytest.mark.parametrize(("method", "page"), PAGES)
def test_another_victims_draft_is_never_reachable(
    app, session, world, victim_a, base, method, page
):
    walk(victim_a, base)
    other = victim_client(app, session, world.case_b)
    before = len(audit_events(session))
    response = getattr(other, method)(base + page, data={"reasons": ["move_on"]})
    assert response.status_code == 404
    body = text(response)
    assert "Chcę zapomnieć" not in body and world.case_a.crime_reference not in body
    assert [e.action for e in audit_events(session)[before:]] == ["access.denied"]
    [draft] = requests_of(session, world.victim_a.id)
    assert draft.content_hash is None and draft.reasons == ["move_on", "process_too_long"]


def test_a_case_that_does_not_exist_is_not_found(victim_a):
    assert victim_a.get("/my-case/cases/999999/withdrawal/about").status_code == 404


def test_staff_cannot_use_the_victim_pages(app, world, base):
    officer = staff_client(app, world.staff["officer_north"])
    assert officer.get(base + "/about").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, base):
    response = client.get(base + "/about")
    assert response.status_code == 302 and response.location.endswith("/sign-in")
    assert client.get("/my-case/withdrawal").location.endswith("/sign-in")


def test_the_chatbot_link_leads_into_the_flow(app, victim_a, base):
    with app.test_request_context():
        from flask import url_for

        assert url_for("victim.withdrawal_start") == "/my-case/withdrawal"
    assert victim_a.get("/my-case/withdrawal").location == base


def test_a_victim_with_two_cases_chooses_one(app, session, world):
    from portal.models import CaseVictim

    session.add(CaseVictim(case_id=world.case_b.id, victim_id=world.victim_a.id))
    session.commit()
    client = victim_client(app, session, world.case_a)
    response = client.get("/my-case/withdrawal")
    assert response.status_code == 200
    page = text(response)
    for case in (world.case_a, world.case_b):
        assert f'href="/my-case/cases/{case.id}/withdrawal"' in page
