"""Shared fixtures: app, database, client, and the real-service switches.

PostgreSQL and browser tests run for real in CI (CI=true) and fail there if the server
or Chromium is missing; elsewhere they skip with the reason.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from portal import create_app
from portal.config import TestConfig
from tests.scratch_database import scratch_database

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def need(condition: bool, reason: str) -> None:
    """Skip outside CI when a real service is missing; fail in CI, where it must exist."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI requires this: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    """A TCP port on loopback that nothing listens on (for servers a test starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_app(**overrides):
    settings = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    settings.update(overrides)
    return create_app(settings)


@pytest.fixture
def app():
    """A test app on an in-memory database. No app context is left pushed: each request
    gets its own, as in production (a shared one would leak `g` between requests)."""
    app = make_app()
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def session(app) -> Iterator[Session]:
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        yield session


@pytest.fixture
def client(app):
    return app.test_client()


# --- PostgreSQL -------------------------------------------------------------------


def _postgres_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            pass
        engine = sa.create_engine(POSTGRES_ADMIN_URL)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not available here"
        return False


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    need(_postgres_reachable(), "PostgreSQL is not listening on 127.0.0.1:5432")
    with scratch_database(POSTGRES_ADMIN_URL, "portal_test") as url:
        yield url


# --- Redis ------------------------------------------------------------------------


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own on the shared Redis (REDIS_URL), emptied after.
    Tests never stop or flush the shared server: fault tests start their own."""
    import redis

    need(_redis_reachable(), f"Redis is not answering at {REDIS_URL}")
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


@contextmanager
def serving(app):
    """Serve `app` with a real threaded HTTP server on a free loopback port."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.app = app
    server.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def live_server(tmp_path):
    """The app served by a real HTTP server on loopback, on a SQLite file."""
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'live.sqlite3'}")
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    with serving(app) as server:
        yield server
    app.extensions["db_engine"].dispose()


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


def save_screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
