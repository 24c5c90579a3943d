"""A victim answers, in "My case", a withdrawal their officer recorded."""

from babel.support import Translations
from markupsafe import escape
from sqlmodel import select

from portal.config import PROJECT_ROOT
from portal.models import WithdrawalRequest
from portal.models.base import utcnow
from portal.services import withdrawal
from tests.people import audit_events, sign_in_victim

from .records import alerts, officer_recorded, victim_confirmed

#: Victim A reads the portal in Polish: the page shows these in her language.
_POLISH = Translations.load(str(PROJECT_ROOT / "translations"), ["pl"], "messages")


def pl(text: str) -> str:
    return escape(_POLISH.gettext(text))


def _status(session, record_id):
    session.expire_all()
    return session.get(WithdrawalRequest, record_id).status


def test_the_section_shows_only_while_an_answer_is_awaited(client, session, world):
    sign_in_victim(client, session, world.case_a.crime_reference)
    assert pl("Yes, this is right") not in client.get("/my-case").get_data(as_text=True)
    officer_recorded(session, world)
    page = client.get("/my-case").get_data(as_text=True)
    assert pl("Is this right?") in page and world.case_a.crime_reference in page
    assert pl("Yes, this is right") in page and pl("No, this is wrong") in page


def test_yes_makes_the_record_count(client, session, world):
    recorded = officer_recorded(session, world)
    sign_in_victim(client, session, world.case_a.crime_reference)
    response = client.post(
        f"/my-case/withdrawal/{recorded.request.id}/answer", data={"answer": "yes"}
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert pl("Thank you. We have your answer: yes.") in page
    assert pl("Yes, this is right") not in page
    assert _status(session, recorded.request.id) == "confirmed"
    assert withdrawal.confirmed_record(session, world.case_a.id).id == recorded.request.id
    (event,) = audit_events(session, "withdrawal.victim_confirmed")
    assert event.actor == f"victim:{world.victim_a.id}" and event.details["via"] == "web"
    assert alerts(session) == []


def test_no_disputes_it_and_tells_the_supervisor(client, session, world):
    recorded = officer_recorded(session, world)
    sign_in_victim(client, session, world.case_a.crime_reference)
    client.post(f"/my-case/withdrawal/{recorded.request.id}/answer", data={"answer": "no"})
    assert _status(session, recorded.request.id) == "disputed"
    assert [(a.kind, a.staff_id) for a in alerts(session)] == [
        ("withdrawal_disputed", world.staff["supervisor_north"].id)
    ]
    # A second tap (or the other button) changes nothing.
    again = client.post(f"/my-case/withdrawal/{recorded.request.id}/answer", data={"answer": "yes"})
    assert again.status_code == 303
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert pl("We already have your answer. Nothing has changed.") in page
    assert _status(session, recorded.request.id) == "disputed"
    assert len(alerts(session)) == 1


def test_no_choice_keeps_the_question_and_asks_again(client, session, world):
    recorded = officer_recorded(session, world)
    sign_in_victim(client, session, world.case_a.crime_reference)
    response = client.post(f"/my-case/withdrawal/{recorded.request.id}/answer", data={})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert pl("Choose Yes or No.") in page and pl("Yes, this is right") in page
    assert _status(session, recorded.request.id) == "awaiting_victim"


def test_a_victim_cannot_answer_for_someone_else_or_a_record_they_made(client, session, world):
    theirs = officer_recorded(session, world, on="b")
    own_web = victim_confirmed(
        session, case_id=world.case_a.id, victim_id=world.victim_a.id, now=utcnow()
    )
    sign_in_victim(client, session, world.case_a.crime_reference)
    for record_id in (theirs.request.id, own_web.id):
        before = len(audit_events(session))
        response = client.post(f"/my-case/withdrawal/{record_id}/answer", data={"answer": "no"})
        assert response.status_code == 404
        assert [e.action for e in audit_events(session)[before:]] == ["access.denied"]
    session.expire_all()
    statuses = [r.status for r in session.exec(select(WithdrawalRequest).order_by("id"))]
    assert statuses == ["awaiting_victim", "confirmed"]
