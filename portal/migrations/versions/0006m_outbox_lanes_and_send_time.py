"""outbox priority lanes; sign-in codes in the outbox

Revision ID: 0006m
Revises: 0006a
Create Date: 2026-12-06 20:30:00.000000

Each notification has a priority lane (sign-in codes, questions, event updates,
check-ins) and the dispatch index leads with it. A token bucket per sender is shared by
every dispatch worker. A sign-in code asked for an unknown
crime reference is queued too, without a victim, so both paths do the same work.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006m"
down_revision: str | None = "0006a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sendrate",
        sa.Column("sender", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("refreshed", sa.Float(), nullable=False),
        sa.Column("granted", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("failures_since", sa.Float(), nullable=False),
        sa.Column("slowed_until", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("sender"),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lane", sa.Integer(), nullable=False, server_default="2"))
        batch_op.alter_column("victim_id", existing_type=sa.Integer(), nullable=True)
        batch_op.drop_index("ix_notification_status_not_before")
        batch_op.create_index(
            "ix_notification_status_lane_not_before", ["status", "lane", "not_before"], unique=False
        )
    op.execute(
        "UPDATE notification SET lane = CASE template_key "
        "WHEN 'withdrawal_confirm_request' THEN 1 WHEN 'check_in' THEN 3 ELSE 2 END"
    )


def downgrade() -> None:
    op.drop_table("sendrate")
    op.execute("DELETE FROM notification WHERE victim_id IS NULL")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_status_lane_not_before")
        batch_op.create_index(
            "ix_notification_status_not_before", ["status", "not_before"], unique=False
        )
        batch_op.alter_column("victim_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("lane")
