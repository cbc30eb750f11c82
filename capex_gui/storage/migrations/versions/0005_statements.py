"""Headline totals and stated shares: what a report states about aggregates, kept for checks.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Frozen copies of the rules as they stand at this revision.
CURRENCIES = (
    "AED",
    "AUD",
    "BRL",
    "CAD",
    "CHF",
    "CNY",
    "CZK",
    "DKK",
    "EUR",
    "GBP",
    "HKD",
    "IDR",
    "ILS",
    "INR",
    "JPY",
    "KRW",
    "MXN",
    "MYR",
    "NOK",
    "NZD",
    "PLN",
    "QAR",
    "RUB",
    "SAR",
    "SEK",
    "SGD",
    "THB",
    "TRY",
    "TWD",
    "USD",
    "VND",
    "ZAR",
)
CURRENCY_IN = "currency IN ({})".format(", ".join(repr(c) for c in CURRENCIES))
STATUS_IN = "status IN ('planned', 'reported', 'confirmed', 'estimate')"
BOUND_IN = "bound IN ('exact', 'about', 'at_least', 'at_most')"
YEAR_OK = "year BETWEEN 1990 AND 2100"


def _sourced() -> list[sa.Column[object]]:
    return [
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("bound", sa.String(16), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_url", sa.Text(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "headlines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        *_sourced(),
        sa.CheckConstraint(YEAR_OK, name="ck_headlines_year_range"),
        sa.CheckConstraint(CURRENCY_IN, name="ck_headlines_known_currency"),
        sa.CheckConstraint(STATUS_IN, name="ck_headlines_known_status"),
        sa.CheckConstraint(BOUND_IN, name="ck_headlines_known_bound"),
        sa.CheckConstraint("amount_minor >= 0", name="ck_headlines_amount_nonneg"),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name="fk_headlines_company_id_companies",
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_headlines"),
    )
    op.create_index("ix_headlines_company_year", "headlines", ["company_id", "year"])
    op.create_table(
        "stated_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("share_ppm", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("suppliers", sa.Text(), nullable=False),
        *_sourced(),
        sa.CheckConstraint(YEAR_OK, name="ck_stated_shares_year_range"),
        sa.CheckConstraint(STATUS_IN, name="ck_stated_shares_known_status"),
        sa.CheckConstraint(BOUND_IN, name="ck_stated_shares_known_bound"),
        sa.CheckConstraint(
            "share_ppm > 0 AND share_ppm <= 1000000", name="ck_stated_shares_share_range"
        ),
        sa.CheckConstraint(
            "origin IN ('', 'domestic', 'imported')", name="ck_stated_shares_known_origin"
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name="fk_stated_shares_company_id_companies",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["regions.id"],
            name="fk_stated_shares_region_id_regions",
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_stated_shares"),
    )
    op.create_index("ix_stated_shares_company_year", "stated_shares", ["company_id", "year"])


def downgrade() -> None:
    op.drop_index("ix_stated_shares_company_year", "stated_shares")
    op.drop_table("stated_shares")
    op.drop_index("ix_headlines_company_year", "headlines")
    op.drop_table("headlines")
