"""The one converter for integers in URLs: `<id:name>`.

Only ASCII digits that fit the database's integer columns match, so an id such as
99999999999999999999 or "²" is "not found" (404) instead of an overflow deep in the
database driver (500). The app factory registers it before any route is added.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, ValidationError

from portal.services.validation import parse_int


class IdConverter(IntegerConverter):
    regex = r"[0-9]+"

    def to_python(self, value: str) -> int:
        number = parse_int(value)
        if number is None:
            raise ValidationError()
        return number
