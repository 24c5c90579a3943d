"""Whoever can write the database cannot rewrite the audit log unseen: each way of
tampering is reported, with the first entry that differs, on SQLite and PostgreSQL."""

import sqlalchemy as sa

from portal.models import AuditCheckpoint, AuditEvent
from portal.services import audit
from portal.services.audit.merkle import Frontier, leaf_hash
from portal.services.audit.notes import Checkpoint

EVENTS = AuditEvent.__table__


def _rewrite_entry(log, index: int, **changes) -> None:
    """Change an entry and recompute its hash, as an insider who read the code would."""
    with log.engine.begin() as connection:
        row = connection.execute(sa.select(EVENTS).where(EVENTS.c.log_index == index)).one()
        fields = {**row._mapping, **changes}

        class Entry:
            pass

        entry = Entry()
        entry.__dict__.update(fields)
        connection.execute(
            sa.update(EVENTS)
            .where(EVENTS.c.log_index == index)
            .values(**changes, entry_hash=audit.entry_hash(entry))
        )


def _re_sign_every_checkpoint(log, key: audit.SigningKey) -> None:
    """Rebuild every checkpoint from the (rewritten) rows and sign it with `key`."""
    with log.engine.begin() as connection:
        hashes = connection.execute(
            sa.select(EVENTS.c.entry_hash).order_by(EVENTS.c.log_index)
        ).scalars()
        frontier, roots = Frontier(), {}
        for digest in hashes:
            frontier.append(leaf_hash(bytes.fromhex(digest)))
            roots[frontier.size] = frontier.root()
        table = AuditCheckpoint.__table__
        for size, created in connection.execute(sa.select(table.c.tree_size, table.c.created_at)):
            note = key.sign(Checkpoint.build(key.name, size, roots[size], created))
            connection.execute(
                sa.update(table)
                .where(table.c.tree_size == size)
                .values(note=note, root_hash=roots[size].hex())
            )


def test_an_untouched_log_verifies_with_its_witness(log):
    log.grow(5)
    report = log.verify()
    assert report.ok, report.problems
    counts = (report.checked, report.latest_size, report.checkpoints, report.witnessed)
    assert counts == (5, 5, 5, 5)


def test_a_deleted_tail_is_reported_with_the_first_missing_entry(log):
    log.grow(5)
    log.execute(sa.delete(AuditEvent).where(AuditEvent.log_index >= 3))
    report = log.verify(witnessed=False)
    assert not report.ok
    assert report.first.kind == "rolled_back" and report.first.first_index == 3
    assert "entries 3 to 4 were deleted" in report.first.message


def test_a_deleted_middle_row_is_reported(log):
    log.grow(5)
    log.execute(sa.delete(AuditEvent).where(AuditEvent.log_index == 2))
    report = log.verify()
    assert report.first.kind == "missing" and report.first.first_index == 2


def test_an_edited_row_is_reported(log):
    log.grow(5)
    log.execute(sa.update(AuditEvent).where(AuditEvent.log_index == 1).values(actor="staff:99"))
    report = log.verify()
    assert report.first.kind == "edited" and report.first.first_index == 1
    assert [p.kind for p in report.problems] == ["edited"]


def test_a_rewritten_and_rehashed_history_is_reported_by_the_signed_checkpoints(log):
    log.grow(5)
    _rewrite_entry(log, 1, actor="staff:99")
    report = log.verify(witnessed=False)  # the database's own signed checkpoints suffice
    assert report.first.kind == "rewritten" and report.first.first_index == 1


def test_a_rewritten_history_with_its_checkpoints_deleted_is_caught_by_the_witness(log):
    log.grow(5)
    _rewrite_entry(log, 1, reason="nothing to see")
    log.execute(sa.delete(AuditCheckpoint))
    assert log.verify(witnessed=False).ok  # with no anchor, a new history looks fine...
    report = log.verify()  # ...but the witness kept the checkpoints
    assert report.first.kind == "rewritten" and report.first.first_index == 1


def test_checkpoints_re_signed_with_another_key_are_reported(log):
    log.grow(5)
    _rewrite_entry(log, 2, action="nothing")
    _re_sign_every_checkpoint(log, audit.SigningKey.generate(log.key.name))
    alone = log.verify(witnessed=False)
    assert {p.kind for p in alone.problems} == {"signature"}
    assert "not signed by the log's key" in alone.problems[0].message
    report = log.verify()
    assert report.first.kind == "rewritten" and report.first.first_index == 2


def test_a_rollback_to_an_older_tree_is_caught_by_the_witness(log):
    log.grow(5)
    # The database restored from an older copy: rows and checkpoints as they were at 3.
    log.execute(sa.delete(AuditEvent).where(AuditEvent.log_index >= 3))
    log.execute(sa.delete(AuditCheckpoint).where(AuditCheckpoint.tree_size > 3))
    assert log.verify(witnessed=False).ok
    report = log.verify()
    assert report.first.kind == "rolled_back" and report.first.first_index == 3
    # And new entries written after the rollback do not hide it.
    log.grow(4)
    report = log.verify()
    assert report.first.kind == "rewritten" and report.first.first_index == 3
