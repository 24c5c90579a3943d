"""The supervisors' compliance page, against figures worked out by hand."""

from datetime import timedelta

from sqlmodel import Session

from portal.models import Case, CaseEvent, CaseVictim, Victim
from portal.models.base import utcnow
from tests.people import sign_in_staff


def _event(db, case, now, *, tell_by_days, told_days=None, in_time=None):
    db.add(
        CaseEvent(
            case_id=case.id,
            type="suspect_arrested",
            occurred_at=now - timedelta(days=10),
            tell_by=None if tell_by_days is None else now + timedelta(days=tell_by_days),
            victims_told_at=None if told_days is None else now + timedelta(days=told_days),
            told_in_time=in_time,
        )
    )


def _fixture(app, world):
    """North: 3 events count (1 in time, 1 late, 1 untold past its deadline); one untold
    but not yet due and one the Code does not time do not count: 1 of 3 = 33.3%.
    1 overdue check-in (case A; a closed overdue case does not count); 1 unreachable
    victim (on case A; an unreachable victim of a closed case does not count).
    South: 2 of 2 told in time = 100%; nothing overdue; nobody unreachable.
    East: no events, 1 overdue check-in."""
    now = utcnow()
    with Session(app.extensions["db_engine"]) as db:
        case_a, case_b = db.get(Case, world.case_a.id), db.get(Case, world.case_b.id)
        _event(db, case_a, now, tell_by_days=-5, told_days=-6, in_time=True)
        _event(db, case_a, now, tell_by_days=-5, told_days=-3, in_time=False)
        _event(db, case_a, now, tell_by_days=-1)
        _event(db, case_a, now, tell_by_days=2)
        _event(db, case_a, now, tell_by_days=None, told_days=-1)
        _event(db, case_b, now, tell_by_days=-2, told_days=-4, in_time=True)
        _event(db, case_b, now, tell_by_days=3, told_days=-1, in_time=True)
        case_a.next_update_due_at = now - timedelta(days=2)
        case_b.next_update_due_at = now + timedelta(days=2)
        closed = Case(
            crime_reference="N/closed",
            force="F",
            area="North",
            crime_category="Theft",
            next_update_due_at=now - timedelta(days=30),
            closed_at=now - timedelta(days=1),
        )
        east = Case(
            crime_reference="E/1",
            force="F",
            area="East",
            crime_category="Theft",
            next_update_due_at=now - timedelta(hours=1),
        )
        nobody = Victim(name="No contact")
        nobody_closed = Victim(name="No contact either")
        db.add_all([case_a, case_b, closed, east, nobody, nobody_closed])
        db.flush()
        db.add_all(
            [
                CaseVictim(case_id=case_a.id, victim_id=nobody.id),
                CaseVictim(case_id=closed.id, victim_id=nobody_closed.id),
            ]
        )
        db.commit()


def _row(html: str, area: str) -> str:
    return html.split(f"<td>{area}", 1)[1].split("</tr>", 1)[0]


def test_compliance_figures_by_area(app, client, world):
    _fixture(app, world)
    sign_in_staff(client, world.staff["supervisor_south"])
    response = client.get("/staff/compliance")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    north = _row(html, "North")
    assert "33.3% (1 of 3)" in north
    assert "<td>3</td><td>1</td><td>1</td>" in north
    assert "100% (2 of 2)" in html and "South (your area)" in html
    assert "<td>2</td><td>0</td><td>0</td>" in html.split("South (your area)", 1)[1]
    east = _row(html, "East")
    assert "No events yet" in east and "<td>0</td><td>1</td><td>0</td>" in east
    # The reader's own area comes first.
    assert html.index("South (your area)") < html.index("<td>East") < html.index("<td>North")


def test_only_supervisors_see_the_compliance_page(client, session, world):
    sign_in_staff(client, world.staff["officer_north"])
    assert client.get("/staff/compliance").status_code == 403
