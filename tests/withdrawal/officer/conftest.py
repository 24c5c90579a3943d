"""The officer-side withdrawal tests: an app without form tokens that accepts signed
Twilio webhooks, and the small world of tests/people.py (the root `world` fixture: case A
in North for the Polish victim A, case B in South for the discreet English victim B)."""

import pytest

from tests.support.apps import NO_FORM_TOKENS
from tests.support.fake_twilio import FakeTwilio

from .records import PUBLIC_BASE, TWILIO_TOKEN


@pytest.fixture
def app_settings():
    return {**NO_FORM_TOKENS, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN, "PUBLIC_BASE_URL": PUBLIC_BASE}


@pytest.fixture
def twilio():
    """The fake Twilio API the dispatcher sends to."""
    fake = FakeTwilio()
    yield fake
    fake.close()
