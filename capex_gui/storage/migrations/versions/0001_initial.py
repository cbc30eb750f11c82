"""Initial schema: companies, suppliers, categories, regions, investments, chip orders, FX.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen copies of the rules as they stood at this revision (later code may change them).
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
CATEGORIES = ("AI chips", "Data centres", "Model-training capacity", "Networking", "Power", "Other")
REGIONS = ("China", "Overseas", "United States", "Global")


def _stamps() -> list[sa.Column[datetime]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def _sourced() -> list[sa.Column[object]]:
    return [
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("bound", sa.String(16), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_url", sa.Text(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
    ]


def _named(table: str) -> None:
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
        sa.UniqueConstraint("name", name=f"uq_{table}_name"),
        sa.CheckConstraint("length(country) = 2", name=f"ck_{table}_country_code"),
    )


def _listed(table: str, names: tuple[str, ...]) -> None:
    created = op.create_table(
        table,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
        sa.UniqueConstraint("name", name=f"uq_{table}_name"),
    )
    now = datetime.now(UTC)
    op.bulk_insert(created, [{"name": n, "created_at": now, "updated_at": now} for n in names])


def _fk(column: str, table: str, owner: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{table}.id"], name=f"fk_{owner}_{column}_{table}", ondelete="RESTRICT"
    )


def upgrade() -> None:
    _named("companies")
    _named("suppliers")
    _listed("categories", CATEGORIES)
    _listed("regions", REGIONS)
    op.create_table(
        "investments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("low_minor", sa.BigInteger(), nullable=True),
        sa.Column("high_minor", sa.BigInteger(), nullable=True),
        *_sourced(),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_investments"),
        _fk("company_id", "companies", "investments"),
        _fk("category_id", "categories", "investments"),
        _fk("region_id", "regions", "investments"),
        sa.CheckConstraint(YEAR_OK, name="ck_investments_year_range"),
        sa.CheckConstraint(CURRENCY_IN, name="ck_investments_known_currency"),
        sa.CheckConstraint(STATUS_IN, name="ck_investments_known_status"),
        sa.CheckConstraint(BOUND_IN, name="ck_investments_known_bound"),
        sa.CheckConstraint("amount_minor >= 0", name="ck_investments_amount_nonneg"),
        sa.CheckConstraint("low_minor IS NULL OR low_minor >= 0", name="ck_investments_low_nonneg"),
        sa.CheckConstraint(
            "high_minor IS NULL OR high_minor >= 0", name="ck_investments_high_nonneg"
        ),
        sa.CheckConstraint(
            "low_minor IS NULL OR high_minor IS NULL OR low_minor <= high_minor",
            name="ck_investments_range_order",
        ),
    )
    op.create_table(
        "chip_orders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("chip_model", sa.String(200), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=True),
        sa.Column("value_minor", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("export_note", sa.Text(), nullable=False),
        *_sourced(),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_chip_orders"),
        _fk("company_id", "companies", "chip_orders"),
        _fk("region_id", "regions", "chip_orders"),
        _fk("supplier_id", "suppliers", "chip_orders"),
        sa.CheckConstraint(YEAR_OK, name="ck_chip_orders_year_range"),
        sa.CheckConstraint(
            f"currency IS NULL OR {CURRENCY_IN}", name="ck_chip_orders_known_currency"
        ),
        sa.CheckConstraint(STATUS_IN, name="ck_chip_orders_known_status"),
        sa.CheckConstraint(BOUND_IN, name="ck_chip_orders_known_bound"),
        sa.CheckConstraint("units IS NULL OR units >= 0", name="ck_chip_orders_units_nonneg"),
        sa.CheckConstraint(
            "value_minor IS NULL OR value_minor >= 0", name="ck_chip_orders_value_nonneg"
        ),
        sa.CheckConstraint(
            "units IS NOT NULL OR value_minor IS NOT NULL", name="ck_chip_orders_units_or_value"
        ),
        sa.CheckConstraint(
            "value_minor IS NULL OR currency IS NOT NULL", name="ck_chip_orders_value_currency"
        ),
    )
    op.create_table(
        "fx_rates",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("rate_scaled", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_fx_rates"),
        sa.UniqueConstraint("currency", "year", name="uq_fx_rates_currency_year"),
        sa.CheckConstraint(YEAR_OK, name="ck_fx_rates_year_range"),
        sa.CheckConstraint(CURRENCY_IN, name="ck_fx_rates_known_currency"),
        sa.CheckConstraint("rate_scaled > 0", name="ck_fx_rates_rate_positive"),
    )


def downgrade() -> None:
    for table in ("fx_rates", "chip_orders", "investments", "regions", "categories"):
        op.drop_table(table)
    op.drop_table("suppliers")
    op.drop_table("companies")
