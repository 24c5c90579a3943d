"""The officer-side withdrawal tests: an app without form tokens that accepts signed
Twilio webhooks, and the small world of tests/people.py (case A in North for the Polish
victim A, case B in South for the discreet English victim B)."""

import pytest
from sqlmodel import Session, SQLModel

from tests.fake_twilio import FakeTwilio
from tests.people import build_world, make_test_app

TWILIO_TOKEN = "officer-side-webhook-token"
PUBLIC_BASE = "https://portal.example"


@pytest.fixture
def app():
    app = make_test_app(TWILIO_AUTH_TOKEN=TWILIO_TOKEN, PUBLIC_BASE_URL=PUBLIC_BASE)
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def world(app):
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        return build_world(session)


@pytest.fixture
def twilio():
    """The fake Twilio API the dispatcher sends to."""
    fake = FakeTwilio()
    yield fake
    fake.close()
