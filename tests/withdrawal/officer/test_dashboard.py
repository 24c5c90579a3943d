"""The supervisor's withdrawal figures: counted by the database (SQLite and PostgreSQL)
against a hand-counted fixture, drawn as accessible SVG, exported as audited CSV."""

import csv
import io

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from portal.models import Case
from portal.services import reporting
from tests.people import audit_events, sign_in_staff

from . import figures_fixture
from .figures_fixture import EXPECTED_ALL, EXPECTED_NORTH, as_expected

#: The figures of force F (every case of the fixture).
IN_FORCE = Case.force == "F"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request, app):
    if request.param == "sqlite":
        yield app.extensions["db_engine"]
        return
    engine = sa.create_engine(request.getfixturevalue("postgres_url"))
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


def test_figures_match_the_hand_count(engine):
    with Session(engine, expire_on_commit=False) as session:
        figures_fixture.load(session)
        assert (
            as_expected(reporting.withdrawal_figures(session, scope=IN_FORCE, area=None))
            == EXPECTED_ALL
        )
        assert (
            as_expected(reporting.withdrawal_figures(session, scope=IN_FORCE, area="North"))
            == EXPECTED_NORTH
        )
        empty = reporting.withdrawal_figures(session, scope=IN_FORCE, area="Nowhere")
    assert empty.withdrawals == 0 and empty.by_reason == [] and empty.asks == 0
    assert [count for _bucket, count in empty.by_time] == [0, 0, 0, 0]


def test_figures_are_counted_by_the_database_not_in_python(app):
    """Each figure is one aggregate query: what comes back is a few grouped rows, never
    the withdrawal rows themselves."""
    engine = app.extensions["db_engine"]
    statements = []
    sa.event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with Session(engine) as session:
        figures_fixture.load(session)
        statements.clear()
        reporting.withdrawal_figures(session, scope=IN_FORCE, area=None)
    assert statements and all("count(" in statement.lower() for statement in statements), statements


@pytest.fixture
def loaded(app, world):
    with Session(app.extensions["db_engine"]) as session:
        figures_fixture.load(session)


def test_a_supervisor_sees_their_areas_figures_as_charts_and_tables(client, world, loaded):
    sign_in_staff(client, world.staff["supervisor_north"])
    response = client.get("/staff/withdrawals/dashboard")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count('role="img"') == 6
    assert '<title id="reasons-title">Withdrawals by reason</title>' in page
    assert 'aria-labelledby="reasons-title reasons-desc"' in page
    assert '<th scope="row">Wants to move on</th><td>2</td>' in page
    assert '<th scope="row">Same day</th><td>1</td>' in page
    assert '<th scope="row">Without a record</th><td>1</td>' in page
    assert 'id="figure-withdrawals">2<' in page and "South" not in page
    assert "<script" not in page.split("</footer>")[0]  # no chart library


def test_other_roles_and_admins_without_a_reason_see_nothing(client, session, world, loaded):
    sign_in_staff(client, world.staff["officer_north"])
    assert client.get("/staff/withdrawals/dashboard").status_code == 403
    sign_in_staff(client, world.staff["admin"])
    ask = client.get("/staff/withdrawals/dashboard").get_data(as_text=True)
    assert 'name="reason"' in ask and "figure-withdrawals" not in ask
    empty = client.post("/staff/withdrawals/dashboard", data={"reason": " "})
    assert empty.status_code == 400 and "figure-withdrawals" not in empty.get_data(as_text=True)
    shown = client.post("/staff/withdrawals/dashboard", data={"reason": "HMICFRS inspection"})
    assert 'id="figure-withdrawals">4<' in shown.get_data(as_text=True)
    (viewed,) = [
        e
        for e in audit_events(session, "withdrawal.figures.view")
        if e.actor == f"staff:{world.staff['admin'].id}"
    ]
    assert (viewed.subject, viewed.reason) == ("area:all", "HMICFRS inspection")


def test_another_forces_supervisor_and_admin_see_none_of_these_figures(
    client, session, world, loaded
):
    """Every case of the fixture is force F's; force G's supervisor has an area called
    North too, and G's admin gives a reason: neither counts a single one of them."""
    sign_in_staff(client, world.staff["supervisor_other_force"])
    page = client.get("/staff/withdrawals/dashboard").get_data(as_text=True)
    assert 'id="figure-withdrawals">0<' in page
    sign_in_staff(client, world.staff["admin_other_force"])
    shown = client.post("/staff/withdrawals/dashboard", data={"reason": "Inspection"})
    assert 'id="figure-withdrawals">0<' in shown.get_data(as_text=True)
    export = client.post("/staff/withdrawals/dashboard/export", data={"reason": "Inspection"})
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True))))
    assert ["all", "withdrawals", "total", "0"] in rows
    assert ["all", "closures_14_16", "without_record", "0"] in rows


def test_the_csv_export_needs_a_reason_and_is_audited(client, session, world, loaded):
    sign_in_staff(client, world.staff["supervisor_north"])
    refused = client.post("/staff/withdrawals/dashboard/export", data={"reason": ""})
    assert refused.status_code == 400
    assert 'href="#export_reason"' in refused.get_data(as_text=True)
    assert audit_events(session, "withdrawal.figures.exported") == []
    response = client.post("/staff/withdrawals/dashboard/export", data={"reason": "Monthly review"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["area", "section", "item", "count"]
    assert ["North", "withdrawals", "total", "2"] in rows
    assert ["North", "by_reason", "move_on", "2"] in rows
    assert ["North", "closures_14_16", "without_record", "1"] in rows
    (exported,) = audit_events(session, "withdrawal.figures.exported")
    assert (exported.actor, exported.subject, exported.reason) == (
        f"staff:{world.staff['supervisor_north'].id}",
        "area:North",
        "Monthly review",
    )


def test_a_category_that_looks_like_a_formula_is_exported_as_text(client, session, world):
    from portal.models import Case

    with Session(session.get_bind()) as db:
        figures_fixture.load(db)
        case = db.exec(sa.select(Case).where(Case.crime_reference == "N/1")).scalar_one()
        case.crime_category = "=HYPERLINK(1)"
        db.add(case)
        db.commit()
    sign_in_staff(client, world.staff["supervisor_north"])
    body = client.post("/staff/withdrawals/dashboard/export", data={"reason": "Review"}).get_data(
        as_text=True
    )
    assert "'=HYPERLINK(1)" in body and ",=HYPERLINK" not in body
