"""The officer's event form: which fields each event type has, their labels, and reading
a submitted form into the values `case_events.record_event` takes.

Dates and times are typed in UK local time and stored in UTC. Every problem is reported
per field in plain words, and what the officer typed is always kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from flask_babel import gettext, lazy_gettext
from pydantic import AwareDatetime
from pydantic.fields import FieldInfo
from werkzeug.datastructures import MultiDict

from portal.services.events import EVENT_TYPES, InvalidEvent, validate_params
from portal.services.validation import written
from portal.services.working_days import LONDON

#: What an officer sees for each event type.
EVENT_LABELS = {
    "report_acknowledged": lazy_gettext("Report recorded (acknowledgement)"),
    "needs_assessment_done": lazy_gettext("Needs assessment done"),
    "suspect_arrested": lazy_gettext("Suspect arrested"),
    "suspect_interviewed": lazy_gettext("Suspect interviewed"),
    "released_under_investigation": lazy_gettext("Suspect released under investigation"),
    "bailed": lazy_gettext("Suspect released on bail"),
    "charged": lazy_gettext("Suspect charged"),
    "out_of_court_disposal": lazy_gettext("Out-of-court disposal"),
    "no_further_action": lazy_gettext("No further action"),
    "court_date_set": lazy_gettext("Court date set"),
    "trial_adjourned": lazy_gettext("Trial adjourned"),
    "outcome_and_sentence": lazy_gettext("Outcome and sentence"),
    "vps_invitation": lazy_gettext("Invitation to make a Victim Personal Statement"),
    "compensation_information": lazy_gettext("Information about compensation"),
    "property_ready": lazy_gettext("Property ready to collect"),
    "general_update": lazy_gettext("General update in your own words"),
}

FIELD_LABELS = {
    "conditions": lazy_gettext("Bail conditions that protect the victim"),
    "bail_until": lazy_gettext("Bail ends (if you know)"),
    "offence": lazy_gettext("Offence charged"),
    "court_date": lazy_gettext("Court date and time"),
    "court_place": lazy_gettext("Court"),
    "review_how": lazy_gettext("How the victim can ask for a review"),
    "new_date": lazy_gettext("New trial date and time"),
    "outcome": lazy_gettext("Outcome"),
    "sentence": lazy_gettext("Sentence"),
    "disposal": lazy_gettext("Disposal given"),
    "where": lazy_gettext("Where to collect the property"),
    "text": lazy_gettext("Your update"),
}
OCCURRED = "occurred"
SEND = "send"
SUBMISSION = "submission"
_SUBMISSION_FORMAT = re.compile(r"^[0-9a-f]{32}$")
#: Longer than this, a text field is a text area.
_TEXTAREA_FROM = 300


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: str  # "text", "textarea" or "datetime"
    required: bool
    max_length: int | None
    #: Sent to the victim as written: never translated.
    officer_text: bool


@dataclass
class EventSubmission:
    event_type: str
    params: dict[str, Any]
    occurred_at: datetime
    send_at: datetime | None  # None: send now
    submission: str


@dataclass
class ParsedForm:
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    submission: EventSubmission | None = None


class NonexistentLocalTime(ValueError):
    """A wall-clock time skipped when the clocks go forward."""


def _is_datetime(info: FieldInfo) -> bool:
    return info.annotation in (datetime, AwareDatetime)


def fields_for(event_type: str) -> list[FormField]:
    event = EVENT_TYPES[event_type]
    found = []
    for name, info in event.fields.model_fields.items():
        max_length = next(
            (m.max_length for m in info.metadata if getattr(m, "max_length", None)), None
        )
        if _is_datetime(info):
            kind = "datetime"
        else:
            kind = "textarea" if (max_length or 0) > _TEXTAREA_FROM else "text"
        found.append(
            FormField(
                name=name,
                label=str(FIELD_LABELS[name]),
                kind=kind,
                required=info.is_required(),
                max_length=max_length,
                officer_text=name in event.officer_text_fields,
            )
        )
    return found


def local_datetime(day_text: str, clock_text: str) -> datetime:
    """A date and a time typed in UK local time, as aware UTC. Raises ValueError."""
    day = date.fromisoformat(day_text.strip())
    clock = time.fromisoformat(clock_text.strip())
    local = datetime.combine(day, clock, tzinfo=LONDON)
    utc = local.astimezone(UTC)
    if utc.astimezone(LONDON).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentLocalTime(day_text)
    return utc


def local_parts(value: datetime) -> tuple[str, str]:
    """The date and time fields for a UTC datetime, in UK local time."""
    local = value.astimezone(LONDON)
    return local.date().isoformat(), local.strftime("%H:%M")


def _read_datetime(values: dict[str, str], name: str, label: str, errors: dict) -> datetime | None:
    day, clock = values.get(f"{name}_date", ""), values.get(f"{name}_time", "")
    if not day.strip() or not clock.strip():
        errors[name] = gettext("%(label)s: enter a date and a time.", label=label)
        return None
    try:
        return local_datetime(day, clock)
    except NonexistentLocalTime:
        errors[name] = gettext(
            "%(label)s: this time does not exist that day, because the clocks go forward.",
            label=label,
        )
    except ValueError:
        errors[name] = gettext(
            "%(label)s: enter a date like 2026-07-06 and a time like 09:30.", label=label
        )
    return None


def _read_params(event_type: str, values: dict[str, str], errors: dict) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for item in fields_for(event_type):
        if item.kind == "datetime":
            when = _read_datetime(values, item.name, item.label, errors)
            if when is not None:
                params[item.name] = when.isoformat()
            continue
        text = written(values.get(item.name))
        if not text:
            if item.required:
                errors[item.name] = gettext("%(label)s: fill this in.", label=item.label)
            continue
        if item.max_length and len(text) > item.max_length:
            errors[item.name] = gettext(
                "%(label)s: use %(max)d characters or fewer (you used %(used)d).",
                label=item.label,
                max=item.max_length,
                used=len(text),
            )
            continue
        params[item.name] = text
    return params


def form_values(form: MultiDict) -> dict[str, str]:
    """Every field the event form can hold, as typed (for re-showing and hidden fields)."""
    names = {"type", SEND, SUBMISSION}
    for suffix in ("_date", "_time"):
        names |= {OCCURRED + suffix, SEND + suffix}
    for event in EVENT_TYPES.values():
        for name, info in event.fields.model_fields.items():
            if _is_datetime(info):
                names |= {f"{name}_date", f"{name}_time"}
            else:
                names.add(name)
    return {name: form.get(name, "") for name in sorted(names) if name in form}


def parse(event_type: str, form: MultiDict, *, now: datetime) -> ParsedForm:
    """Read and check the whole form; `submission` is set only when nothing is wrong."""
    values = form_values(form)
    parsed = ParsedForm(values)
    errors = parsed.errors
    params = _read_params(event_type, values, errors)
    occurred_at = _read_datetime(values, OCCURRED, gettext("When it happened"), errors)
    if occurred_at is not None and occurred_at > now:
        errors[OCCURRED] = gettext("When it happened: this cannot be in the future.")
    send_at = None
    if values.get(SEND) == "later":
        send_at = _read_datetime(values, SEND, gettext("Send at"), errors)
        if send_at is not None and send_at <= now:
            errors[SEND] = gettext("Send at: choose a time in the future.")
    elif values.get(SEND) != "now":
        errors[SEND] = gettext("Choose when to send the messages.")
    submission = values.get(SUBMISSION, "")
    if not _SUBMISSION_FORMAT.match(submission):
        errors[SUBMISSION] = gettext("This form is out of date. Start again.")
    if not errors:
        try:
            params = validate_params(event_type, params)
        except InvalidEvent as invalid:
            for problem in invalid.errors:
                name = problem["field"].removeprefix("params.")
                errors[name] = gettext("%(label)s: check this.", label=FIELD_LABELS.get(name, name))
    if not errors:
        parsed.submission = EventSubmission(event_type, params, occurred_at, send_at, submission)
    return parsed
