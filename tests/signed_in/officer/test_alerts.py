"""An officer sees the alerts raised for them, with the case, and marks them done."""

from sqlmodel import Session, select

from portal.models import StaffAlert
from portal.models.base import utcnow
from portal.services.alerts import raise_alert
from tests.people import audit_events, sign_in_staff


def _alert(app, world, kind="callback_requested", staff="officer_north"):
    with Session(app.extensions["db_engine"]) as db:
        raise_alert(
            db, kind=kind, staff_id=world.staff[staff].id, case_id=world.case_a.id, now=utcnow()
        )
        db.commit()
        return db.exec(select(StaffAlert.id).order_by(StaffAlert.id.desc())).first()


def test_an_alert_shows_with_its_case_and_the_menu_counts_it(app, client, world):
    _alert(app, world)
    sign_in_staff(client, world.staff["officer_north"])
    page = client.get("/staff/alerts").get_data(as_text=True)
    assert "A victim asked for a call back" in page
    assert f"/staff/cases/{world.case_a.id}" in page and world.case_a.crime_reference in page
    assert "Alerts (1)" in client.get("/staff/cases").get_data(as_text=True)


def test_marking_done_removes_it_and_is_audited(app, client, world):
    alert_id = _alert(app, world)
    sign_in_staff(client, world.staff["officer_north"])
    response = client.post(f"/staff/alerts/{alert_id}/done")
    assert response.status_code == 303
    assert "You have no open alerts." in client.get("/staff/alerts").get_data(as_text=True)
    with Session(app.extensions["db_engine"]) as db:
        [event] = audit_events(db, "alert.resolved")
        assert event.actor == f"staff:{world.staff['officer_north'].id}"


def test_nobody_else_can_see_or_close_an_officers_alert(app, client, world):
    alert_id = _alert(app, world)
    sign_in_staff(client, world.staff["officer_south"])
    assert "You have no open alerts." in client.get("/staff/alerts").get_data(as_text=True)
    assert client.post(f"/staff/alerts/{alert_id}/done").status_code == 404
    with Session(app.extensions["db_engine"]) as db:
        assert db.get(StaffAlert, alert_id).resolved_at is None


def test_an_unknown_kind_still_shows_calmly(app, client, world):
    _alert(app, world, kind="something_new")
    sign_in_staff(client, world.staff["officer_north"])
    assert "Something on this case needs your attention" in client.get("/staff/alerts").get_data(
        as_text=True
    )
