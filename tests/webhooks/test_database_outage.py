"""While the database is down, Twilio gets empty TwiML and a status that makes it retry
(or use its fallback URL), never an HTML error page (issue 13, item 14). The outage is
real: the app's database is a PostgreSQL URL on a port where nothing listens."""

import socket

import pytest
from twilio.request_validator import RequestValidator

from tests.support.apps import make_app

TOKEN = "outage-test-token"  # noqa: S105
BASE = "https://portal.example"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the probe is


@pytest.fixture
def down_app():
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/portal"
    app = make_app(DATABASE_URL=url, TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=BASE)
    yield app
    app.extensions["db_engine"].dispose()


@pytest.mark.parametrize(
    ("path", "form"),
    [
        (
            "/webhooks/twilio/inbound",
            {"MessageSid": "SM" + "1" * 32, "From": "+447700900001", "Body": "YES"},
        ),
        (
            "/webhooks/twilio/status",
            {"MessageSid": "SM" + "2" * 32, "MessageStatus": "delivered"},
        ),
    ],
)
def test_webhooks_answer_empty_twiml_and_ask_for_a_retry(down_app, path, form):
    signature = RequestValidator(TOKEN).compute_signature(BASE + path, form)
    response = down_app.test_client().post(
        path, data=form, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 503
    assert response.mimetype == "text/xml"
    assert response.get_data(as_text=True) == (
        '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
    )
    assert response.headers["Retry-After"].isdigit()
