"""Progress is saved at every step: a victim who stops (even signing out) comes back to the
step where they stopped, with every answer kept."""

from __future__ import annotations

import re

from portal.models import WithdrawalStatus

from .helpers import GOOD, requests_of, text, victim_client, walk


def test_signing_out_and_in_again_resumes_at_the_same_step_with_answers(
    app, session, world, victim_a, base
):
    walk(victim_a, base, "safety")
    draft = requests_of(session, world.victim_a.id)[0]
    assert (draft.status, draft.current_step) == (WithdrawalStatus.DRAFT, "wishes")
    assert victim_a.post("/sign-out").status_code == 303
    assert victim_a.get(f"{base}/wishes").status_code == 302  # signed out: to sign-in

    again = victim_client(app, session, world.case_a)
    my_case = text(again.get("/my-case"))
    assert "Carry on where you stopped" in my_case
    assert f'href="{base}"' in my_case
    response = again.get("/my-case/withdrawal")
    assert response.location == base
    response = again.get(base)
    assert response.location == f"{base}/wishes"
    # Earlier answers are still there when they look back.
    page = text(again.get(f"{base}/reasons"))
    assert GOOD["reasons"]["own_words"] in page
    assert re.search(r'id="reasons-move_on"[^>]*checked', page)
    page = text(again.get(f"{base}/safety"))
    assert re.search(r'id="pressure-no"[^>]*checked', page)


def test_save_and_come_back_later_keeps_the_answers_and_leaves(victim_a, base, session, world):
    walk(victim_a, base, "reasons")
    response = victim_a.post(f"{base}/safety", data={**GOOD["safety"], "later": "1"})
    assert response.status_code == 303 and response.location == "/my-case"
    draft = requests_of(session, world.victim_a.id)[0]
    assert draft.answers["pressure"] == "no" and draft.current_step == "wishes"


def test_changing_an_answer_from_check_returns_to_check(victim_a, base, session, world):
    walk(victim_a, base, "help")
    page = text(victim_a.get(f"{base}/check"))
    assert f'href="{base}/safety?change=1"' in page
    form = text(victim_a.get(f"{base}/safety?change=1"))
    assert 'name="change" value="1"' in form
    response = victim_a.post(f"{base}/safety", data={**GOOD["safety"], "change": "1"})
    assert response.location == f"{base}/check"
    assert requests_of(session, world.victim_a.id)[0].current_step == "check"


def test_going_back_through_the_steps_offers_help_again(victim_a, base, session, world):
    walk(victim_a, base, "help")
    victim_a.post(f"{base}/wishes", data=GOOD["wishes"])
    assert victim_a.get(f"{base}/check").location == f"{base}/help"


def test_two_tabs_starting_at_once_share_one_draft(victim_a, base, session, world):
    assert victim_a.post(f"{base}/about").location == f"{base}/reasons"
    assert victim_a.post(f"{base}/about").location == f"{base}/reasons"
    assert len(requests_of(session, world.victim_a.id)) == 1


def test_every_save_is_audited_with_the_step(victim_a, base, session, world):
    from tests.people import audit_events

    walk(victim_a, base, "wishes")
    saved = audit_events(session, "withdrawal.step.saved")
    assert [e.details["step"] for e in saved] == ["reasons", "safety", "wishes"]
    assert {e.actor for e in saved} == {f"victim:{world.victim_a.id}"}
    assert all(e.on_behalf_of is None for e in saved)
    assert all(GOOD["reasons"]["own_words"] not in str(e.details) for e in audit_events(session))
