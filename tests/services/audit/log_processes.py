"""Real processes that append to the audit log or sequence it, for the concurrency
tests: `python -m tests.services.audit.log_processes COMMAND DATABASE_URL ...`.

The signing key comes from AUDIT_SIGNING_KEY in the environment, as in production.
"""

from __future__ import annotations

import os
import sys
import time

import sqlalchemy as sa
from sqlmodel import Session

from portal.models.base import utcnow
from portal.services import audit


def append(engine: sa.Engine, writer: str, count: int) -> None:
    """`count` entries, each in its own short transaction, in order."""
    for n in range(count):
        with Session(engine) as session:
            audit.record(session, actor=writer, action="victim.view", details={"n": n})
            session.commit()


def sequence(engine: sa.Engine, seconds: float) -> None:
    """Sequence in a loop for `seconds`, as the scheduler does every second."""
    key = audit.SigningKey.parse(os.environ["AUDIT_SIGNING_KEY"])
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with Session(engine) as session:
            audit.sequence_batch(session, key, now=utcnow(), batch_size=50)
            session.commit()
        time.sleep(0.01)


def sequence_then_hang(engine: sa.Engine) -> None:
    """Sequence one batch but stop before committing, announcing it, so the test can
    kill this process in the middle of the batch."""
    key = audit.SigningKey.parse(os.environ["AUDIT_SIGNING_KEY"])
    with Session(engine) as session:
        result = audit.sequence_batch(session, key, now=utcnow(), batch_size=100_000)
        session.flush()
        print(f"mid-batch {result.sequenced}", flush=True)
        time.sleep(600)


def main(argv: list[str]) -> None:
    command, url, *rest = argv
    engine = sa.create_engine(url)
    if command == "append":
        append(engine, rest[0], int(rest[1]))
    elif command == "sequence":
        sequence(engine, float(rest[0]))
    elif command == "sequence-then-hang":
        sequence_then_hang(engine)
    engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1:])
