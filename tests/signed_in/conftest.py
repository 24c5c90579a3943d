"""Fixtures for the sign-in and access tests: an app without form tokens and a small world
of staff, victims and cases (see tests/people.py)."""

import pytest
from sqlmodel import Session, SQLModel

from tests.people import build_world, make_test_app


@pytest.fixture
def app():
    """No app context held open: each request gets its own `g`, as in production."""
    app = make_test_app()
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield app


@pytest.fixture
def world(app):
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        return build_world(session)
