"""Fault tests stop and start servers of their own (never the shared ones): a private
PostgreSQL cluster and a private redis-server, each on a free loopback port."""

from __future__ import annotations

import shutil

import pytest
from flask_babel import force_locale, gettext

from deploy.local_services import PrivatePostgres, PrivateRedis, postgres_bin_dir
from tests.conftest import need


@pytest.fixture
def private_postgres():
    need(postgres_bin_dir() is not None, "PostgreSQL server binaries are not installed")
    server = PrivatePostgres().init().start()
    yield server
    server.remove()


@pytest.fixture
def private_redis(tmp_path):
    need(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = PrivateRedis(tmp_path / "redis").start()
    yield server
    server.stop()


def busy_text(app, locale: str) -> str:
    """The heading of the calm 503 page, in `locale`."""
    with app.test_request_context(), force_locale(locale):
        return gettext("This service is busy")
