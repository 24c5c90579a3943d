"""The real Twilio client against a local HTTP endpoint that answers like Twilio."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from portal.providers import PermanentProviderError, TemporaryProviderError
from portal.providers.sms.twilio import TwilioSmsProvider

ACCOUNT = "AC" + "1" * 32


class FakeTwilio:
    """Answers POST /2010-04-01/Accounts/<sid>/Messages.json from a script of replies."""

    def __init__(self) -> None:
        self.replies: list[tuple[int, dict, float]] = []
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                fake.requests.append(
                    {"path": self.path, "form": form, "auth": self.headers.get("Authorization")}
                )
                status, payload, delay = fake.replies.pop(0) if fake.replies else (201, {}, 0)
                time.sleep(delay)
                if status == 201:
                    payload = {
                        "sid": f"SM{len(fake.requests):032d}",
                        "status": "queued",
                        "to": form.get("To"),
                        "body": form.get("Body"),
                        **payload,
                    }
                body = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def error(self, status: int, code: int | None, delay: float = 0) -> None:
        self.replies.append(
            (status, {"code": code, "message": "error", "more_info": "", "status": status}, delay)
        )


@pytest.fixture
def twilio():
    fake = FakeTwilio()
    yield fake
    fake.server.shutdown()


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
    request = twilio.requests[0]
    assert request["path"] == f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
    assert request["form"] == {"To": "+447700900123", "Body": "Hello", "From": "+447700900000"}
    assert request["auth"].startswith("Basic ")


@pytest.mark.parametrize("code", [21211, 21610, 21614])
def test_permanent_twilio_codes_raise_permanent_errors(twilio, code):
    twilio.error(400, code)
    with pytest.raises(PermanentProviderError) as caught:
        _provider(twilio).send_sms(to="+447700900123", body="Hello", reference="n-1")
    assert caught.value.code == str(code)


@pytest.mark.parametrize("status", [500, 503, 429])
def test_server_errors_and_rate_limits_are_temporary(twilio, status):
    twilio.error(status, 20429 if status == 429 else None)
    with pytest.raises(TemporaryProviderError):
        _provider(twilio).send_sms(to="+447700900123", body="Hello", reference="n-1")


def test_a_temporary_error_then_success(twilio):
    twilio.error(500, None)
    provider = _provider(twilio)
    with pytest.raises(TemporaryProviderError):
        provider.send_sms(to="+447700900123", body="Hello", reference="n-1")
    assert provider.send_sms(to="+447700900123", body="Hello", reference="n-1").startswith("SM")


def test_a_timeout_is_temporary(twilio):
    twilio.replies.append((201, {}, 2.0))
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
