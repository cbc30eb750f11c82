"""Order of the managed category list; indexes for filtering large tables by company and year.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from capex_gui.storage.migrations import recreate

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("categories", recreate=recreate()) as batch:
        batch.add_column(sa.Column("position", sa.Integer(), nullable=False, server_default="0"))
    op.execute("UPDATE categories SET position = id")
    op.create_index("ix_investments_company_year", "investments", ["company_id", "year"])
    op.create_index("ix_chip_orders_company_year", "chip_orders", ["company_id", "year"])
    op.create_index("ix_chip_orders_supplier", "chip_orders", ["supplier_id"])


def downgrade() -> None:
    op.drop_index("ix_chip_orders_supplier", "chip_orders")
    op.drop_index("ix_chip_orders_company_year", "chip_orders")
    op.drop_index("ix_investments_company_year", "investments")
    with op.batch_alter_table("categories", recreate=recreate()) as batch:
        batch.drop_column("position")
