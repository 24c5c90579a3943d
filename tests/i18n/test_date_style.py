"""One date style (issue 18, fault 4): one formatter per kind (date, date and time, time)
in portal.i18n, British for English ("3 January 2027", "18:25"), each locale's CLDR
pattern elsewhere, always UK time, never seconds."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from babel.dates import format_date

from portal.i18n import SUPPORTED_LOCALES, format_clock, format_day, format_day_time
from portal.services.notification_text import TEXTS, render
from tests.i18n.rendered import rendered_site, text_runs
from tests.updates.samples import params_for

ROOT = Path(__file__).resolve().parents[2]
#: Date and time formatting that bypasses the three formatters.
AD_HOC = re.compile(
    r"\|\s*(dateformat|datetimeformat|timeformat)\b|\bformat_(date|datetime|time)\(|"
    r"strftime\([^)]*%[SIpbBaA]"
)
SECONDS = re.compile(r"\d:\d\d:\d\d")
US_DATE = re.compile(r"\b(January|February|March|April|May|June|July|August|September|"
                     r"October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
                     r" \d{1,2}, \d{4}")  # fmt: skip
TWELVE_HOUR = re.compile(r"\d\s?(AM|PM|am|pm)\b")


def test_english_dates_follow_british_conventions_in_uk_time():
    winter = datetime(2027, 1, 3, 18, 25, 40, tzinfo=UTC)
    summer = datetime(2026, 7, 6, 9, 30, 5, tzinfo=UTC)  # 10:30 in London (BST)
    assert format_day(winter, "en") == "3 January 2027"
    assert format_day(date(2027, 1, 3), "en") == "3 January 2027"
    assert format_clock(winter, "en") == "18:25"
    assert format_clock(summer, "en") == "10:30"
    assert format_clock(time(9, 0), "en") == "09:00"
    assert format_day_time(summer, "en") == "6 July 2026, 10:30"
    # Just before midnight UTC in summer is already the next day in London.
    assert format_day(datetime(2026, 7, 6, 23, 30, tzinfo=UTC), "en") == "7 July 2026"
    # A naive value is UTC, as the database stores it.
    assert format_clock(datetime(2026, 7, 6, 9, 30), "en") == "10:30"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_locale_uses_its_cldr_long_date_and_no_seconds(locale):
    moment = datetime(2027, 1, 3, 18, 25, 40, tzinfo=UTC)
    cldr = "en_GB" if locale == "en" else locale
    assert format_day(moment, locale) == format_date(date(2027, 1, 3), "long", locale=cldr)
    for text in (format_clock(moment, locale), format_day_time(moment, locale)):
        assert "40" not in text and not SECONDS.search(text), (locale, text)


def test_no_template_or_web_module_formats_a_date_its_own_way():
    sources = [*ROOT.joinpath("templates").rglob("*.html"), *ROOT.joinpath("portal").rglob("*.py")]
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sources
        if path.name != "i18n.py"
        for match in AD_HOC.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, "use local_date / local_datetime / local_time or portal.i18n:\n" + "\n".join(
        found
    )


@pytest.fixture(scope="module")
def site():
    rendered = rendered_site()
    yield rendered
    rendered.app.extensions["db_engine"].dispose()


def test_english_pages_show_one_date_style(site):
    problems = []
    for page in site.pages:
        for run in text_runs(site.open(page, "en")):
            for pattern in (SECONDS, US_DATE, TWELVE_HOUR):
                problems += [f"{page}: {m.group(0)!r}" for m in pattern.finditer(run.text)]
    assert not problems, "\n".join(problems)
    # The pages did show dates: the sample court date and the case's next update.
    seen = " ".join(r.text for p in site.pages for r in text_runs(site.open(p, "en")))
    assert "3 January 2027" in seen or "3 January 2027, 18:25" in seen


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_messages_use_the_same_date_and_time_style(key):
    message = render(key, locale="en", params=params_for(key), crime_reference="R1", discreet=False)
    for text in (message.sms, message.text):
        assert not SECONDS.search(text) and not US_DATE.search(text), text
        assert not TWELVE_HOUR.search(text), text
