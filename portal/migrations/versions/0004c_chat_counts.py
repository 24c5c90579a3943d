"""chat counts: answered messages per day, intent, language and channel (no text)

Revision ID: 0004c
Revises: 0005r
Create Date: 2026-11-21 13:20:24.521404
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004c"
down_revision: str | None = "0005r"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chatcount",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("intent", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "intent", "language", "channel"),
    )


def downgrade() -> None:
    op.drop_table("chatcount")
