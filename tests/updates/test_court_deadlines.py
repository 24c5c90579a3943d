"""Right 6: a court date, a change to it, and the outcome and sentence carry the Code's
deadline (5 working days, 1 for enhanced rights), like charge or bail."""

import pytest

from portal.services.events import deadline_days


@pytest.mark.parametrize(
    "event_type", ["court_date_set", "trial_adjourned", "outcome_and_sentence"]
)
def test_court_events_have_the_codes_deadline(event_type):
    assert deadline_days(event_type, enhanced_rights=False) == 5
    assert deadline_days(event_type, enhanced_rights=True) == 1


def test_events_the_code_does_not_time_have_no_deadline():
    assert deadline_days("general_update", enhanced_rights=True) is None
