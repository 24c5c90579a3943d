"""How values are written into a page, for every template (registered as Jinja filters
and globals by `init_app`).

Right-to-left pages (ar, fa, ur) reorder anything made of digits, spaces and
punctuation unless it sits in a direction isolate: "08 08 16 89 111" would show as
"111 89 16 08 08". So:

- `|ltr` puts a phone number, crime reference, email address, URL or code in
  `<bdi dir="ltr">`;
- `|tel` makes a phone number a tap-to-call link (isolated the same way), and `|dial`
  does that for every service number (999, 101, the helplines) inside a translated
  sentence, so a frightened reader can call without copying digits;
- `|local_date`, `|local_datetime` and `|local_time` are the only way a page shows a date
  or a time (one style, UK time, no seconds: portal.i18n), each in a `<bdi>` of its own,
  which takes the direction of the locale's own words ("3 يناير 2027" stays Arabic).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from flask import Flask
from flask_babel import get_locale
from markupsafe import Markup

from portal.i18n import (
    DEFAULT_LOCALE,
    format_clock,
    format_day,
    format_day_time,
    language_name,
    typed_language_name,
)


def reader_locale() -> str:
    return str(get_locale() or DEFAULT_LOCALE)


def ltr(value: object) -> Markup:
    """A left-to-right value (phone, crime reference, email, URL, code), isolated."""
    if value is None or value == "":
        return Markup("")
    return Markup('<bdi dir="ltr">%s</bdi>') % value


#: The numbers a victim may need to call, as the sentences write them: 999, 101,
#: Samaritans, the National Domestic Abuse Helpline and Victim Support. A number glued
#: to other digits, or already inside a tag (`>999<`), is left alone.
SERVICE_NUMBERS = re.compile(
    r"(?<![\w:/+>])(999|101|116 123|0808 2000 247|08 ?08 ?16 ?89 ?111)(?![\w<])"
)


def tel(value: object) -> Markup:
    """A phone number as a tap-to-call link; the number is shown as written."""
    if value is None or value == "":
        return Markup("")
    digits = re.sub(r"[^\d+]", "", str(value))
    return Markup('<a class="tel" href="tel:%s">%s</a>') % (digits, ltr(value))


def dial(text: object) -> Markup:
    """`text` (a translated sentence) with every service number in it made a `tel` link."""
    html = str(Markup.escape(text))
    return Markup(SERVICE_NUMBERS.sub(lambda found: str(tel(found.group(1))), html))  # noqa: S704


def isolated(text: str) -> Markup:
    """Text in the reader's own words and digits, isolated from the sentence around it."""
    return Markup("<bdi>%s</bdi>") % text


def local_date(value: date | datetime) -> Markup:
    return isolated(format_day(value, reader_locale()))


def local_datetime(value: datetime) -> Markup:
    return isolated(format_day_time(value, reader_locale()))


def local_time(value: datetime | time) -> Markup:
    return isolated(format_clock(value, reader_locale()))


def init_app(app: Flask) -> None:
    for name, function in (
        ("ltr", ltr),
        ("tel", tel),
        ("dial", dial),
        ("local_date", local_date),
        ("local_datetime", local_datetime),
        ("local_time", local_time),
    ):
        app.add_template_filter(function, name)
    app.add_template_global(lambda code: language_name(code, reader_locale()), "language_name")
    app.add_template_global(
        lambda typed: typed_language_name(typed, reader_locale()), "typed_language_name"
    )
