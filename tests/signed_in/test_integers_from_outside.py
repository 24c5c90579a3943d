"""Integers from outside (route ids, form fields) out of any column's range, or written
in other digits, are "not found" or a form error, never a 500 (issue 13, item 8), on
SQLite and PostgreSQL alike; so is a NUL byte. tests/web/test_form_fuzz.py covers every
route."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext
from sqlmodel import Session, SQLModel

from portal.services.validation import DATABASE_INT_MAX, parse_int
from tests.people import build_world, sign_in_staff, sign_in_victim
from tests.support.apps import make_test_app

HOSTILE = ["99999999999999999999", str(DATABASE_INT_MAX + 1), "²", "١٢", "-1", "0", "1e3", ""]


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'ints.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    app = make_test_app(DATABASE_URL=url)
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def world(app):
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        return build_world(session)


@pytest.mark.parametrize("value", HOSTILE)
def test_parse_int_takes_only_ascii_digits_in_range(value):
    assert parse_int(value) is None


def test_parse_int_reads_a_plain_id():
    assert parse_int(" 42 ") == 42
    assert parse_int(str(DATABASE_INT_MAX)) == DATABASE_INT_MAX


@pytest.mark.parametrize("value", ["99999999999999999999", str(DATABASE_INT_MAX + 1), "00"])
def test_a_huge_id_in_a_route_is_not_found(app, world, value):
    staff, victim, public = app.test_client(), app.test_client(), app.test_client()
    sign_in_staff(staff, world.staff["supervisor_north"])
    with Session(app.extensions["db_engine"]) as session:
        sign_in_victim(victim, session, world.case_a.crime_reference)
    assert staff.get(f"/staff/cases/{value}").status_code == 404
    assert staff.get(f"/staff/victims/{value}/export").status_code == 404
    assert staff.post(f"/staff/withdrawals/{value}/acknowledge").status_code == 404
    assert victim.get(f"/my-case/cases/{value}").status_code == 404
    assert public.get(f"/rights/{value}").status_code == 404


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_adviser_id_gets_the_forms_own_error(app, world, value):
    client = app.test_client()
    sign_in_staff(client, world.staff["officer_north"])
    url = f"/staff/cases/{world.case_a.id}/victims/{world.victim_a.id}/advocate"
    response = client.post(url, data={"isva_id": value, "method": "in_person", "note": ""})
    assert response.status_code == 400
    assert "Choose the adviser (ISVA) from the list." in response.get_data(as_text=True)


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_update_frequency_gets_an_error_in_the_victims_language(app, world, value):
    client = app.test_client()
    with Session(app.extensions["db_engine"]) as session:
        sign_in_victim(client, session, world.case_a.crime_reference)
    response = client.post(
        "/my-case/preferences",
        data={"locale": "pl", "frequency": value, "sms_allowed": "1"},
    )
    assert response.status_code == 400
    with app.test_request_context(), force_locale(world.victim_a.locale):
        expected = gettext("Choose how often you want an update.")
    assert expected in response.get_data(as_text=True)


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_adviser_id_from_a_victim_is_not_found(app, world, value):
    client = app.test_client()
    with Session(app.extensions["db_engine"]) as session:
        sign_in_victim(client, session, world.case_a.crime_reference)
    assert client.post("/my-case/advocates", data={"isva_id": value}).status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("POST", "/staff/sign-in", {"email": "officer_north@example.org\x00", "password": "x"}),
        ("POST", "/sign-in", {"reference": "01/000001/26\x00", "channel": "sms"}),
        ("POST", "/sign-in/code", {"code": "12\x0034"}),
        ("GET", "/staff/chat-stats", {"days": "\x00"}),
    ],
)
def test_a_nul_byte_in_a_form_is_dropped_and_the_form_answers_as_without_it(
    app, world, method, path, data
):
    """PostgreSQL cannot even compare text holding NUL: it is dropped on the way in, so
    the answer is the one the same form gets without it (never a 500)."""

    def answer(values):
        client = app.test_client()
        if method == "GET":
            return client.get(path, query_string=values).status_code
        return client.post(path, data=values).status_code

    clean = {name: value.replace("\x00", "") for name, value in data.items()}
    assert answer(data) == answer(clean) < 500


def test_a_nul_byte_in_the_path_is_refused_at_the_door(app):
    assert app.test_client().get("/rights/%00").status_code == 400
