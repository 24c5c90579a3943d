"""Fixtures for the web chat: the app without form tokens (the CSRF test builds its own
app), and a helper that reads the answer off a page."""

import re

import pytest

from tests.support.apps import NO_FORM_TOKENS

_LOG = re.compile(r'<div id="chat-log"[^>]*>(.*?)</div>\s*<div id="chat-errors">', re.DOTALL)


def _chat_log(html: str) -> str:
    found = _LOG.search(html)
    assert found, "no chat log on the page"
    return found.group(1).strip()


@pytest.fixture
def app_settings():
    return NO_FORM_TOKENS


@pytest.fixture
def chat_log():
    """chat_log(html): the answers shown on a chat page ("" when there are none)."""
    return _chat_log
