"""Help is offered before anything is final. Choosing help records one service-recovery ask
for the officer and withdraws nothing; the victim may still confirm later."""

from __future__ import annotations

from portal.models import HelpOffer, WithdrawalStatus
from portal.services import withdrawal

from .helpers import alerts, asks, requests_of, text, walk


def test_every_offer_is_explained_in_one_plain_line(victim_a, base):
    walk(victim_a, base, "wishes")
    page = text(victim_a.get(f"{base}/help"))
    for offer in HelpOffer:
        assert f'id="offers-{offer}"' in page
        assert f'id="offers-{offer}-hint"' in page
    assert "does not withdraw you" in page


def test_choosing_help_asks_the_officer_once_and_does_not_withdraw(victim_a, base, session, world):
    walk(victim_a, base, "wishes")
    data = {"offers": ["callback", "interpreter"], "note": "Po 18:00 proszę"}
    response = victim_a.post(f"{base}/help", data=data)
    assert response.location == f"{base}/help-asked"
    victim_a.post(f"{base}/help", data=data)  # a double tap

    [ask] = asks(session)
    assert ask.offers == ["callback", "interpreter"]
    assert ask.note == "Po 18:00 proszę" and ask.submitted_by == "victim"
    assert ask.safeguarding_flag is False
    [draft] = requests_of(session, world.victim_a.id)
    assert ask.withdrawal_request_id == draft.id
    assert draft.status == WithdrawalStatus.SERVICE_RECOVERY and draft.content_hash is None
    assert withdrawal.confirmed_record(session, world.case_a.id) is None
    [alert] = alerts(session, "service_recovery")
    assert alert.staff_id == world.case_a.officer_id and alert.case_id == world.case_a.id

    page = text(victim_a.get(f"{base}/help-asked"))
    assert "You have not withdrawn" in page
    assert "A call back" in page and "An interpreter" in page
    assert f'href="{base}/check"' in page
    assert "You asked for help" in text(victim_a.get("/my-case"))


def test_after_asking_for_help_they_can_still_confirm(victim_a, base, session, world):
    walk(victim_a, base, "wishes")
    victim_a.post(f"{base}/help", data={"offers": ["fewer_updates"]})
    assert victim_a.get(base).location == f"{base}/check"
    page = text(victim_a.get(f"{base}/check"))
    assert "You have not withdrawn" in page
    assert victim_a.post(f"{base}/check").location == f"{base}/receipt"
    [record] = requests_of(session, world.victim_a.id)
    assert record.status == WithdrawalStatus.CONFIRMED
    assert len(asks(session)) == 1


def test_a_different_ask_later_is_recorded_too(victim_a, base, session):
    walk(victim_a, base, "wishes")
    victim_a.post(f"{base}/help", data={"offers": ["callback"]})
    victim_a.post(f"{base}/help", data={"offers": ["another_officer"]})
    assert sorted(a.offers[0] for a in asks(session)) == ["another_officer", "callback"]


def test_choosing_nothing_goes_on_to_check(victim_a, base, session, world):
    walk(victim_a, base, "wishes")
    assert victim_a.post(f"{base}/help", data={}).location == f"{base}/check"
    assert asks(session) == [] and alerts(session) == []


def test_an_ask_is_flagged_when_the_answers_show_pressure(victim_a, base, session, world):
    walk(victim_a, base, "wishes", safety={"pressure": "yes", "safe_to_contact": "not_sure"})
    victim_a.post(f"{base}/help", data={"offers": ["callback"]})
    [ask] = asks(session)
    assert ask.safeguarding_flag is True
    flagged = alerts(session, "service_recovery_safeguarding")
    assert {a.staff_id for a in flagged} == {
        world.staff["officer_north"].id,
        world.staff["supervisor_north"].id,
    }
