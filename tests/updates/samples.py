"""Sample values for every event field, so each message template can be rendered whole."""

from __future__ import annotations

from portal.services.events import EVENT_TYPES

PARAMS = {
    "conditions": "Must not contact you",
    "bail_until": "2026-08-01T09:30:00+00:00",
    "offence": "Assault",
    "court_date": "2026-07-06T09:30:00+00:00",
    "court_place": "Leeds Magistrates' Court",
    "review_how": "Write to the review team",
    "new_date": "2026-09-01T09:30:00+00:00",
    "outcome": "Guilty",
    "sentence": "Two years",
    "disposal": "Caution",
    "where": "Leeds station",
    "text": "We have taken the CCTV.",
}


def params_for(key: str) -> dict:
    """The sample value of each field the event type `key` takes."""
    fields = EVENT_TYPES[key].fields.model_fields if key in EVENT_TYPES else {}
    return {name: PARAMS[name] for name in fields}
