"""Each step checks what it is given: errors are listed at the top, each linked to its field,
and everything typed comes back; nothing half-valid is saved. Steps cannot be skipped."""

from __future__ import annotations

import re

import pytest

from portal.models import WithdrawalAnswer
from portal.services.withdrawal_flow import OWN_WORDS_MAX

from .helpers import GOOD, SAFETY, WISHES, error_links, requests_of, text, walk


def _ids_in(page: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page))


def _assert_errors_link_to_fields(response, expected: dict[str, str]) -> None:
    assert response.status_code == 400
    links = error_links(response)
    assert set(links) == set(expected)
    for anchor, words in expected.items():
        assert words in links[anchor]
    page = text(response)
    assert _ids_in(page) >= set(links), "an error links to nothing on the page"
    assert page.count('class="error-message"') == len(links)
    assert "<title>Error:" in page


def test_reasons_need_at_least_one_and_other_needs_words(victim_a, base, session, world):
    walk(victim_a, base, "about")
    response = victim_a.post(f"{base}/reasons", data={"own_words": "  I just want it over  "})
    _assert_errors_link_to_fields(response, {"reasons-move_on": "at least one reason"})
    assert "I just want it over" in text(response)  # what they typed is kept

    response = victim_a.post(f"{base}/reasons", data={"reasons": ["other", "court_fear"]})
    _assert_errors_link_to_fields(response, {"own_words": "own words"})
    page = text(response)
    assert re.search(r'id="reasons-other"[^>]*checked', page)
    assert re.search(r'id="reasons-court_fear"[^>]*checked', page)
    assert requests_of(session, world.victim_a.id)[0].reasons == []


def test_reasons_refuse_unknown_codes_and_words_over_the_limit(victim_a, base, session, world):
    walk(victim_a, base, "about")
    response = victim_a.post(f"{base}/reasons", data={"reasons": ["move_on", "bogus"]})
    _assert_errors_link_to_fields(response, {"reasons-move_on": "from the list"})

    long_words = "ż" * (OWN_WORDS_MAX + 1)
    response = victim_a.post(
        f"{base}/reasons", data={"reasons": ["move_on"], "own_words": long_words}
    )
    _assert_errors_link_to_fields(response, {"own_words": f"{OWN_WORDS_MAX}"})
    assert long_words in text(response)
    # Windows line endings count once, so text at the limit typed in a browser still fits.
    typed = "ab\r\n" * (OWN_WORDS_MAX // 3)
    assert len(typed) > OWN_WORDS_MAX
    response = victim_a.post(f"{base}/reasons", data={"reasons": ["move_on"], "own_words": typed})
    assert response.status_code == 303


def test_safety_needs_both_answers_and_a_way_when_safe(victim_a, base, session, world):
    walk(victim_a, base, "reasons")
    response = victim_a.post(f"{base}/safety", data={})
    _assert_errors_link_to_fields(
        response, {"pressure-yes": "rather not say", "safe_to_contact-yes": "safe to contact"}
    )
    response = victim_a.post(
        f"{base}/safety",
        data={"pressure": "no", "safe_to_contact": "yes", "safe_from": "25:00", "safe_until": ""},
    )
    _assert_errors_link_to_fields(
        response, {"safe_contact_channel-call": "how it is safe", "safe_from": "09:00"}
    )
    assert 'value="25:00"' in text(response)
    response = victim_a.post(f"{base}/safety", data={**SAFETY, "safe_until": ""})
    _assert_errors_link_to_fields(response, {"safe_from": "both times"})
    assert requests_of(session, world.victim_a.id)[0].answers == {}


def test_safety_drops_the_way_and_times_when_it_is_not_safe(victim_a, base, session, world):
    walk(victim_a, base, "reasons")
    response = victim_a.post(f"{base}/safety", data={**SAFETY, "safe_to_contact": "no"})
    assert response.status_code == 303
    answers = requests_of(session, world.victim_a.id)[0].answers
    assert answers == {WithdrawalAnswer.PRESSURE: "no", WithdrawalAnswer.SAFE_TO_CONTACT: "no"}


def test_wishes_need_every_answer_and_a_channel_for_updates(victim_a, base, session, world):
    walk(victim_a, base, "safety")
    response = victim_a.post(f"{base}/wishes", data={"keep_updates": "yes", "talk_first": "no"})
    _assert_errors_link_to_fields(
        response,
        {
            "support_now-yes": "support now",
            "evidence_led-yes": "Not sure",
            "update_channels-sms": "how you want updates",
        },
    )
    page = text(response)
    assert re.search(r'id="keep_updates-yes"[^>]*checked', page)
    assert re.search(r'id="talk_first-no"[^>]*checked', page)
    response = victim_a.post(f"{base}/wishes", data={**WISHES, "update_channels": ["fax"]})
    _assert_errors_link_to_fields(response, {"update_channels-sms": "how you want updates"})


def test_help_refuses_unknown_offers_and_keeps_the_note(victim_a, base, session, world):
    walk(victim_a, base, "wishes")
    response = victim_a.post(f"{base}/help", data={"offers": ["pony"], "note": "Call after 6"})
    _assert_errors_link_to_fields(response, {"offers-callback": "from the list"})
    assert "Call after 6" in text(response)


@pytest.mark.parametrize("step", ["safety", "wishes", "help", "check"])
def test_a_step_cannot_be_reached_before_the_ones_before_it(victim_a, base, step):
    walk(victim_a, base, "reasons")
    response = victim_a.get(f"{base}/{step}")
    expected = "safety" if step != "safety" else None
    if expected is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 303 and response.location.endswith(f"/{expected}")


def test_check_needs_the_help_step_first(victim_a, base):
    walk(victim_a, base, "wishes")
    response = victim_a.get(f"{base}/check")
    assert response.location.endswith("/help")
    response = victim_a.post(f"{base}/check")
    assert response.status_code == 303 and not response.location.endswith("/receipt")


def test_every_step_has_a_back_link_to_the_one_before_and_quick_exit(victim_a, base):
    walk(victim_a, base, "help")
    previous = {"reasons": "about", "safety": "reasons", "wishes": "safety", "help": "wishes",
                "check": "help"}  # fmt: skip
    for step, before in previous.items():
        page = text(victim_a.get(f"{base}/{step}"))
        assert f'class="arrow-back" href="{base}/{before}"' in page, step
        assert 'id="quick-exit"' in page
    assert 'class="arrow-back" href="/my-case"' in text(victim_a.get(f"{base}/about"))


def test_steps_show_saved_answers_when_going_back(victim_a, base):
    walk(victim_a, base, "wishes")
    page = text(victim_a.get(f"{base}/reasons"))
    assert re.search(r'id="reasons-process_too_long"[^>]*checked', page)
    assert GOOD["reasons"]["own_words"] in page
    page = text(victim_a.get(f"{base}/safety"))
    assert re.search(r'id="safe_contact_channel-sms"[^>]*checked', page)
    assert 'value="09:00"' in page and 'value="17:00"' in page


def test_an_unknown_step_is_not_found(victim_a, base):
    assert victim_a.get(f"{base}/nonsense").status_code == 404


def test_control_characters_are_left_out_of_their_words(victim_a, base, session, world):
    walk(victim_a, base, "about")
    typed = "Line one\x00\x07\r\nLine two\tend"
    response = victim_a.post(f"{base}/reasons", data={"reasons": ["other"], "own_words": typed})
    assert response.status_code == 303
    assert requests_of(session, world.victim_a.id)[0].own_words == "Line one\nLine two\tend"
