"""My case shows what matters first: the next court date, when bail ends and the next
update, soonest first, above the timeline."""

from __future__ import annotations

from datetime import timedelta

from portal.models import Case
from portal.models.base import utcnow
from portal.services.case_events import record_event
from portal.services.key_dates import BAIL_ENDS, COURT, NEXT_UPDATE, key_dates
from tests.people import sign_in_victim


def _event(session, case, event_type, params, *, days_ago=1):
    now = utcnow()
    record_event(
        session,
        case,
        event_type,
        params,
        occurred_at=now - timedelta(days=days_ago),
        actor="test",
        now=now - timedelta(days=days_ago),
    )
    session.commit()


def _iso(days: int) -> str:
    return (utcnow() + timedelta(days=days)).replace(microsecond=0).isoformat()


def test_dates_to_know_come_first_and_soonest_first(client, session, world):
    case = session.get(Case, world.case_a.id)
    case.next_update_due_at = utcnow() + timedelta(days=60)
    session.add(case)
    session.commit()
    _event(
        session,
        case,
        "bailed",
        {"conditions": "Not to contact you.", "bail_until": _iso(40)},
        days_ago=3,
    )
    _event(
        session,
        case,
        "charged",
        {"offence": "Assault", "court_date": _iso(20), "court_place": "Leeds Crown Court"},
        days_ago=2,
    )
    kinds = [date.kind for date in key_dates(session, case, now=utcnow())]
    assert kinds.index(COURT) < kinds.index(BAIL_ENDS)
    sign_in_victim(client, session, world.case_a.crime_reference)
    client.set_cookie("lang", "en")
    page = client.get("/my-case").get_data(as_text=True)
    assert page.index("Dates to know") < page.index("Where your case is now")
    dates = page[page.index("Dates to know") : page.index("Where your case is now")]
    assert dates.index("Court:") < dates.index("bail ends") < dates.index("next update")
    assert "Leeds Crown Court" in page


def test_an_adjourned_trial_replaces_the_date_and_past_dates_go(session, world):
    case = session.get(Case, world.case_a.id)
    _event(
        session, case, "court_date_set", {"court_date": _iso(5), "court_place": "Leeds"}, days_ago=3
    )
    _event(session, case, "trial_adjourned", {"new_date": _iso(30)}, days_ago=1)
    [court] = [date for date in key_dates(session, case, now=utcnow()) if date.kind == COURT]
    assert court.when.date() == (utcnow() + timedelta(days=30)).date()
    later = utcnow() + timedelta(days=31)
    assert [date.kind for date in key_dates(session, case, now=later)] in ([], [NEXT_UPDATE])


def test_an_outcome_ends_the_court_and_bail_dates(session, world):
    case = session.get(Case, world.case_a.id)
    _event(
        session, case, "court_date_set", {"court_date": _iso(5), "court_place": "Leeds"}, days_ago=3
    )
    _event(session, case, "outcome_and_sentence", {"outcome": "Guilty"}, days_ago=1)
    assert COURT not in [date.kind for date in key_dates(session, case, now=utcnow())]
