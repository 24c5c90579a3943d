"""Migration 0006a: the rows of the old hash chain become the first leaves of the log,
nothing is lost, and verification covers them (SQLite and PostgreSQL)."""

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from portal.db import upgrade
from portal.models import AuditEvent
from portal.models.base import utcnow
from portal.services import audit


def _old_chain_rows(count: int) -> list[dict]:
    """Rows exactly as the old `audit.record` wrote them (seq, prev_hash, hash)."""
    rows, prev = [], "0" * 64
    start = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    for seq in range(1, count + 1):
        fields = {
            "seq": seq,
            "at": start + timedelta(minutes=seq, microseconds=seq),
            "actor": f"staff:{seq}",
            "on_behalf_of": None,
            "action": "victim.view",
            "subject": "victim:7",
            "reason": "old row é",
            "details": {"n": seq},
            "prev_hash": prev,
        }
        canonical = json.dumps(
            {**fields, "at": fields["at"].isoformat(timespec="microseconds")},
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            default=str,
        )
        prev = hashlib.sha256(canonical.encode()).hexdigest()
        rows.append({**fields, "hash": prev})
    return rows


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def test_old_chained_rows_become_the_first_leaves_and_stay_verified(url):
    upgrade(url, "0004a")
    engine = sa.create_engine(url)
    old = sa.Table("auditevent", sa.MetaData(), autoload_with=engine)
    rows = _old_chain_rows(6)
    with engine.begin() as connection:
        for row in rows:  # through the old schema, with its own column types
            at = row["at"].replace(tzinfo=None) if url.startswith("sqlite") else row["at"]
            connection.execute(sa.insert(old).values(**{**row, "at": at}))
    engine.dispose()

    upgrade(url)

    engine = sa.create_engine(url)
    key = audit.SigningKey.generate("test.example/audit")
    with Session(engine) as session:
        audit.record(session, actor="staff:1", action="case.view", subject="case:1")
        session.commit()
        result = audit.sequence_batch(session, key, now=utcnow())
        session.commit()
        assert (result.sequenced, result.tree_size) == (1, 7)  # 6 old leaves + 1 new
        events = audit.trail_for(session, "victim:7")
        assert sorted(e.log_index for e in events) == [0, 1, 2, 3, 4, 5]
        assert {e.entry_hash for e in events} == {row["hash"] for row in rows}
        report = audit.verify(session, key.verifier)
        assert report.ok and report.checked == 7, report.problems

        session.execute(
            sa.update(AuditEvent).where(AuditEvent.log_index == 2).values(reason="rewritten")
        )
        session.commit()
        report = audit.verify(session, key.verifier)
        assert report.first.kind == "edited" and report.first.first_index == 2
    engine.dispose()
