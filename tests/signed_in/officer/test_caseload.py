"""My cases: the most urgent deadline first, overdue at the top; own cases or own area."""

import re
from datetime import timedelta

from sqlmodel import Session

from portal.models import Case, CaseEvent
from portal.models.base import utcnow
from tests.people import sign_in_staff


def _case(db, world, reference, *, area="North", officer="officer_north", **fields):
    case = Case(
        crime_reference=reference,
        force="F",
        area=area,
        crime_category="Assault",
        officer_id=world.staff[officer].id,
        **fields,
    )
    db.add(case)
    db.flush()
    return case


def _references(html: str) -> list[str]:
    """The crime references linked from the list (each in its direction isolate)."""
    return re.findall(r'/staff/cases/\d+"><bdi dir="ltr">([^<]+)</bdi></a>', html)


def test_cases_are_sorted_by_deadline_with_overdue_first(app, client, world):
    now = utcnow()
    with Session(app.extensions["db_engine"]) as db:
        _case(db, world, "N/later", next_update_due_at=now + timedelta(days=20))
        _case(db, world, "N/overdue", next_update_due_at=now - timedelta(days=3))
        # An event the victims have not been told about makes its Code deadline count,
        # even though the routine update is far away.
        soon = _case(db, world, "N/event", next_update_due_at=now + timedelta(days=30))
        db.add(
            CaseEvent(
                case_id=soon.id,
                type="suspect_arrested",
                occurred_at=now,
                tell_by=now + timedelta(days=1),
            )
        )
        # A told event no longer counts.
        told = _case(db, world, "N/told", next_update_due_at=now + timedelta(days=10))
        db.add(
            CaseEvent(
                case_id=told.id,
                type="suspect_arrested",
                occurred_at=now,
                tell_by=now - timedelta(days=5),
                victims_told_at=now - timedelta(days=6),
            )
        )
        _case(
            db,
            world,
            "N/closed",
            next_update_due_at=now - timedelta(days=9),
            closed_at=now - timedelta(days=1),
        )
        _case(db, world, "S/other", area="South", officer="officer_south")
        db.commit()
    sign_in_staff(client, world.staff["officer_north"])
    html = client.get("/staff/cases").get_data(as_text=True)
    # Case A (the world's) has nothing due: it comes after every dated case, as does the
    # closed one.
    assert _references(html) == [
        "N/overdue",
        "N/event",
        "N/told",
        "N/later",
        world.case_a.crime_reference,
        "N/closed",
    ]
    assert html.count("Overdue since") == 1


def test_a_supervisor_sees_the_cases_of_their_area(app, client, world):
    with Session(app.extensions["db_engine"]) as db:
        _case(db, world, "N/two", officer="officer_south")  # another officer, same area
        db.commit()
    sign_in_staff(client, world.staff["supervisor_north"])
    html = client.get("/staff/cases").get_data(as_text=True)
    assert sorted(_references(html)) == sorted([world.case_a.crime_reference, "N/two"])
    assert "Cases in North" in html


def test_stage_names_are_translated_on_staff_pages(app, client, world):
    with Session(app.extensions["db_engine"]) as db:
        case = db.get(Case, world.case_a.id)
        case.stage = "bailed"
        db.add(case)
        db.commit()
    sign_in_staff(client, world.staff["officer_north"])
    client.set_cookie("lang", "pl")
    html = client.get("/staff/cases").get_data(as_text=True)
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("pl"):
        polish = gettext("The suspect is on bail, with rules to follow")
    assert polish != "The suspect is on bail, with rules to follow"
    assert polish in html and ">bailed<" not in html
