"""The one way web forms and query strings read an integer (an id, a number of days)."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from portal.services.validation import DATABASE_INT_MAX, parse_int


def form_int(
    values: MultiDict, name: str, *, minimum: int = 1, maximum: int = DATABASE_INT_MAX
) -> int | None:
    """The field as an integer within bounds, or None when it is missing or anything else
    (the form then shows its own error in the reader's language)."""
    return parse_int(values.get(name), minimum=minimum, maximum=maximum)
