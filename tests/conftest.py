"""The fixtures every test may use: app, client, session, world, the real services
(postgres_url, redis_prefix, private servers) and the browser (live_server, browser, phone).

Support code lives in tests/support/; helpers of one directory in that directory's
modules. Tests import those, never a conftest.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from tests.people import build_world
from tests.support.apps import AppPool, serving
from tests.support.environment import (
    CHROMIUM,
    POSTGRES_ADMIN_URL,
    REDIS_URL,
    need,
    postgres_reachable,
    redis_reachable,
)
from tests.support.scratch_database import scratch_database

_APPS = AppPool()


@pytest.fixture
def app_settings() -> dict:
    """Settings the `app` fixture changes from TestConfig. A directory whose tests need
    others (no form tokens, a webhook token) overrides this fixture, not `app`."""
    return {}


@pytest.fixture
def app(app_settings):
    """A test app on an empty in-memory database, as new: one app per worker and settings
    is built once and reset for each test (tests/support/apps.py). No app context is left
    pushed: each request gets its own, as in production (a shared one would leak `g`
    between requests). A test that adds routes or needs other settings builds its own
    with make_app()."""
    return _APPS.checkout(app_settings)


@pytest.fixture
def session(app) -> Iterator[Session]:
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        yield session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def world(session):
    """The small world of tests/people.py (two areas, every staff role, two victims)."""
    return build_world(session)


# --- PostgreSQL -------------------------------------------------------------------


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    need(postgres_reachable(), "PostgreSQL is not listening on 127.0.0.1:5432")
    with scratch_database(POSTGRES_ADMIN_URL, "portal_test") as url:
        yield url


# --- Redis ------------------------------------------------------------------------


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own on the shared Redis (REDIS_URL), emptied after.
    Tests never stop or flush the shared server: fault tests start their own."""
    import redis

    need(redis_reachable(), f"Redis is not answering at {REDIS_URL}")
    prefix = f"test:{uuid.uuid4().hex[:12]}:"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


# --- Private servers that a test may stop and start ---------------------------------


@pytest.fixture
def private_postgres():
    """A PostgreSQL cluster of this test's own on a free port (never the shared one)."""
    from deploy.local_services import PrivatePostgres, postgres_bin_dir

    need(postgres_bin_dir() is not None, "PostgreSQL server binaries are not installed")
    server = PrivatePostgres().init().start()
    yield server
    server.remove()


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of this test's own on a free port (never the shared one)."""
    import shutil

    from deploy.local_services import PrivateRedis

    need(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = PrivateRedis(tmp_path / "redis").start()
    yield server
    server.stop()


# --- Live server and browser --------------------------------------------------------


@pytest.fixture(scope="session")
def live_settings(tmp_path_factory) -> dict:
    """The served app's settings: a SQLite file, as threads serve requests at once."""
    return {"DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.sqlite3'}"}


@pytest.fixture(scope="session")
def _serving(live_settings):
    with serving(_APPS.checkout(live_settings)) as server:
        yield server


@pytest.fixture
def live_server(live_settings, _serving):
    """The app served by a real HTTP server on loopback, as new for each test (one server
    per worker; its app and database are reset like the `app` fixture's)."""
    _APPS.checkout(live_settings)
    return _serving


@pytest.fixture(scope="session")
def browser():
    need(Path(CHROMIUM).exists(), f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, request):
    """A phone-sized page (360x640) that never reaches the internet."""
    context = browser.new_context(viewport={"width": 360, "height": 640}, device_scale_factor=2)
    context.route(
        lambda url: not url.startswith("http://127.0.0.1"),
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<title>Weather</title><h1>Weather</h1>"
        ),
    )
    page = context.new_page()
    yield page
    context.close()
