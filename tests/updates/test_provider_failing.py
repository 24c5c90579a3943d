"""A provider failing 50 times within 60 s is slowed down, and an alert is raised.

Through the real Twilio client against the local fake answering 500: every send fails
for a while; the dispatcher counts the temporary errors per sender (shared by every
worker, in the database), slows the sender to a trickle and logs an alert on
`portal.alerts`. Sends after that go through the sender's token bucket even though no
rate is configured."""

from __future__ import annotations

import logging

import pytest
from sqlmodel import select

from portal.models import SendRate
from portal.models.base import utcnow
from portal.providers.sms.twilio import TwilioSmsProvider
from portal.services import messaging, send_rate
from tests.support.dispatch_processes import queue_sms
from tests.support.fake_providers import FakeEmail
from tests.support.fake_twilio import FakeTwilio


@pytest.fixture
def twilio():
    fake = FakeTwilio()
    yield fake
    fake.close()


def test_fifty_failures_in_a_minute_slow_the_sender_down_and_raise_an_alert(
    session, twilio, caplog
):
    provider = TwilioSmsProvider(
        account_sid="AC" + "0" * 32,
        auth_token="token",  # noqa: S106
        from_number="+447700900000",
        api_base_url=twilio.url,
        timeout=2,
    )
    queue_sms(session.get_bind(), 60)
    twilio.script = [(500, 20500)] * 60
    caplog.set_level(logging.ERROR, logger="portal.alerts")

    def dispatch(count: int) -> messaging.DispatchResult:
        return messaging.dispatch_due(
            session,
            sms=provider,
            email=FakeEmail(),
            batch_size=count,
            concurrency=16,
            sms_rate=messaging.SmsRate(sender=provider.sender),  # no rate configured
        )

    assert dispatch(48).retrying == 48  # three waves: 48 errors, not yet too many
    assert not send_rate.slowed(session, provider.sender, now=utcnow().timestamp())
    assert dispatch(12).retrying == 12  # 60 errors within the minute
    assert send_rate.slowed(session, provider.sender, now=utcnow().timestamp())
    (alert,) = [r for r in caplog.records if r.name == "portal.alerts"]
    assert alert.levelname == "ERROR" and "slowed" in alert.getMessage()

    # The provider is back; the next send waits for the slowed sender's bucket.
    queue_sms(session.get_bind(), 1)
    assert dispatch(1).sent == 1
    session.expire_all()
    bucket = session.exec(select(SendRate).where(SendRate.sender == provider.sender)).one()
    assert bucket.granted == 1
