"""The apps the tests run against.

`make_app` builds a fresh app on TestConfig, for a test that needs one of its own (other
settings, its own database URL, routes of its own). Building one costs a few hundred
milliseconds (400-odd URL rules to compile, a schema to create, templates to compile), so
the `app` and `live_server` fixtures do not: `AppPool` builds one app per worker and per
settings, and hands it to every test as it was built, with an empty database restored
from a copy of the freshly created schema (SQLite's backup API) and its settings,
extensions and rate-limit counters put back. Templates compile once per worker for every
app.
"""

from __future__ import annotations

import contextlib
import copy
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from jinja2 import BytecodeCache
from sqlmodel import SQLModel

from portal import create_app
from portal.config import TestConfig
from portal.extensions import limiter, public_limiter


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory for every app of this process. Jinja checks each
    entry against the template's source, so an edited template is compiled again."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self._store:
            bucket.bytecode_from_string(self._store[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _MemoryBytecodeCache()


def make_app(**overrides: Any) -> Flask:
    """A new app on TestConfig with these settings changed (no schema created)."""
    settings = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    settings.update(overrides)
    app = create_app(settings)
    app.jinja_env.bytecode_cache = _TEMPLATES
    return app


#: Without form tokens, tests post forms directly (the browser and CSRF tests keep them).
NO_FORM_TOKENS = {"WTF_CSRF_ENABLED": False}


def make_test_app(**overrides: Any) -> Flask:
    """An app on TestConfig without form tokens, so tests can post forms directly."""
    return make_app(**NO_FORM_TOKENS, **overrides)


def create_schema(app: Flask) -> Flask:
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    return app


@dataclass
class _Pristine:
    """An app as it was built, and what a test may change in it."""

    app: Flask
    schema: sqlite3.Connection  # a copy of the database right after create_all
    config: dict[str, Any]
    extensions: dict[str, Any]
    #: Flask-Limiter's limiters are module globals that each new app re-points at a new
    #: counter store: the store (and strategy) this app was built with.
    limiters: list[tuple[Any, Any, Any]] = field(default_factory=list)


class AppPool:
    """One app per settings for this process, handed out as new to each test."""

    def __init__(self) -> None:
        self._apps: dict[tuple, _Pristine] = {}

    def checkout(self, overrides: Mapping[str, Any]) -> Flask:
        key = tuple(sorted((name, repr(value)) for name, value in overrides.items()))
        pristine = self._apps.get(key)
        if pristine is None:
            pristine = self._apps[key] = self._build(overrides)
        else:
            self._restore(pristine)
        return pristine.app

    @staticmethod
    def _build(overrides: Mapping[str, Any]) -> _Pristine:
        app = create_schema(make_app(**overrides))
        assert app.config["DATABASE_URL"].startswith("sqlite://"), "only SQLite apps are pooled"
        schema = sqlite3.connect(":memory:", check_same_thread=False)
        with _raw_connection(app) as connection:
            connection.backup(schema)
        return _Pristine(
            app=app,
            schema=schema,
            config=copy.deepcopy(dict(app.config)),
            extensions=dict(app.extensions),
            limiters=[(lim, lim._storage, lim._limiter) for lim in (limiter, public_limiter)],
        )

    @staticmethod
    def _restore(pristine: _Pristine) -> None:
        app = pristine.app
        app.config.clear()
        app.config.update(copy.deepcopy(pristine.config))
        app.extensions.clear()
        app.extensions.update(pristine.extensions)
        for lim, storage, strategy in pristine.limiters:
            lim._storage, lim._limiter = storage, strategy
            storage.reset()
        with _raw_connection(app) as connection:
            connection.rollback()
            pristine.schema.backup(connection)


@contextmanager
def _raw_connection(app: Flask) -> Iterator[sqlite3.Connection]:
    """A sqlite3 connection of the app's engine (an in-memory database has only one: the
    engine uses a StaticPool; a file is the same for every connection)."""
    with contextlib.closing(app.extensions["db_engine"].raw_connection()) as fairy:
        yield fairy.driver_connection


@contextmanager
def serving(app: Flask):
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
