"""Fixtures for the web chat: an app without form tokens (the CSRF test builds its own),
the small world of tests/people.py, and a helper that reads the answer off a page."""

import re

import pytest
from sqlmodel import Session, SQLModel

from tests.people import build_world, make_test_app

_LOG = re.compile(r'<div id="chat-log"[^>]*>(.*?)</div>\s*<div id="chat-errors">', re.DOTALL)


@pytest.fixture
def app():
    app = make_test_app()
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def session(app):
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        yield session


@pytest.fixture
def world(session):
    return build_world(session)


def _chat_log(html: str) -> str:
    found = _LOG.search(html)
    assert found, "no chat log on the page"
    return found.group(1).strip()


@pytest.fixture
def chat_log():
    """chat_log(html): the answers shown on a chat page ("" when there are none)."""
    return _chat_log
