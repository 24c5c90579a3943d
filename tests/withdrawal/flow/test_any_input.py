"""Whatever arrives in a step's form (odd values, control characters, any script, repeated
fields), the answer is the next step or a page listing the problems: never an error page."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .helpers import GOOD, requests_of, walk

FIELDS = {
    "reasons": ["reasons", "own_words"],
    "safety": ["pressure", "safe_to_contact", "safe_contact_channel", "safe_from", "safe_until"],
    "wishes": ["support_now", "evidence_led", "keep_updates", "update_channels", "talk_first"],
    "help": ["offers", "note"],
}
values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["yes", "no", "not_sure", "other", "sms", "09:00", "\x00", "", "move_on"]),
)
forms = st.sampled_from(sorted(FIELDS)).flatmap(
    lambda step: st.tuples(
        st.just(step),
        st.dictionaries(
            st.sampled_from(FIELDS[step]), st.lists(values, min_size=1, max_size=3), max_size=5
        ),
    )
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(form=forms)
def test_any_form_gets_the_next_step_or_a_list_of_problems(victim_a, base, session, world, form):
    step, data = form
    if not requests_of(session, world.victim_a.id):
        walk(victim_a, base, "help")
    response = victim_a.post(f"{base}/{step}", data=data)
    assert response.status_code in (303, 400), (step, data, response.status_code)
    if response.status_code == 400:
        assert 'class="error-summary"' in response.get_data(as_text=True)
    [draft] = requests_of(session, world.victim_a.id)
    assert "\x00" not in (draft.own_words or "")
    victim_a.post(f"{base}/{step}", data=GOOD.get(step, {}))  # back to a known state
