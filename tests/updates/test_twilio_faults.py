"""Provider faults through the real Twilio client against a local endpoint."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from portal.models import Notification, Victim
from portal.providers.sms.twilio import TwilioSmsProvider
from portal.services.case_events import record_event
from portal.services.messaging import dispatch_due
from tests.support.fake_twilio import FakeTwilio

NOON = datetime(2026, 6, 16, 11, 0, tzinfo=UTC)


@pytest.fixture
def twilio():
    fake = FakeTwilio()
    yield fake
    fake.close()


@pytest.fixture
def provider(twilio):
    return TwilioSmsProvider(
        account_sid="AC" + "0" * 32,
        auth_token="token",  # noqa: S106
        from_number="+447700900000",
        api_base_url=twilio.url,
        timeout=0.5,
    )


def _queue(session, make_case, **victim):
    case = make_case(victims=[{"email": None, **victim}])
    record_event(session, case, "suspect_arrested", {}, occurred_at=NOON, actor="x", now=NOON)
    session.commit()


def _status(session):
    session.expire_all()
    return [n.status for n in session.exec(select(Notification).order_by(Notification.id))]


@pytest.mark.parametrize("faults", [[(500, 20500), (429, 20429)], ["timeout"]])
def test_server_errors_rate_limits_and_timeouts_are_retried_until_sent(
    session, make_case, provider, twilio, email, faults
):
    _queue(session, make_case)
    twilio.script = list(faults)
    now = NOON
    for _ in range(len(faults)):
        assert dispatch_due(session, sms=provider, email=email, now=now).retrying == 1
        now += timedelta(hours=1)
    assert dispatch_due(session, sms=provider, email=email, now=now).sent == 1
    assert len(twilio.accepted) == 1 and _status(session) == ["sent"]


@pytest.mark.parametrize("code", [21211, 21610, 21614])
def test_permanent_codes_stop_at_once_and_mark_the_number(
    session, make_case, provider, twilio, email, code
):
    _queue(session, make_case)
    twilio.script = [(400, code)]
    assert dispatch_due(session, sms=provider, email=email, now=NOON).failed == 1
    assert (
        dispatch_due(session, sms=provider, email=email, now=NOON + timedelta(days=1)).claimed == 0
    )
    assert twilio.requests == 1
    victim = session.exec(select(Victim)).one()
    session.refresh(victim)
    assert victim.phone_unreachable_at is not None
    assert (victim.sms_opted_out_at is not None) == (code == 21610)


def test_a_timeout_that_hid_a_success_is_recorded_not_sent_again(
    session, make_case, provider, twilio, email
):
    _queue(session, make_case)
    twilio.clock = lambda: NOON
    twilio.hold = (1, "after")  # Twilio accepts, then answers after the client gave up
    assert dispatch_due(session, sms=provider, email=email, now=NOON).retrying == 1
    twilio.release.set()
    later = dispatch_due(session, sms=provider, email=email, now=NOON + timedelta(hours=1))
    assert later.reconciled == 1 and later.sent == 0
    assert len(twilio.accepted) == 1 and _status(session) == ["sent"]
    assert twilio.requests == 1  # the lookup was a GET; no second message was created
