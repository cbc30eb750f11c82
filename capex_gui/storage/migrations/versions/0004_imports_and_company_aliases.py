"""Imports recorded (file, time, table, rows) with an import id on the rows they added; company
aliases (tickers, other-language and former names).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from capex_gui.storage.migrations import recreate

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = ("investments", "chip_orders", "fx_rates")


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("table_name", sa.String(16), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_names", sa.Text(), nullable=False, server_default="{}"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
    )
    op.create_table(
        "company_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(200), nullable=False),
        sa.Column("alias_key", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False, server_default="other name"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_company_aliases_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_aliases")),
        sa.UniqueConstraint("alias_key", name=op.f("uq_company_aliases_alias_key")),
    )
    op.create_index(op.f("ix_company_aliases_company_id"), "company_aliases", ["company_id"])
    for table in TABLES:
        with op.batch_alter_table(table, recreate=recreate()) as batch:
            batch.add_column(sa.Column("import_id", sa.Integer(), nullable=True))
            batch.create_foreign_key(
                op.f(f"fk_{table}_import_id_imports"),
                "imports",
                ["import_id"],
                ["id"],
                ondelete="SET NULL",
            )
        op.create_index(op.f(f"ix_{table}_import_id"), table, ["import_id"])


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(op.f(f"ix_{table}_import_id"), table)
        with op.batch_alter_table(table, recreate=recreate()) as batch:
            batch.drop_constraint(op.f(f"fk_{table}_import_id_imports"), type_="foreignkey")
            batch.drop_column("import_id")
    op.drop_index(op.f("ix_company_aliases_company_id"), "company_aliases")
    op.drop_table("company_aliases")
    op.drop_table("imports")
