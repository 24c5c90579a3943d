from datetime import UTC, date, datetime

from portal.services.events import deadline_days
from portal.services.working_days import add_working_days, deadline_after, is_working_day


def test_christmas_and_boxing_day_are_skipped():
    # Wed 23 Dec 2026 + 1 working day: Thu 24th. From Thu 24th: Fri 25 and Mon 28
    # (Boxing Day substitute) are bank holidays, so the next working day is Tue 29th.
    assert add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 24)
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


def test_easter_monday_and_good_friday_are_skipped():
    # Easter 2026: Good Friday 3 April, Easter Monday 6 April.
    assert not is_working_day(date(2026, 4, 3))
    assert not is_working_day(date(2026, 4, 6))
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert add_working_days(date(2026, 4, 1), 5) == date(2026, 4, 10)


def test_friday_event_for_an_enhanced_victim_is_due_monday_night():
    friday_evening = datetime(2026, 6, 19, 17, 30, tzinfo=UTC)
    days = deadline_days("suspect_arrested", enhanced_rights=True)
    assert days == 1
    deadline = deadline_after(friday_evening, days)
    # 23:59:59 on Monday 22 June in London (BST) is 22:59:59 UTC.
    assert deadline == datetime(2026, 6, 22, 22, 59, 59, tzinfo=UTC)


def test_standard_victims_have_five_working_days_and_untimed_events_none():
    assert deadline_days("charged", enhanced_rights=False) == 5
    assert deadline_days("no_further_action", enhanced_rights=True) == 1
    assert deadline_days("vps_invitation", enhanced_rights=True) is None


def test_late_evening_uk_time_counts_as_the_uk_day():
    # 23:30 BST on Friday is 22:30 UTC on Friday; a minute after midnight BST on Saturday
    # is still Friday in UTC but Saturday in the UK: the deadline moves on.
    saturday_uk = datetime(2026, 6, 19, 23, 1, tzinfo=UTC)
    assert deadline_after(saturday_uk, 1).date() == date(2026, 6, 22)
