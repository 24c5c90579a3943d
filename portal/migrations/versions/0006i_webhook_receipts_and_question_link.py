"""webhook receipts (each Twilio request processed once) and the withdrawal a message asks about

Revision ID: 0006i
Revises: 0004a
Create Date: 2026-12-06 20:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import portal.models.base

revision: str = "0006i"
down_revision: str | None = "0004a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "webhookreceipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("message_sid", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("message_status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("received_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "message_sid", "message_status"),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawal_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_notification_withdrawal_id"), ["withdrawal_id"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_notification_withdrawal_id", "withdrawalrequest", ["withdrawal_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_constraint("fk_notification_withdrawal_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_notification_withdrawal_id"))
        batch_op.drop_column("withdrawal_id")
    op.drop_table("webhookreceipt")
