"""Fixtures for the victim's withdrawal flow: an app without form tokens, the small world of
tests/people.py (the root `world` fixture), and victim A signed in."""

from __future__ import annotations

import pytest

from tests.support.apps import NO_FORM_TOKENS

from .helpers import victim_client


@pytest.fixture
def app_settings():
    """Without form tokens, so tests post forms directly (the browser tests keep them)."""
    return NO_FORM_TOKENS


@pytest.fixture
def victim_a(app, session, world):
    return victim_client(app, session, world.case_a)


@pytest.fixture
def base(world):
    """The flow's address for victim A's case."""
    return f"/my-case/cases/{world.case_a.id}/withdrawal"
