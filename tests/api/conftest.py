"""Fixtures for the API tests: an app with one police-system key and one officer, and the
response to a valid POST /cases (helpers.py holds the case body and the other helpers)."""

from __future__ import annotations

import pytest

from portal.models import StaffUser

from .helpers import add_officer, case_body, new_key


@pytest.fixture
def officer(session) -> StaffUser:
    return add_officer(session)


@pytest.fixture
def key(session) -> str:
    return new_key(session)


@pytest.fixture
def auth(key) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def created(client, auth, officer) -> dict:
    """The response to a valid POST /cases."""
    response = client.post("/api/v1/cases", json=case_body(), headers=auth)
    assert response.status_code == 201, response.json
    return response.json
