from datetime import UTC, datetime, time

from portal.services.contact import in_safe_hours, next_safe_time

# 16 June 2026: London is UTC+1.


def test_no_window_means_any_time():
    at = datetime(2026, 6, 16, 2, 0, tzinfo=UTC)
    assert in_safe_hours(None, None, at)
    assert next_safe_time(None, None, at) == at


def test_a_daytime_window_waits_for_its_opening_in_uk_time():
    start, end = time(11), time(15)
    before = datetime(2026, 6, 16, 8, 0, tzinfo=UTC)  # 09:00 in London
    assert next_safe_time(start, end, before) == datetime(2026, 6, 16, 10, 0, tzinfo=UTC)
    after = datetime(2026, 6, 16, 15, 0, tzinfo=UTC)  # 16:00 in London: tomorrow
    assert next_safe_time(start, end, after) == datetime(2026, 6, 17, 10, 0, tzinfo=UTC)
    inside = datetime(2026, 6, 16, 12, 0, tzinfo=UTC)
    assert next_safe_time(start, end, inside) == inside


def test_a_window_crossing_midnight():
    start, end = time(22), time(2)
    assert in_safe_hours(start, end, datetime(2026, 6, 16, 22, 30, tzinfo=UTC))  # 23:30
    assert in_safe_hours(start, end, datetime(2026, 6, 16, 0, 30, tzinfo=UTC))  # 01:30
    assert not in_safe_hours(start, end, datetime(2026, 6, 16, 1, 0, tzinfo=UTC))  # 02:00
    noon = datetime(2026, 6, 16, 11, 0, tzinfo=UTC)
    assert next_safe_time(start, end, noon) == datetime(2026, 6, 16, 21, 0, tzinfo=UTC)


def test_winter_time_uses_gmt():
    at = datetime(2026, 12, 16, 8, 0, tzinfo=UTC)
    assert next_safe_time(time(11), time(15), at) == datetime(2026, 12, 16, 11, 0, tzinfo=UTC)
