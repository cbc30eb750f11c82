"""Periods: every investment and chip order covers a period (first and last month, how it was
written); every company has a fiscal-year end month. Existing rows become the full calendar
year of their year; companies' fiscal years end in December.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from capex_gui.storage.migrations import recreate

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

FIGURES = ("investments", "chip_orders")


# Frozen copies of the rules as they stood at this revision (later code may change them).
def _months(column: str) -> str:
    return f"(({column} / 100) * 12 + {column} % 100)"


_LENGTH = f"({_months('period_end')} - {_months('period_start')} + 1)"
PERIOD_CHECKS = (
    ("period_start % 100 BETWEEN 1 AND 12 AND period_end % 100 BETWEEN 1 AND 12", "period_months"),
    ("period_basis IN ('calendar', 'fiscal')", "period_basis"),
    ("period_kind IN ('year', 'half', 'quarter', 'span')", "period_kind"),
    ("period_year_end BETWEEN 1 AND 12", "period_year_end"),
    ("period_basis = 'fiscal' OR period_year_end = 12", "period_calendar_year_end"),
    (
        f"({_LENGTH} = 3 AND period_kind = 'quarter') OR ({_LENGTH} = 6 AND period_kind = 'half') "
        f"OR ({_LENGTH} = 12 AND period_kind = 'year') "
        f"OR ({_LENGTH} >= 24 AND {_LENGTH} % 12 = 0 AND period_kind = 'span')",
        "period_length",
    ),
)


def upgrade() -> None:
    op.add_column(
        "companies",
        sa.Column("fiscal_year_end", sa.SmallInteger(), nullable=False, server_default="12"),
    )
    with op.batch_alter_table("companies", recreate=recreate()) as batch:
        batch.create_check_constraint(
            op.f("ck_companies_fiscal_year_end"), "fiscal_year_end BETWEEN 1 AND 12"
        )
    for table in FIGURES:
        op.add_column(table, sa.Column("period_start", sa.Integer(), nullable=True))
        op.add_column(table, sa.Column("period_end", sa.Integer(), nullable=True))
        op.add_column(
            table,
            sa.Column("period_basis", sa.String(8), nullable=False, server_default="calendar"),
        )
        op.add_column(
            table, sa.Column("period_kind", sa.String(8), nullable=False, server_default="year")
        )
        op.add_column(
            table,
            sa.Column("period_year_end", sa.SmallInteger(), nullable=False, server_default="12"),
        )
        # Every existing figure was for a whole calendar year.
        op.execute(
            f"UPDATE {table} SET period_start = year * 100 + 1, period_end = year * 100 + 12"
        )
        with op.batch_alter_table(table, recreate=recreate()) as batch:
            batch.alter_column("period_start", existing_type=sa.Integer(), nullable=False)
            batch.alter_column("period_end", existing_type=sa.Integer(), nullable=False)
            for sql, name in PERIOD_CHECKS:
                batch.create_check_constraint(op.f(f"ck_{table}_{name}"), sql)
        op.create_index(f"ix_{table}_period_start", table, ["period_start"])


def downgrade() -> None:
    for table in FIGURES:
        op.drop_index(f"ix_{table}_period_start", table)
        with op.batch_alter_table(table, recreate=recreate()) as batch:
            for _sql, name in PERIOD_CHECKS:
                batch.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
            for column in (
                "period_year_end",
                "period_kind",
                "period_basis",
                "period_end",
                "period_start",
            ):
                batch.drop_column(column)
    with op.batch_alter_table("companies", recreate=recreate()) as batch:
        batch.drop_constraint(op.f("ck_companies_fiscal_year_end"), type_="check")
        batch.drop_column("fiscal_year_end")
