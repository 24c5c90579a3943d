"""The real Twilio client against a local HTTP endpoint that answers like Twilio."""

from __future__ import annotations

import pytest

from portal.providers import PermanentProviderError, TemporaryProviderError
from portal.providers.sms.twilio import TwilioSmsProvider
from tests.support.fake_twilio import FakeTwilio

ACCOUNT = "AC" + "1" * 32


@pytest.fixture
def twilio():
    fake = FakeTwilio()
    yield fake
    fake.close()


def _provider(fake: FakeTwilio, timeout: float = 5.0) -> TwilioSmsProvider:
    return TwilioSmsProvider(
        account_sid=ACCOUNT,
        auth_token="secret",
        from_number="+447700900000",
        api_base_url=fake.url,
        timeout=timeout,
    )


def test_success_returns_the_message_sid(twilio):
    sid = _provider(twilio).send_sms(to="+447700900123", body="Hello", reference="n-1")
    assert sid.startswith("SM")
    request = twilio.received[0]
    assert request["path"] == f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
    assert request["form"] == {"To": "+447700900123", "Body": "Hello", "From": "+447700900000"}
    assert request["auth"].startswith("Basic ")


@pytest.mark.parametrize("code", [21211, 21610, 21614])
def test_permanent_twilio_codes_raise_permanent_errors(twilio, code):
    twilio.script.append((400, code))
    with pytest.raises(PermanentProviderError) as caught:
        _provider(twilio).send_sms(to="+447700900123", body="Hello", reference="n-1")
    assert caught.value.code == str(code)


@pytest.mark.parametrize("status", [500, 503, 429])
def test_server_errors_and_rate_limits_are_temporary(twilio, status):
    twilio.script.append((status, 20429 if status == 429 else None))
    with pytest.raises(TemporaryProviderError):
        _provider(twilio).send_sms(to="+447700900123", body="Hello", reference="n-1")


def test_a_temporary_error_then_success(twilio):
    twilio.script.append((500, None))
    provider = _provider(twilio)
    with pytest.raises(TemporaryProviderError):
        provider.send_sms(to="+447700900123", body="Hello", reference="n-1")
    assert provider.send_sms(to="+447700900123", body="Hello", reference="n-1").startswith("SM")


def test_a_timeout_is_temporary(twilio):
    twilio.script.append("timeout")
    with pytest.raises(TemporaryProviderError):
        _provider(twilio, timeout=0.3).send_sms(to="+447700900123", body="Hi", reference="n-1")


def test_nothing_listening_is_temporary():
    provider = TwilioSmsProvider(
        account_sid=ACCOUNT,
        auth_token="t",
        from_number="+447700900000",
        api_base_url="http://127.0.0.1:9",
        timeout=1,
    )
    with pytest.raises(TemporaryProviderError):
        provider.send_sms(to="+447700900123", body="Hi", reference="n-1")
