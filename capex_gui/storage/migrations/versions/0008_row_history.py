"""Who changed what: each figure and FX rate names who last changed it, and a history table keeps
every change of every row (written in the same transaction as the change).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29

``changed_by`` is the database user on a server and the operating-system user on a file; rows
written before this revision have none (the history says "before history was kept").
``row_history`` is never pruned (the change log is: it serves windows, this serves people).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TRACKED = ("investments", "chip_orders", "fx_rates")


def upgrade() -> None:
    for table in TRACKED:
        op.add_column(table, sa.Column("changed_by", sa.String(length=128), nullable=True))
    op.create_table(
        "row_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=32), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("op", sa.String(length=8), nullable=False),
        sa.Column("changed_by", sa.String(length=128), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.CheckConstraint("op IN ('insert', 'update', 'delete')", name="ck_row_history_known_op"),
        sa.PrimaryKeyConstraint("id", name="pk_row_history"),
    )
    op.create_index("ix_row_history_row", "row_history", ["table_name", "row_id"])


def downgrade() -> None:
    op.drop_index("ix_row_history_row", "row_history")
    op.drop_table("row_history")
    from capex_gui.storage.migrations import recreate

    for table in reversed(TRACKED):
        with op.batch_alter_table(table, recreate=recreate()) as batch:
            batch.drop_column("changed_by")
