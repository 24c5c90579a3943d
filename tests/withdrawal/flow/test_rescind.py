"""Changing one's mind: within 28 days of confirming, a new sealed version (RESCINDED) that
supersedes the confirmed one, the officer told and My case showing it; after 28 days the
page says to contact the officer, and nothing is recorded."""

from __future__ import annotations

from datetime import timedelta

from portal.models import WithdrawalStatus
from portal.models.base import utcnow
from portal.services import withdrawal, withdrawal_flow
from portal.services.withdrawal_flow import RESCIND_WINDOW, Acting
from tests.people import audit_events

from .helpers import alerts, ready_draft, requests_of, text, walk


def _confirm_directly(session, world, *, days_ago: float) -> None:
    """A withdrawal victim A confirmed `days_ago`."""
    then = utcnow() - timedelta(days=days_ago)
    ready_draft(session, world, now=then)
    acting = Acting.victim(world.victim_a.id)
    assert withdrawal_flow.confirm(
        session, world.case_a, world.victim_a.id, acting=acting, now=then
    )
    session.commit()


def test_rescind_within_28_days_is_a_new_sealed_version(victim_a, base, session, world):
    walk(victim_a, base)
    victim_a.post(f"{base}/check")
    page = text(victim_a.get(f"{base}/change-my-mind"))
    assert "Yes, I have changed my mind" in page
    response = victim_a.post(f"{base}/change-my-mind", data={"note": "Mam teraz wsparcie."})
    assert response.location == f"{base}/receipt"
    victim_a.post(f"{base}/change-my-mind", data={"note": "Mam teraz wsparcie."})  # twice

    confirmed, rescinded = requests_of(session, world.victim_a.id)
    assert confirmed.status == WithdrawalStatus.CONFIRMED
    assert rescinded.status == WithdrawalStatus.RESCINDED
    assert rescinded.version == confirmed.version + 1
    assert rescinded.supersedes_id == confirmed.id
    assert rescinded.own_words == "Mam teraz wsparcie."
    assert withdrawal.check_seal(session, rescinded).intact
    assert withdrawal.check_seal(session, confirmed).intact  # the original is untouched
    assert withdrawal.confirmed_record(session, world.case_a.id) is None
    [alert] = alerts(session, "withdrawal_rescinded")
    assert alert.staff_id == world.case_a.officer_id
    assert len(audit_events(session, withdrawal.SEAL_ACTION)) == 2

    assert "You have changed your mind" in text(victim_a.get(f"{base}/receipt"))
    my_case = text(victim_a.get("/my-case"))
    assert "You changed your mind about withdrawing" in my_case
    assert "Thinking about stopping being part of this case?" in my_case


def test_after_rescinding_they_can_start_again(victim_a, base, session, world):
    walk(victim_a, base)
    victim_a.post(f"{base}/check")
    victim_a.post(f"{base}/change-my-mind", data={})
    assert victim_a.get(base).location == f"{base}/about"
    walk(victim_a, base, "reasons")
    versions = requests_of(session, world.victim_a.id)
    assert [v.status for v in versions] == ["confirmed", "rescinded", "draft"]
    assert versions[-1].version == 3


def test_on_the_last_day_they_can_still_change_their_mind(victim_a, base, session, world):
    _confirm_directly(session, world, days_ago=RESCIND_WINDOW.days - 0.5)
    assert "Yes, I have changed my mind" in text(victim_a.get(f"{base}/change-my-mind"))


def test_after_28_days_the_page_says_to_contact_the_officer(victim_a, base, session, world):
    _confirm_directly(session, world, days_ago=RESCIND_WINDOW.days + 0.5)
    receipt = text(victim_a.get(f"{base}/receipt"))
    assert "/change-my-mind" not in receipt
    assert "please contact your officer" in receipt
    assert world.staff["officer_north"].email in receipt

    page = text(victim_a.get(f"{base}/change-my-mind"))
    assert "Please contact your officer to change your mind" in page
    assert world.staff["officer_north"].email in page
    response = victim_a.post(f"{base}/change-my-mind", data={"note": "too late"})
    assert response.status_code == 200
    assert [r.status for r in requests_of(session, world.victim_a.id)] == ["confirmed"]
    assert alerts(session, "withdrawal_rescinded") == []


def test_a_note_over_the_limit_is_refused_and_kept(victim_a, base, session, world):
    walk(victim_a, base)
    victim_a.post(f"{base}/check")
    long_note = "x" * (withdrawal_flow.NOTE_MAX + 1)
    response = victim_a.post(f"{base}/change-my-mind", data={"note": long_note})
    assert response.status_code == 400
    assert long_note in text(response) and 'href="#note"' in text(response)
    assert len(requests_of(session, world.victim_a.id)) == 1
