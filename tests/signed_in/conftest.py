"""The sign-in and access tests: an app without form tokens, and the small world of
tests/people.py (the root `world` fixture)."""

import pytest

from tests.support.apps import NO_FORM_TOKENS


@pytest.fixture
def app_settings():
    return NO_FORM_TOKENS


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield app
