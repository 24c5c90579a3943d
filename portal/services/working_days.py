"""Victims' Code deadlines in working days (England and Wales).

Working days skip weekends and England and Wales bank holidays, taken from the
maintained `holidays` package rather than a hand list.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from portal.i18n import LONDON

#: A deadline day ends at the end of the working day, in UK local time.
END_OF_DAY = time(23, 59, 59)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """The date `count` working days after `day` (the day itself never counts)."""
    current = day
    remaining = count
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def deadline_after(occurred_at: datetime, working_days: int) -> datetime:
    """End of the UK working day `working_days` after the event, as aware UTC."""
    local_day = occurred_at.astimezone(LONDON).date()
    last_day = add_working_days(local_day, working_days)
    return datetime.combine(last_day, END_OF_DAY, tzinfo=LONDON).astimezone(ZoneInfo("UTC"))
