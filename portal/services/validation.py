"""Rules for input from outside (police systems, officers' forms), shared by every model
that checks it, and one error that names each wrong field.

Text that reaches the database or a victim's phone must be printable: control characters
are refused (PostgreSQL cannot even store NUL), and one-line fields refuse line breaks.
Dates must carry a time zone and fall in a plausible range, so converting them to UK time
can never overflow.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

#: No control characters except tab and line breaks (free text written by an officer).
TEXT_PATTERN = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
#: No control characters and no line breaks at all (names, places, categories).
LINE_PATTERN = r"^[^\x00-\x1F\x7F-\x9F\u2028\u2029]*$"

#: Upper-case letters and digits in groups joined by "/" or "-", e.g. "01/123456/26".
CRIME_REFERENCE_PATTERN = r"^[A-Z0-9]+(?:[/-][A-Z0-9]+)*$"
E164_PATTERN = r"^\+[1-9][0-9]{6,14}$"
CLOCK_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"

#: What a broken pattern means, in words an integrator can act on.
PATTERN_MESSAGES: dict[str, str] = {
    TEXT_PATTERN: "must not contain control characters",
    LINE_PATTERN: "must be one line without control characters",
    CRIME_REFERENCE_PATTERN: (
        "must be upper-case letters and digits in groups joined by / or -, e.g. 01/123456/26"
    ),
    E164_PATTERN: "must be in E.164 form, e.g. +447700900123",
    CLOCK_PATTERN: "must be a 24-hour time, HH:MM",
}

EARLIEST_YEAR = 2000
LATEST_YEAR = 2099

#: The largest value an integer column holds on every database we run on (PostgreSQL's
#: INTEGER): a larger id from outside would overflow SQLite and PostgreSQL alike.
DATABASE_INT_MAX = 2**31 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_int(text: str | None, *, minimum: int = 1, maximum: int = DATABASE_INT_MAX) -> int | None:
    """An integer written in ASCII digits (surrounding spaces allowed) between `minimum`
    and `maximum`, or None. Other digits ("²", "١"), signs and huge values are None, so
    no id from outside reaches the database out of range."""
    digits = (text or "").strip(" ")
    if not _ASCII_DIGITS.fullmatch(digits):
        return None
    value = int(digits)
    return value if minimum <= value <= maximum else None


#: Code points that are not text: controls, surrogates, private use and unassigned.
#: Tabs and line breaks are text here; one-line fields refuse them by their pattern.
_NOT_TEXT = frozenset({"Cc", "Cs", "Co", "Cn"})
_LAYOUT = frozenset("\t\n\r")


#: Categories that show nothing on their own: controls, format characters (the
#: right-to-left override, zero-width spaces) and separators (spaces, line separators).
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def written(text: str | None) -> str:
    """`text` trimmed, or "" when nothing in it can be seen. Every name and free-text field
    reads its value through this, so one made only of invisible characters (a lone
    right-to-left override, zero-width or other spaces) counts as empty and gets the
    form's own "enter a name" error."""
    trimmed = (text or "").strip()
    visible = any(unicodedata.category(c) not in INVISIBLE_CATEGORIES for c in trimmed)
    return trimmed if visible else ""


def _something_written(value: str) -> str:
    if not written(value):
        raise ValueError("must contain visible text, not only spaces or invisible characters")
    return value


def _only_text(value: str) -> str:
    if any(
        unicodedata.category(character) in _NOT_TEXT and character not in _LAYOUT
        for character in value
    ):
        raise ValueError("must contain only text (no control, private or unassigned characters)")
    return value


def free_text(max_length: int) -> Any:
    """A free-text type (line breaks allowed)."""
    return Annotated[
        str,
        Field(min_length=1, max_length=max_length, pattern=TEXT_PATTERN),
        AfterValidator(_only_text),
        AfterValidator(_something_written),
    ]


def one_line(max_length: int) -> Any:
    """A one-line text type."""
    return Annotated[
        str,
        Field(min_length=1, max_length=max_length, pattern=LINE_PATTERN),
        AfterValidator(_only_text),
        AfterValidator(_something_written),
    ]


def _plausible_year(value: datetime) -> datetime:
    problem = f"must be between the years {EARLIEST_YEAR} and {LATEST_YEAR}"
    # The year as written first: only then can converting to UTC not overflow.
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(problem)
    # Then the year in UTC, which is what is stored.
    if not EARLIEST_YEAR <= value.astimezone(UTC).year <= LATEST_YEAR:
        raise ValueError(problem)
    return value


#: A timezone-aware ISO 8601 date and time between 2000 and 2099.
EventDateTime = Annotated[AwareDatetime, AfterValidator(_plausible_year)]


class StrictModel(BaseModel):
    """Input models: unknown fields are refused and text is trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class InvalidInput(ValueError):
    """Input that breaks a rule; `errors` names each field ("victims.0.phone") and why."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


#: A tagged union's own errors name no field: they are about its tag.
_TAG_MESSAGES = {
    "union_tag_not_found": "Field required",
    "union_tag_invalid": "is not one of the known values",
}


def _field(item: Any, prefix: tuple[str, ...]) -> str:
    location = [*prefix, *(str(part) for part in item["loc"])]
    if item["type"] in _TAG_MESSAGES:
        location.append(item["ctx"]["discriminator"].strip("'"))
    return ".".join(location) or "body"


def _message(item: Any) -> str:
    if item["type"] in _TAG_MESSAGES:
        return _TAG_MESSAGES[item["type"]]
    if item["type"] == "string_pattern_mismatch":
        return PATTERN_MESSAGES.get(item["ctx"]["pattern"], item["msg"])
    if item["type"] == "value_error":
        return str(item["ctx"]["error"])
    return item["msg"]


def from_validation_error(
    error: ValidationError, *, prefix: tuple[str, ...] = ()
) -> list[dict[str, str]]:
    """Pydantic's errors as [{"field": "victims.0.phone", "message"}], under `prefix`;
    "body" when the whole body is wrong. Never echoes the input itself."""
    return [
        {
            "field": _field(item, prefix),
            "message": _message(item),
        }
        for item in error.errors(include_url=False, include_input=False)
    ]


class MalformedInput(InvalidInput):
    """The body is not JSON at all (as opposed to JSON with wrong fields)."""


def invalid_input(error: ValidationError) -> InvalidInput:
    """The InvalidInput for a failed `model_validate_json`: malformed JSON is told apart."""
    malformed = any(item["type"] == "json_invalid" for item in error.errors())
    return (MalformedInput if malformed else InvalidInput)(from_validation_error(error))
