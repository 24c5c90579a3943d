"""Only a police system with a live key gets in; a key tied to a force stays in it."""

import pytest
from sqlmodel import select

from portal.models import Case
from tests.api.helpers import REFERENCE, audit_actions, case_body, new_key


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Bearer not-a-key",
        "Token vpk_abc",
    ],
)
def test_without_a_valid_key_every_route_answers_401_in_json(client, key, header):
    headers = {"Authorization": header} if header is not None else {}
    for method, path in [
        ("post", "/api/v1/cases"),
        ("get", f"/api/v1/cases/{REFERENCE}"),
        ("post", f"/api/v1/cases/{REFERENCE}/events"),
    ]:
        response = getattr(client, method)(path, json=case_body(), headers=headers)
        assert response.status_code == 401
        assert response.mimetype == "application/json"
        assert response.json["error"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_key_stops_working_at_once(app, client, session, officer):
    key = new_key(session, "old-rms")
    headers = {"Authorization": f"Bearer {key}"}
    assert client.post("/api/v1/cases", json=case_body(), headers=headers).status_code == 201

    result = app.test_cli_runner().invoke(args=["api-keys", "revoke", "old-rms"])
    assert result.exit_code == 0, result.output

    response = client.get(f"/api/v1/cases/{REFERENCE}", headers=headers)
    assert response.status_code == 401
    assert response.json["error"] == "unauthorized"


def test_the_key_is_checked_whole_not_by_prefix(client, key, officer):
    headers = {"Authorization": f"Bearer {key[:-1]}"}
    assert client.post("/api/v1/cases", json=case_body(), headers=headers).status_code == 401


def test_the_openapi_document_needs_no_key(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json["openapi"].startswith("3.1")


def test_a_force_key_cannot_create_or_read_another_forces_cases(client, session, officer):
    leeds = {"Authorization": f"Bearer {new_key(session, 'wyp', force='West Yorkshire Police')}"}
    met = {"Authorization": f"Bearer {new_key(session, 'met', force='Metropolitan Police')}"}

    refused = client.post("/api/v1/cases", json=case_body(), headers=met)
    assert refused.status_code == 403
    assert refused.json["error"] == "forbidden"
    assert session.exec(select(Case)).all() == []

    assert client.post("/api/v1/cases", json=case_body(), headers=leeds).status_code == 201
    # Another force's system cannot tell the case exists.
    assert client.get(f"/api/v1/cases/{REFERENCE}", headers=met).status_code == 404
    events = client.post(
        f"/api/v1/cases/{REFERENCE}/events",
        json={"type": "suspect_arrested", "occurred_at": "2026-06-16T10:00:00Z"},
        headers=met,
    )
    assert events.status_code == 404
    assert client.get(f"/api/v1/cases/{REFERENCE}", headers=leeds).status_code == 200

    denied = [
        (actor, subject)
        for actor, action, subject in audit_actions(session)
        if action == "access.denied"
    ]
    assert denied == [("api:met", None), ("api:met", "case:1"), ("api:met", "case:1")]


def test_each_key_has_its_own_rate_limit(app, client, session, officer):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    busy = {"Authorization": f"Bearer {new_key(session, 'busy')}"}
    calm = {"Authorization": f"Bearer {new_key(session, 'calm')}"}
    path = f"/api/v1/cases/{REFERENCE}"
    assert [client.get(path, headers=busy).status_code for _ in range(3)] == [404] * 3

    limited = client.get(path, headers=busy)
    assert limited.status_code == 429
    assert limited.mimetype == "application/json"
    assert limited.json["error"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) > 0
    assert client.get(path, headers=calm).status_code == 404
