"""The API refuses names and free text made only of invisible characters (issue 13,
item 15): a right-to-left override alone is not a victim's name."""

from __future__ import annotations

import pytest
from sqlmodel import select

from portal.models import Case, CaseEvent, Victim
from tests.api.helpers import CHARGED, case_body, post_event, with_victim

INVISIBLE = ["\u202e", "\u202e\u202e", "\u200b\u200d", "\u2066\u2069", "\u3000", "\ufeff"]


@pytest.mark.parametrize("value", INVISIBLE)
@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda v: with_victim(name=v), "victims.0.name"),
        (lambda v: case_body(crime_category=v), "crime_category"),
        (lambda v: case_body(area=v), "area"),
        (lambda v: case_body(force=v), "force"),
    ],
)
def test_a_case_with_an_invisible_name_or_place_is_refused(
    client, session, auth, officer, value, make, field
):
    response = client.post("/api/v1/cases", json=make(value), headers=auth)
    assert response.status_code == 422, response.json
    assert field in [problem["field"] for problem in response.json["fields"]]
    assert session.exec(select(Case)).all() == []
    assert session.exec(select(Victim)).all() == []


@pytest.mark.parametrize("value", INVISIBLE)
def test_an_event_with_invisible_free_text_is_refused(client, session, auth, created, value):
    body = {**CHARGED, "params": {**CHARGED["params"], "offence": value}}
    response = post_event(client, auth, body)
    assert response.status_code == 422, response.json
    assert "params.offence" in [problem["field"] for problem in response.json["fields"]]
    assert session.exec(select(CaseEvent)).all() == []


def test_a_name_with_a_direction_mark_inside_real_text_is_kept(client, auth, officer):
    body = with_victim(name="\u202bLayla Haddad\u202c")
    assert client.post("/api/v1/cases", json=body, headers=auth).status_code == 201
