"""The main path on PostgreSQL, migrated by Alembic: create, record (also many times at
once with one Idempotency-Key), read; the audit chain stays intact."""

import threading

import pytest
from sqlmodel import Session, select

from portal.db import upgrade
from portal.models import CaseEvent, Notification
from portal.services import audit
from tests.api.helpers import REFERENCE, add_officer, case_body, new_key, post_event
from tests.support.apps import make_app

SENDERS = 8


@pytest.mark.postgres
def test_the_api_main_path_on_postgresql(postgres_url):
    upgrade(postgres_url)
    app = make_app(DATABASE_URL=postgres_url)
    engine = app.extensions["db_engine"]
    with Session(engine, expire_on_commit=False) as session:
        add_officer(session)
        auth = {"Authorization": f"Bearer {new_key(session, force='West Yorkshire Police')}"}
    client = app.test_client()

    assert client.post("/api/v1/cases", json=case_body(), headers=auth).status_code == 201
    assert client.post("/api/v1/cases", json=case_body(), headers=auth).status_code == 409

    # The police system's retries arrive together: one event, one set of messages.
    answers: list = []
    start = threading.Barrier(SENDERS)

    def send() -> None:
        start.wait()
        response = post_event(app.test_client(), auth, key="retry-storm")
        answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=send) for _ in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {status for status, _body in answers} == {202}
    assert len({str(body) for _status, body in answers}) == 1

    status = client.get(f"/api/v1/cases/{REFERENCE}", headers=auth).json
    assert status["stage"] == "charged"
    assert len(status["events"]) == 1
    assert len(status["notifications"]) == 3

    with Session(engine) as session:
        assert len(session.exec(select(CaseEvent)).all()) == 1
        assert len(session.exec(select(Notification)).all()) == 3
        assert audit.verify(session).ok
    engine.dispose()


@pytest.mark.postgres
def test_text_postgresql_cannot_store_is_refused_not_a_crash(postgres_url):
    upgrade(postgres_url)
    app = make_app(DATABASE_URL=postgres_url)
    with Session(app.extensions["db_engine"]) as session:
        auth = {"Authorization": f"Bearer {new_key(session)}"}
    body = case_body(officer_email=None, crime_category="nul\u0000byte")
    response = app.test_client().post("/api/v1/cases", json=body, headers=auth)
    assert response.status_code == 422
    assert response.json["fields"][0]["field"] == "crime_category"
    app.extensions["db_engine"].dispose()
