"""case: the withdrawal record an outcome 14/16 closure rests on

Revision ID: 0005o
Revises: 0004c
Create Date: 2026-11-22 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005o"
down_revision: str | None = "0004c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closing_withdrawal_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_case_closing_withdrawal_id"), ["closing_withdrawal_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_closing_withdrawal_id"))
        batch_op.drop_column("closing_withdrawal_id")
