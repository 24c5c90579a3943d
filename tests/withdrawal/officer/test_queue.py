"""The officer's queue: what is in it, in which order, and who may open what."""

from datetime import timedelta

import pytest
from sqlmodel import Session

from portal.models import Case, CaseVictim, PressureAnswer, Victim, WithdrawalAnswer
from portal.models.base import utcnow
from portal.services import withdrawal_confirmation, withdrawal_officer
from portal.services.access import Principal
from tests.people import audit_events, sign_in_staff

from .records import alerts, help_asked, officer_recorded, victim_confirmed


def _north_case(session: Session, world, reference: str) -> tuple[Case, Victim]:
    victim = Victim(name="Victim C", locale="en", phone_e164="+447700900555")
    case = Case(
        crime_reference=reference,
        force="F",
        area="North",
        crime_category="Assault",
        officer_id=world.staff["officer_north"].id,
    )
    session.add_all([victim, case])
    session.flush()
    session.add(CaseVictim(case_id=case.id, victim_id=victim.id))
    session.commit()
    return case, victim


@pytest.fixture
def queued(app, world):
    """North: an old plain request (case A), then an ask and a newer request with a
    safeguarding flag (case C). South: one request North must never see."""
    now = utcnow()
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        case_c, victim_c = _north_case(session, world, "01/000003/26")
        old = victim_confirmed(
            session,
            case_id=world.case_a.id,
            victim_id=world.victim_a.id,
            now=now - timedelta(days=3),
        )
        ask = help_asked(
            session, case_id=case_c.id, victim_id=victim_c.id, now=now - timedelta(days=2)
        )
        flagged = victim_confirmed(
            session,
            case_id=case_c.id,
            victim_id=victim_c.id,
            now=now - timedelta(days=1),
            answers={WithdrawalAnswer.PRESSURE: PressureAnswer.YES},
        )
        south = victim_confirmed(
            session,
            case_id=world.case_b.id,
            victim_id=world.victim_b.id,
            now=now - timedelta(days=5),
        )
    return {"old": old, "ask": ask, "flagged": flagged, "south": south, "case_c": case_c}


def _queue(app, staff):
    with Session(app.extensions["db_engine"]) as session:
        items = withdrawal_officer.queue(session, Principal.for_staff(staff))
    return [(item.kind, item.id) for item in items]


def test_safeguarding_comes_first_then_the_longest_waiting(app, world, queued):
    expected = [
        ("withdrawal", queued["flagged"].id),
        ("withdrawal", queued["old"].id),
        ("recovery", queued["ask"].id),
    ]
    assert _queue(app, world.staff["officer_north"]) == expected
    assert _queue(app, world.staff["supervisor_north"]) == expected  # their area
    assert _queue(app, world.staff["officer_south"]) == [("withdrawal", queued["south"].id)]
    assert _queue(app, world.staff["isva_consent"]) == []


def test_the_queue_page_lists_flagged_first_and_links_each_record(client, app, world, queued):
    sign_in_staff(client, world.staff["officer_north"])
    page = client.get("/staff/withdrawals").get_data(as_text=True)
    links = [
        f"/staff/withdrawals/{queued['flagged'].id}",
        f"/staff/withdrawals/{queued['old'].id}",
        f"/staff/withdrawals/asks/{queued['ask'].id}",
    ]
    positions = [page.index(link) for link in links]
    assert positions == sorted(positions)
    assert "Safeguarding concern" in page
    assert world.case_b.crime_reference not in page


def test_a_record_waits_for_the_victims_yes_before_it_reaches_the_queue(app, world):
    now = utcnow()
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        recorded = officer_recorded(session, world, on="b", now=now)
        assert _queue(app, world.staff["officer_south"]) == []
        withdrawal_confirmation.answer_on_web(
            session, world.victim_b.id, recorded.request.id, yes=True, now=now
        )
        session.commit()
    assert _queue(app, world.staff["officer_south"]) == [("withdrawal", recorded.request.id)]


def test_opening_a_request_is_an_audited_view_of_the_victims_record(client, session, world, queued):
    sign_in_staff(client, world.staff["officer_north"])
    before = len(audit_events(session))
    page = client.get(f"/staff/withdrawals/{queued['old'].id}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Victim A" in body and "Chcę zapomnieć." in body and 'lang="pl"' in body
    assert "Unchanged since it was sealed" in body
    viewed = [(e.action, e.subject, e.details) for e in audit_events(session)[before:]]
    details = {"withdrawal_id": queued["old"].id}
    assert ("withdrawal.view", f"case:{world.case_a.id}", details) in viewed
    assert ("withdrawal.view", f"victim:{world.victim_a.id}", details) in viewed


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("officer_south", 404),
        ("supervisor_south", 404),
        ("isva_consent", 403),
        ("admin", 403),
    ],
)
def test_anyone_else_is_refused_and_the_refusal_is_audited(
    client, session, world, queued, who, status
):
    sign_in_staff(client, world.staff[who])
    for path in (
        f"/staff/withdrawals/{queued['old'].id}",
        f"/staff/withdrawals/asks/{queued['ask'].id}",
    ):
        before = len(audit_events(session))
        response = client.get(path)
        assert response.status_code == status, path
        assert "Victim A" not in response.get_data(as_text=True)
        assert [e.action for e in audit_events(session)[before:]] == ["access.denied"]
    before = len(audit_events(session))
    post = client.post(f"/staff/withdrawals/{queued['old'].id}/acknowledge", data={})
    assert post.status_code == status
    assert [e.action for e in audit_events(session)[before:]] == ["access.denied"]
    assert (
        withdrawal_officer.queue(session, Principal.for_staff(world.staff["officer_north"]))[1].id
        == queued["old"].id
    )  # still waiting: nothing was acknowledged


def test_a_victim_is_refused_the_staff_queue(client, session, world):
    from tests.people import sign_in_victim

    sign_in_victim(client, session, world.case_a.crime_reference)
    assert client.get("/staff/withdrawals").status_code == 404


def test_a_supervisor_sees_a_disputed_record_flagged_and_can_mark_it_dealt_with(
    client, session, world
):
    recorded = officer_recorded(session, world)
    withdrawal_confirmation.answer_on_web(
        session, world.victim_a.id, recorded.request.id, yes=False, now=utcnow()
    )
    session.commit()
    sign_in_staff(client, world.staff["supervisor_north"])
    page = client.get("/staff/withdrawals").get_data(as_text=True)
    assert "Flagged to you" in page
    assert "The victim said the recorded withdrawal is wrong" in page
    (alert,) = alerts(session)
    # Nobody else can clear it.
    sign_in_staff(client, world.staff["supervisor_south"])
    assert (
        client.post(f"/staff/alerts/{alert.id}/done", data={"back": "withdrawals"}).status_code
        == 404
    )
    sign_in_staff(client, world.staff["supervisor_north"])
    done = client.post(f"/staff/alerts/{alert.id}/done", data={"back": "withdrawals"})
    assert done.status_code == 303
    assert "Flagged to you" not in client.get("/staff/withdrawals").get_data(as_text=True)
    (resolved,) = audit_events(session, "alert.resolved")
    assert resolved.details == {"alert_id": alert.id, "kind": "withdrawal_disputed"}
