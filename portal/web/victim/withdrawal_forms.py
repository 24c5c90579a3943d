"""Reading the withdrawal steps' forms. Each reader returns what was typed (to show back,
so nothing is lost), the errors by field, and the answers to save when there are none."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import time
from typing import Any

from flask_babel import gettext
from werkzeug.datastructures import MultiDict

from portal.models import WithdrawalAnswer, WithdrawalRequest, YesNoNotSure
from portal.services.validation import written
from portal.services.withdrawal_flow import NOTE_MAX, OWN_WORDS_MAX

from . import withdrawal_labels as labels

A = WithdrawalAnswer

#: The choices of each field with fixed answers, in the order they are shown.
OPTIONS: dict[str, dict] = {
    "reasons": labels.REASONS,
    "pressure": labels.PRESSURE,
    "safe_to_contact": labels.YES_NO_NOT_SURE,
    "safe_contact_channel": labels.SAFE_CONTACT_CHANNELS,
    "support_now": labels.YES_NO_NOT_SURE,
    "evidence_led": labels.YES_NO_NOT_SURE,
    "keep_updates": labels.YES_NO_NOT_SURE,
    "update_channels": labels.UPDATE_CHANNELS,
    "talk_first": labels.YES_NO_NOT_SURE,
    "offers": labels.HELP_OFFERS,
}
_TEXT_ANCHORS = {"safe_hours": "safe_from"}


def anchor(name: str) -> str:
    """The element an error links to: a group's first choice, or the field itself."""
    if name in OPTIONS:
        return f"{name}-{next(iter(OPTIONS[name]))}"
    return _TEXT_ANCHORS.get(name, name)


@dataclass
class StepForm:
    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    #: What to save (answers, or reasons and own words), when there are no errors.
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def anchors(self) -> dict[str, str]:
        return {name: anchor(name) for name in self.errors}


def _text(form: MultiDict, name: str) -> str:
    """Free text as typed, with browser line endings made plain and control characters
    (which no keyboard types, and PostgreSQL refuses in text) left out."""
    typed = (form.get(name) or "").replace("\r\n", "\n")
    return written(
        "".join(char for char in typed if char in "\n\t" or unicodedata.category(char) != "Cc")
    )


def _too_long(text: str, limit: int) -> str | None:
    if len(text) <= limit:
        return None
    return gettext(
        "Please make this shorter: up to %(limit)d characters. It has %(count)d now.",
        limit=limit,
        count=len(text),
    )


def _one_of(form: MultiDict, name: str) -> str:
    value = form.get(name, "")
    return value if value in OPTIONS[name] else ""


def _some_of(form: MultiDict, name: str) -> tuple[list[str], bool]:
    """The ticked choices, and whether every ticked value is one we offer."""
    ticked = form.getlist(name)
    known = [value for value in ticked if value in OPTIONS[name]]
    return known, len(known) == len(ticked)


def read_reasons(form: MultiDict) -> StepForm:
    reasons, all_known = _some_of(form, "reasons")
    own_words = _text(form, "own_words")
    result = StepForm({"reasons": reasons, "own_words": own_words})
    if not reasons or not all_known:
        result.errors["reasons"] = gettext("Choose at least one reason from the list.")
    if "other" in reasons and not own_words:
        result.errors["own_words"] = gettext(
            "You chose “Another reason”. Please tell us the reason in your own words."
        )
    elif message := _too_long(own_words, OWN_WORDS_MAX):
        result.errors["own_words"] = message
    result.data = {"reasons": reasons, "own_words": own_words or None}
    return result


def _time(text: str) -> time | None:
    """A time like 09:00; raises ValueError for anything else."""
    return time.fromisoformat(text) if text else None


