"""A small audit log on SQLite or PostgreSQL, with a witness directory, for tamper tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from portal.models.base import utcnow
from portal.services import audit


@dataclass
class Log:
    engine: sa.Engine
    key: audit.SigningKey
    witness_dir: Path

    def append(self, count: int = 1, *, subject: str = "victim:7") -> None:
        with Session(self.engine) as session:
            for _ in range(count):
                audit.record(session, actor="staff:1", action="victim.view", subject=subject)
            session.commit()

    def sequence(self, batch_size: int = 5000) -> audit.BatchResult:
        with Session(self.engine) as session:
            result = audit.sequence_batch(session, self.key, now=utcnow(), batch_size=batch_size)
            session.commit()
        if result.note:
            audit.witness.export(self.witness_dir, result.note)
        return result

    def grow(self, count: int) -> None:
        """`count` entries, each sequenced and witnessed on its own (a checkpoint each)."""
        for _ in range(count):
            self.append()
            self.sequence()

    def verify(self, *, witnessed: bool = True) -> audit.VerifyReport:
        notes = audit.witness.read_notes(self.witness_dir) if witnessed else []
        with Session(self.engine) as session:
            return audit.verify(session, self.key.verifier, [("the witness", n) for n in notes])

    def execute(self, statement, params=None) -> None:
        with self.engine.begin() as connection:
            connection.execute(statement, params or {})


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def log(request, tmp_path) -> Log:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    engine = sa.create_engine(url)
    SQLModel.metadata.create_all(engine)
    yield Log(engine, audit.SigningKey.generate("test.example/audit"), tmp_path / "witness")
    engine.dispose()
