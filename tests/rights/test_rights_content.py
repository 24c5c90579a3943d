"""The rights content: complete, numbered 1 to 12, and short enough to translate well."""

from __future__ import annotations

from flask_babel.speaklater import LazyString

from portal.services.rights import ENHANCED_DAYS, JOURNEY, RIGHTS, STANDARD_DAYS, get_right


def words(right) -> int:
    texts = [
        right.title,
        right.summary,
        *right.meaning,
        *right.ask_for,
        *(deadline.event for deadline in right.deadlines),
        right.if_not_met,
        *right.help,
    ]
    return sum(len(str(text).split()) for text in texts)


def test_there_are_twelve_rights_numbered_in_order_with_unique_slugs(app):
    assert [right.number for right in RIGHTS] == list(range(1, 13))
    assert len({right.slug for right in RIGHTS}) == 12
    assert get_right(13) is None and get_right(0) is None


def test_every_text_is_translatable(app):
    for right in RIGHTS:
        for text in (right.title, right.summary, *right.meaning, *right.ask_for, *right.help):
            assert isinstance(text, LazyString)
    for step in JOURNEY:
        assert isinstance(step.title, LazyString) and isinstance(step.text, LazyString)


def test_each_right_is_a_readable_length(app):
    with app.test_request_context():
        lengths = {right.number: words(right) for right in RIGHTS}
    for number, length in lengths.items():
        assert 120 <= length <= 200, (number, length)


def test_code_deadlines_are_one_or_five_working_days(app):
    investigation = get_right(6)
    assert investigation.deadlines
    for deadline in investigation.deadlines:
        assert deadline.days == STANDARD_DAYS == 5
        assert deadline.enhanced_days in (None, ENHANCED_DAYS)
    assert ENHANCED_DAYS == 1
