"""A signed-in victim: their own case status in the chat, and call-back requests."""

import re
from datetime import UTC, datetime, time

from babel.dates import format_date
from sqlmodel import select

from portal.chatbot.catalog import translate
from portal.chatbot.texts import REPLIES
from portal.models import Case, StaffAlert, Victim
from portal.services.case_stages import stage_name
from tests.people import audit_events, sign_in_staff, sign_in_victim

NEXT_UPDATE = datetime(2027, 3, 9, 12, 0, tzinfo=UTC)


def _alerts(session) -> list[StaffAlert]:
    session.expire_all()
    return list(session.exec(select(StaffAlert).where(StaffAlert.kind == "callback_requested")))


def _victim_client(app, session, case):
    client = app.test_client()
    sign_in_victim(client, session, case.crime_reference)
    return client


def test_status_shows_only_the_victims_own_case_and_is_audited(app, session, world, chat_log):
    case_a = session.get(Case, world.case_a.id)
    case_a.stage, case_a.next_update_due_at = "charged", NEXT_UPDATE
    session.commit()
    client = _victim_client(app, session, world.case_a)  # victim A reads Polish

    answer = chat_log(client.post("/chat", data={"message": "co się dzieje z moją sprawą"}).text)

    with app.test_request_context():
        stage = stage_name("charged", "pl")
    assert 'lang="pl"' in answer
    assert translate("pl", REPLIES["case_status_shown"]) in answer
    assert world.case_a.crime_reference in answer and stage in answer
    assert format_date(NEXT_UPDATE.date(), "long", locale="pl") in answer
    assert world.case_b.crime_reference not in answer
    views = audit_events(session, "case.status.view")
    assert [(e.actor, e.subject) for e in views] == [
        (f"victim:{world.victim_a.id}", f"case:{world.case_a.id}")
    ]


def test_status_is_not_shown_to_someone_not_signed_in(client, session, world, chat_log):
    answer = chat_log(client.post("/chat", data={"message": "what is happening with my case"}).text)
    assert REPLIES["case_status_sign_in"] in answer
    assert 'href="/sign-in"' in answer
    assert world.case_a.crime_reference not in answer
    assert world.case_b.crime_reference not in answer
    assert audit_events(session, "case.status.view") == []


def test_call_back_creates_one_alert_for_the_cases_officer(app, session, world):
    client = _victim_client(app, session, world.case_b)
    form = client.get("/chat/call-back").text
    assert world.case_b.crime_reference in form and 'name="safe_start"' in form

    first = client.post("/chat/call-back", data={"case_id": world.case_b.id})
    again = client.post("/chat/call-back", data={"case_id": world.case_b.id})

    assert first.headers["Location"] == "/chat/call-back/asked?again=0"
    assert again.headers["Location"] == "/chat/call-back/asked?again=1"
    alerts = _alerts(session)
    assert [(a.staff_id, a.case_id, a.victim_id) for a in alerts] == [
        (world.staff["officer_south"].id, world.case_b.id, world.victim_b.id)
    ]
    assert len(audit_events(session, "callback.request")) == 2
    assert "We have asked your officer to call you" in client.get(first.headers["Location"]).text
    assert "already asked" in client.get(again.headers["Location"]).text


def test_call_back_at_new_safe_times_saves_them_and_says_so(app, session, world):
    client = _victim_client(app, session, world.case_b)
    response = client.post(
        "/chat/call-back",
        data={"case_id": world.case_b.id, "safe_start": "10:00", "safe_end": "16:00"},
    )
    assert response.status_code == 303
    session.expire_all()
    victim = session.get(Victim, world.victim_b.id)
    assert (victim.safe_hours_start, victim.safe_hours_end) == (time(10), time(16))
    assert audit_events(session, "victim.preferences.change")[-1].details == {
        "fields": ["safe_hours_start", "safe_hours_end"]
    }
    # The times sit in direction isolates (<bdi>); the sentence reads the same.
    page = re.sub(r"</?bdi[^>]*>", "", client.get(response.headers["Location"]).text)
    assert "between 10:00 and 16:00" in page
    assert len(_alerts(session)) == 1


def test_call_back_with_bad_times_keeps_the_answers_and_asks_nobody(app, session, world):
    client = _victim_client(app, session, world.case_b)
    response = client.post(
        "/chat/call-back",
        data={"case_id": world.case_b.id, "safe_start": "25:99", "safe_end": "16:00"},
    )
    page = response.text
    assert response.status_code == 400
    assert '<a href="#safe_hours">Enter times like 09:00.</a>' in page
    assert 'value="25:99"' in page and 'value="16:00"' in page
    assert _alerts(session) == []


def test_call_back_for_someone_elses_case_is_refused(app, session, world):
    client = _victim_client(app, session, world.case_a)
    response = client.post("/chat/call-back", data={"case_id": world.case_b.id})
    assert response.status_code == 400
    assert _alerts(session) == []


def test_call_back_without_an_officer_goes_to_the_areas_supervisor(app, session, world):
    case_b = session.get(Case, world.case_b.id)
    case_b.officer_id = None
    session.commit()
    client = _victim_client(app, session, world.case_b)
    client.post("/chat/call-back", data={"case_id": world.case_b.id})
    assert [a.staff_id for a in _alerts(session)] == [world.staff["supervisor_south"].id]


def test_not_signed_in_is_told_how_to_sign_in_or_whom_to_call(client, session, world):
    page = client.get("/chat/call-back").text
    assert 'href="/sign-in"' in page and "101" in page and "08 08 16 89 111" in page
    refused = client.post("/chat/call-back", data={"case_id": world.case_a.id})
    assert refused.status_code == 302 and refused.headers["Location"] == "/sign-in"
    assert _alerts(session) == []


def test_staff_cannot_ask_for_a_call_back_as_a_victim(app, session, world):
    officer = app.test_client()
    sign_in_staff(officer, world.staff["officer_north"])
    response = officer.post("/chat/call-back", data={"case_id": world.case_a.id})
    assert response.status_code == 404
    assert _alerts(session) == []


def test_my_case_and_the_chat_offer_the_call_back(app, session, world, chat_log):
    client = _victim_client(app, session, world.case_b)
    my_case = client.get("/my-case").text
    assert f'href="/chat/call-back?case_id={world.case_b.id}"' in my_case
    answer = chat_log(client.post("/chat", data={"message": "can I talk to a real person"}).text)
    assert 'href="/chat/call-back"' in answer
