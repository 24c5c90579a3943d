"""dispatch fencing and reconciliation, due-case index with id

Revision ID: 0004d
Revises: 0005o
Create Date: 2026-11-22 10:00:00.000000

A claim carries a fencing token, a send that may have reached the provider is marked in
doubt until its result is recorded, and a provider reference belongs to one row only.
The check-in sweep pages through due cases by (next_update_due_at, id).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import portal.models.base

revision: str = "0004d"
down_revision: str | None = "0005o"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_next_update_due_at"))
        batch_op.create_index(
            "ix_case_next_update_due_at_id", ["next_update_due_at", "id"], unique=False
        )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("claim_token", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "in_doubt_since", portal.models.base.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.drop_index(batch_op.f("ix_notification_provider_reference"))
        batch_op.create_index(
            batch_op.f("ix_notification_provider_reference"), ["provider_reference"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_provider_reference"))
        batch_op.create_index(
            batch_op.f("ix_notification_provider_reference"), ["provider_reference"], unique=False
        )
        batch_op.drop_column("in_doubt_since")
        batch_op.drop_column("claim_token")
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_index("ix_case_next_update_due_at_id")
        batch_op.create_index(
            batch_op.f("ix_case_next_update_due_at"), ["next_update_due_at"], unique=False
        )
