"""SMS through the official Twilio client.

`api_base_url` replaces https://api.twilio.com, so tests can drive the real client
against a local HTTP endpoint that answers like Twilio.

Twilio's Messages API takes no idempotency key. When a send ends without an answer
(timeout, dropped connection) the error says the message may have been sent, and
`accepted_since` lists what Twilio accepted for the number, so the dispatcher can record
a message that did go instead of sending it twice.
"""

from __future__ import annotations

import logging
from datetime import datetime

import requests
from requests.adapters import HTTPAdapter
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from ..errors import PermanentProviderError, TemporaryProviderError
from .base import SmsProvider

#: Twilio error codes that will never succeed for this number.
#: 21211 invalid 'To', 21610 unsubscribed (STOP), 21614 not a mobile number,
#: 21612 cannot route, 21408 region not enabled, 21606 sender cannot send to it.
PERMANENT_ERROR_CODES = frozenset({21211, 21408, 21606, 21610, 21612, 21614})
#: How many of a number's latest messages a lookup reads (Twilio lists newest first).
LOOKUP_LIMIT = 50

# The Twilio client logs request details at INFO; those include phone numbers.
_quiet_logger = logging.getLogger("portal.providers.twilio.http")
_quiet_logger.setLevel(logging.WARNING)


class TwilioSmsProvider(SmsProvider):
    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        from_number: str = "",
        messaging_service_sid: str = "",
        status_callback: str | None = None,
        api_base_url: str = "",
        timeout: float = 10.0,
        connections: int = 16,
    ) -> None:
        if not (from_number or messaging_service_sid):
            raise ValueError("Twilio needs TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID")
        http_client = TwilioHttpClient(timeout=timeout, logger=_quiet_logger)
        # One persistent HTTP session, with a kept-alive connection for each send in flight.
        for scheme in ("https://", "http://"):
            http_client.session.mount(scheme, HTTPAdapter(pool_maxsize=connections))
        self._client = Client(account_sid, auth_token, http_client=http_client)
        if api_base_url:
            self._client.api.base_url = api_base_url.rstrip("/")
        self._sender = (
            {"messaging_service_sid": messaging_service_sid}
            if messaging_service_sid
            else {"from_": from_number}
        )
        self.sender = f"twilio:{messaging_service_sid or from_number}"
        self._status_callback = status_callback

    def send_sms(self, *, to: str, body: str, reference: str) -> str:
        extra = {"status_callback": self._status_callback} if self._status_callback else {}
        try:
            message = self._client.messages.create(to=to, body=body, **self._sender, **extra)
        except TwilioRestException as exc:
            raise _classify(exc) from None
        except (requests.RequestException, TwilioException) as exc:
            # Only a connection that never opened proves the request did not arrive.
            raise TemporaryProviderError(
                f"Twilio unreachable: {type(exc).__name__}",
                maybe_sent=not isinstance(exc, requests.ConnectTimeout),
            ) from None
        return message.sid

    def accepted_since(self, *, to: str, body: str, since: datetime) -> list[str]:
        try:
            messages = self._client.messages.list(to=to, limit=LOOKUP_LIMIT)
        except TwilioRestException as exc:
            raise TemporaryProviderError(f"Twilio lookup HTTP {exc.status}") from None
        except (requests.RequestException, TwilioException) as exc:
            raise TemporaryProviderError(f"Twilio unreachable: {type(exc).__name__}") from None
        found = [
            message
            for message in messages
            if message.body == body
            and (message.direction or "").startswith("outbound")
            and message.date_created is not None
            and message.date_created >= since
        ]
        return [message.sid for message in sorted(found, key=lambda m: m.date_created)]


def _classify(exc: TwilioRestException) -> Exception:
    summary = f"Twilio HTTP {exc.status} code {exc.code}"
    code = str(exc.code) if exc.code is not None else None
    if exc.code in PERMANENT_ERROR_CODES:
        return PermanentProviderError(summary, code=code)
    if exc.status == 429 or exc.status >= 500:
        return TemporaryProviderError(summary, code=code)
    # Other 4xx: our request is wrong for this message; retrying will not help.
    return PermanentProviderError(summary, code=code)
