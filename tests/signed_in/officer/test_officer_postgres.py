"""The officer screens on PostgreSQL: caseload order, events, compliance, and one event
when the same confirm form arrives twice at the same moment."""

import threading
from datetime import timedelta

import pytest
from sqlmodel import Session, SQLModel, select

from portal.models import Case, CaseEvent, Notification
from portal.models.base import utcnow
from tests.people import build_world, sign_in_staff
from tests.signed_in.officer.helpers import hidden_fields, start_form
from tests.support.apps import make_test_app

pytestmark = pytest.mark.postgres


def test_officer_screens_and_a_simultaneous_double_send_on_postgres(postgres_url):
    app = make_test_app(DATABASE_URL=postgres_url)
    engine = app.extensions["db_engine"]
    SQLModel.metadata.create_all(engine)
    try:
        with Session(engine, expire_on_commit=False) as session:
            world = build_world(session)
            late = Case(
                crime_reference="N/late",
                force="F",
                area="North",
                crime_category="Theft",
                officer_id=world.staff["officer_north"].id,
                next_update_due_at=utcnow() - timedelta(days=1),
            )
            session.add(late)
            session.commit()
        first, second = app.test_client(), app.test_client()
        for client in (first, second):
            sign_in_staff(client, world.staff["officer_north"])
        html = first.get("/staff/cases").get_data(as_text=True)
        assert html.index("N/late") < html.index(world.case_a.crime_reference)

        url = f"/staff/cases/{world.case_a.id}/events"
        form = start_form(first, world.case_a.id, "suspect_arrested")
        preview = first.post(url + "/preview", data=form).get_data(as_text=True)
        confirm = hidden_fields(preview)
        barrier, statuses = threading.Barrier(2), []

        def send(client):
            barrier.wait()
            statuses.append(client.post(url, data=confirm).status_code)

        threads = [threading.Thread(target=send, args=(c,)) for c in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses == [303, 303]
        with Session(engine) as session:
            assert len(session.exec(select(CaseEvent)).all()) == 1
            assert len(session.exec(select(Notification)).all()) == 2
        page = first.get(f"/staff/cases/{world.case_a.id}").get_data(as_text=True)
        assert "Suspect arrested" in page

        supervisor = app.test_client()
        sign_in_staff(supervisor, world.staff["supervisor_north"])
        compliance = supervisor.get("/staff/compliance").get_data(as_text=True)
        assert "North (your area)" in compliance
    finally:
        engine.dispose()
