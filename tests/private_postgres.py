"""A private PostgreSQL cluster in a temporary directory, for tests that stop and start
the server. The shared server on 127.0.0.1:5432 is never touched."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import free_port

#: The newest installed server binaries (Debian keeps them out of PATH).
PG_BIN = next(reversed(sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))), None)


class PrivateCluster:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        # initdb and postgres refuse to run as root: run them as the postgres user.
        self._as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _pg(self, tool: str, *args: str) -> None:
        subprocess.run(  # noqa: S603 - the installed PostgreSQL tools, fixed arguments
            [*self._as_owner, str(PG_BIN.parent / tool), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def create(self) -> None:
        """initdb and start (several seconds on a busy machine)."""
        if self._as_owner:
            shutil.chown(self.root, user="postgres")
        self._pg("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-N")
        self.start()

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._pg("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self, *, down_seconds: float) -> None:
        """Stop (ending every connection), stay down a while, start again."""
        self.stop()
        time.sleep(down_seconds)
        self.start()

    @property
    def log(self) -> Path:
        return self.root / "server.log"


@contextmanager
def private_postgres() -> Iterator[PrivateCluster]:
    """A cluster with its address chosen but not yet created (call `create`), so that
    slow work can overlap initdb; stopped and deleted afterwards."""
    root = Path(tempfile.mkdtemp(prefix="portal-pg-"))
    cluster = PrivateCluster(root)
    try:
        yield cluster
    finally:
        if (cluster.data / "postmaster.pid").exists():
            cluster.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)
