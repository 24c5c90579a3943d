"""The event types an officer or a police system can record on a case.

Each type has validated fields (a pydantic model), says whether the Victims' Code
times it (the victim must be told within 5 working days, or 1 with enhanced rights),
and which stage it moves the case to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from portal.models import CaseStage

from .validation import (
    EventDateTime,
    InvalidInput,
    StrictModel,
    free_text,
    from_validation_error,
    one_line,
)

STANDARD_DEADLINE_DAYS = 5
ENHANCED_DEADLINE_DAYS = 1

ShortText = free_text(500)
PlaceText = one_line(200)
LongText = free_text(1000)


class _Fields(StrictModel):
    """The params of one event type."""


class NoFields(_Fields):
    pass


class BailedFields(_Fields):
    #: The conditions that protect the victim, as the officer wrote them.
    conditions: ShortText
    #: When bail (and its conditions) ends, or the suspect must return, if known.
    bail_until: EventDateTime | None = None


class ChargedFields(_Fields):
    offence: ShortText
    court_date: EventDateTime
    court_place: PlaceText


class NoFurtherActionFields(_Fields):
    #: How to ask for a review of the decision (Victims' Right to Review).
    review_how: ShortText


class CourtDateFields(_Fields):
    court_date: EventDateTime
    court_place: PlaceText


class TrialAdjournedFields(_Fields):
    new_date: EventDateTime
    court_place: PlaceText | None = None


class OutcomeFields(_Fields):
    outcome: ShortText
    sentence: ShortText | None = None


class OutOfCourtFields(_Fields):
    disposal: ShortText


class PropertyFields(_Fields):
    where: PlaceText


class GeneralUpdateFields(_Fields):
    text: LongText


@dataclass(frozen=True)
class EventType:
    key: str
    fields: type[_Fields]
    #: The Victims' Code times telling the victim about it.
    timed: bool = False
    moves_to: CaseStage | None = None
    #: Fields the officer writes in their own words: sent as written, never translated.
    officer_text_fields: tuple[str, ...] = ()


EVENT_TYPES: dict[str, EventType] = {
    event.key: event
    for event in (
        EventType("report_acknowledged", NoFields, moves_to=CaseStage.INVESTIGATING),
        EventType("needs_assessment_done", NoFields),
        EventType("suspect_arrested", NoFields, timed=True, moves_to=CaseStage.SUSPECT_ARRESTED),
        EventType("suspect_interviewed", NoFields),
        EventType(
            "released_under_investigation",
            NoFields,
            timed=True,
            moves_to=CaseStage.RELEASED_UNDER_INVESTIGATION,
        ),
        EventType(
            "bailed",
            BailedFields,
            timed=True,
            moves_to=CaseStage.BAILED,
            officer_text_fields=("conditions",),
        ),
        EventType(
            "charged",
            ChargedFields,
            timed=True,
            moves_to=CaseStage.CHARGED,
            officer_text_fields=("offence",),
        ),
        EventType(
            "out_of_court_disposal",
            OutOfCourtFields,
            timed=True,
            moves_to=CaseStage.CONCLUDED,
            officer_text_fields=("disposal",),
        ),
        EventType(
            "no_further_action",
            NoFurtherActionFields,
            timed=True,
            moves_to=CaseStage.NO_FURTHER_ACTION,
            officer_text_fields=("review_how",),
        ),
        # Right 6: the date, time and place of a hearing, a change to it, and the outcome
        # and sentence are told within the same 5 (enhanced: 1) working days.
        EventType(
            "court_date_set", CourtDateFields, timed=True, moves_to=CaseStage.AWAITING_TRIAL
        ),
        EventType(
            "trial_adjourned",
            TrialAdjournedFields,
            timed=True,
            moves_to=CaseStage.AWAITING_TRIAL,
        ),
        EventType(
            "outcome_and_sentence",
            OutcomeFields,
            timed=True,
            moves_to=CaseStage.CONCLUDED,
            officer_text_fields=("outcome", "sentence"),
        ),
        EventType("vps_invitation", NoFields),
        EventType("compensation_information", NoFields),
        EventType("property_ready", PropertyFields, officer_text_fields=("where",)),
        EventType("general_update", GeneralUpdateFields, officer_text_fields=("text",)),
    )
}


class InvalidEvent(InvalidInput):
    """The event type is unknown or its fields are wrong; `errors` names each field."""


def validate_params(event_type: str, params: Any) -> dict[str, Any]:
    """Check the fields for `event_type`; return them JSON-ready (dates as ISO 8601)."""
    event = EVENT_TYPES.get(event_type)
    if event is None:
        raise InvalidEvent([{"field": "type", "message": "unknown event type"}])
    try:
        fields = event.fields.model_validate(params if params is not None else {})
    except ValidationError as exc:
        raise InvalidEvent(from_validation_error(exc, prefix=("params",))) from None
    return fields.model_dump(mode="json", exclude_none=True)


def deadline_days(event_type: str, *, enhanced_rights: bool) -> int | None:
    """Working days the Code allows to tell the victim, or None when it sets no deadline."""
    if not EVENT_TYPES[event_type].timed:
        return None
    return ENHANCED_DEADLINE_DAYS if enhanced_rights else STANDARD_DEADLINE_DAYS


def parse_datetime_param(value: str) -> datetime:
    return datetime.fromisoformat(value)
