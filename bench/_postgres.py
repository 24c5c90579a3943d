"""Benchmarks run in a scratch database on the PostgreSQL server, dropped after."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from tests.support.scratch_database import scratch_database as _scratch_database

#: Any database on the server will do to create and drop the scratch one.
ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    with _scratch_database(ADMIN_URL, prefix) as url:
        yield url
