"""audit trail as a transparency log: log index, entry hash, checkpoints, inner nodes

The rows of the old hash chain become the first leaves of the Merkle tree: row `seq`
gets log index `seq - 1` and keeps its chain hash as its entry hash (and its `prev_hash`,
which its canonical text covers), so nothing is lost and `audit verify` covers them. The
sequencer signs the first checkpoint over them on its first run.

Revision ID: 0006a
Revises: 0006t
Create Date: 2026-12-06 20:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import portal.models.base

revision: str = "0006a"
down_revision: str | None = "0006t"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("auditevent", schema=None) as batch_op:
        batch_op.add_column(sa.Column("log_index", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("entry_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column("sequenced_at", portal.models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.alter_column(
            "prev_hash", existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True
        )
    op.execute("UPDATE auditevent SET log_index = seq - 1, entry_hash = hash")
    with op.batch_alter_table("auditevent", schema=None) as batch_op:
        batch_op.alter_column(
            "entry_hash", existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        )
        batch_op.drop_index(batch_op.f("ix_auditevent_seq"))
        batch_op.drop_column("seq")
        batch_op.drop_column("hash")
        batch_op.create_index(batch_op.f("ix_auditevent_log_index"), ["log_index"], unique=True)

    op.create_table(
        "auditcheckpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tree_size", sa.Integer(), nullable=False),
        sa.Column("root_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("frontier", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("auditcheckpoint", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_auditcheckpoint_tree_size"), ["tree_size"], unique=True
        )
    op.create_table(
        "auditnode",
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("level", "index"),
    )


def downgrade() -> None:
    """Back to the hash chain: only rows of the old chain can be numbered again."""
    op.drop_table("auditnode")
    with op.batch_alter_table("auditcheckpoint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auditcheckpoint_tree_size"))
    op.drop_table("auditcheckpoint")
    with op.batch_alter_table("auditevent", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
    op.execute("UPDATE auditevent SET seq = log_index + 1, hash = entry_hash")
    with op.batch_alter_table("auditevent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auditevent_log_index"))
        batch_op.drop_column("sequenced_at")
        batch_op.drop_column("entry_hash")
        batch_op.drop_column("log_index")
        batch_op.create_index(batch_op.f("ix_auditevent_seq"), ["seq"], unique=True)
