"""Danger by SMS through the signed Twilio webhook (issue 14): a victim in discreet mode
still gets 999, 55, Samaritans and the helpline, and nothing that names the portal or
the case, in their own language."""

import html

import pytest

from tests.forbidden import forbidden_in
from tests.webhooks.test_twilio_webhooks import NUMBER, _message, _victim, db, hook_app, post

__all__ = ["db", "hook_app"]  # fixtures, reused


@pytest.mark.parametrize(
    ("locale", "body"),
    [
        ("en", "i really dont want to live any more"),
        ("pl", "nie chce juz zyc, nie daje rady"),
        ("ur", "woh darwaze pe khada hai mujhe dar lag raha hai"),
        ("ar", "هو عم يضرب الباب بدو يقتلني"),
    ],
)
def test_discreet_sms_in_danger_gives_every_number_and_names_nothing(db, hook_app, locale, body):
    victim = _victim(db, discreet=True)
    victim.locale = locale
    db.commit()
    answer = html.unescape(
        _message(post(hook_app, "/webhooks/twilio/inbound", {"From": NUMBER, "Body": body}))
    )
    flat = " ".join(answer.split())
    for number in ("999", "55", "116 123", "0808 2000 247"):
        assert number in flat, (locale, number, answer)
    assert forbidden_in(answer, locale) == [], answer
