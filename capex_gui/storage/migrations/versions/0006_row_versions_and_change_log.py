"""Row versions on figures and FX rates; a change log other windows read to follow edits.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29

Adding a column with a constant default is a cheap ALTER TABLE on SQLite (no table rewrite), so
large files upgrade quickly; every existing row starts at version 1.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from capex_gui.storage.migrations import recreate

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

VERSIONED = ("investments", "chip_orders", "fx_rates")


def upgrade() -> None:
    for table in VERSIONED:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "change_log",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=32), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=True),
        sa.Column("op", sa.String(length=8), nullable=False),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "op IN ('insert', 'update', 'delete', 'reset')", name="ck_change_log_known_op"
        ),
        sa.PrimaryKeyConstraint("seq", name="pk_change_log"),
    )


def downgrade() -> None:
    op.drop_table("change_log")
    for table in reversed(VERSIONED):
        with op.batch_alter_table(table, recreate=recreate()) as batch:
            batch.drop_column("version")