def read_safety(form: MultiDict) -> StepForm:
    values = {
        name: _one_of(form, name)
        for name in ("pressure", "safe_to_contact", "safe_contact_channel")
    }
    values |= {"safe_from": _text(form, "safe_from"), "safe_until": _text(form, "safe_until")}
    result = StepForm(values)
    if not values["pressure"]:
        result.errors["pressure"] = gettext(
            "Choose an answer. You can choose “I would rather not say”."
        )
    if not values["safe_to_contact"]:
        result.errors["safe_to_contact"] = gettext("Tell us if it is safe to contact you.")
    answers = {A.PRESSURE: values["pressure"], A.SAFE_TO_CONTACT: values["safe_to_contact"]}
    if values["safe_to_contact"] == YesNoNotSure.YES:
        if not values["safe_contact_channel"]:
            result.errors["safe_contact_channel"] = gettext("Choose how it is safe to contact you.")
        answers[A.SAFE_CONTACT_CHANNEL] = values["safe_contact_channel"]
        try:
            start, end = _time(values["safe_from"]), _time(values["safe_until"])
        except ValueError:
            result.errors["safe_hours"] = gettext("Enter times like 09:00.")
        else:
            if (start is None) != (end is None):
                result.errors["safe_hours"] = gettext("Enter both times, or leave both empty.")
            elif start is not None:
                answers[A.SAFE_CONTACT_HOURS] = f"{start:%H:%M}-{end:%H:%M}"
    result.data = answers
    return result


def read_wishes(form: MultiDict) -> StepForm:
    names = ("support_now", "evidence_led", "keep_updates", "talk_first")
    values: dict[str, Any] = {name: _one_of(form, name) for name in names}
    channels, all_known = _some_of(form, "update_channels")
    values["update_channels"] = channels
    result = StepForm(values)
    messages = {
        "support_now": gettext("Tell us if you would like support now."),
        "evidence_led": gettext("Choose an answer. “Not sure” is fine."),
        "keep_updates": gettext("Tell us if you still want updates."),
        "talk_first": gettext("Tell us if you would like to talk to someone first."),
    }
    answers: dict[str, Any] = {}
    for name in names:
        if not values[name]:
            result.errors[name] = messages[name]
        answers[A(name)] = values[name]
        if name == "keep_updates" and values[name] == YesNoNotSure.YES:
            if not channels or not all_known:
                result.errors["update_channels"] = gettext("Choose how you want updates.")
            answers[A.UPDATE_CHANNELS] = channels
    result.data = answers
    return result


def read_help(form: MultiDict) -> StepForm:
    offers, all_known = _some_of(form, "offers")
    note = _text(form, "note")
    result = StepForm({"offers": offers, "note": note})
    if not all_known:
        result.errors["offers"] = gettext("Choose from the list, or choose none.")
    if message := _too_long(note, NOTE_MAX):
        result.errors["note"] = message
    result.data = {"offers": offers, "note": note or None}
    return result


def read_note(form: MultiDict) -> StepForm:
    note = _text(form, "note")
    result = StepForm({"note": note}, data={"note": note or None})
    if message := _too_long(note, NOTE_MAX):
        result.errors["note"] = message
    return result


READERS = {
    "reasons": read_reasons,
    "safety": read_safety,
    "wishes": read_wishes,
    "help": read_help,
}


def values_from(draft: WithdrawalRequest | None, step: str) -> dict[str, Any]:
    """What the victim answered before, to fill the step's form when they come back."""
    if draft is None:
        return {}
    answers = draft.answers
    if step == "reasons":
        return {"reasons": draft.reasons, "own_words": draft.own_words or ""}
    if step == "safety":
        start, _, end = (answers.get(A.SAFE_CONTACT_HOURS) or "").partition("-")
        return {
            "pressure": answers.get(A.PRESSURE, ""),
            "safe_to_contact": answers.get(A.SAFE_TO_CONTACT, ""),
            "safe_contact_channel": answers.get(A.SAFE_CONTACT_CHANNEL, ""),
            "safe_from": start,
            "safe_until": end,
        }
    if step == "wishes":
        names = ("support_now", "evidence_led", "keep_updates", "talk_first")
        return {name: answers.get(name, "") for name in names} | {
            "update_channels": answers.get(A.UPDATE_CHANNELS, [])
        }
    return {"offers": [], "note": ""}
