"""Summary tables kept by triggers; indexes for the rows a figure leaves out.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29

Charts, ``summary`` and ``export-chart`` read per-group counts and sums instead of every row
(issue 14). Four summary tables hold them; triggers keep each current in the same transaction as
every INSERT, UPDATE and DELETE of its figure table. The SQL is literal text (as
``capex_gui.storage.summaries`` generated it when this revision was written): a migration must
not change when that module does. ``tests/storage/test_summaries.py`` checks the two agree.

On PostgreSQL there are no summary tables: the server computes the same groups by GROUP BY over
the indexed figure tables when they are read (``capex_gui.storage.aggregates``), so only the
indexes are created there.

A later migration that rebuilds ``investments`` or ``chip_orders`` (``batch_alter_table`` with
``recreate``) drops their triggers with the old table: it must create them again.
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SUMMARY_TABLES = (
    "investment_totals",
    "investment_sources",
    "chip_order_totals",
    "chip_order_sources",
)

STATEMENTS = [
    # -- investment_totals: investment sums per company, year, category, region, currency and period
    (
        "CREATE TABLE investment_totals (company_id INTEGER NOT NULL, year INTEGER NOT NULL, "
        "category_id INTEGER NOT NULL, region_id INTEGER NOT NULL, currency TEXT NOT NULL, "
        "period_start INTEGER NOT NULL, period_end INTEGER NOT NULL, period_basis TEXT NOT NULL, "
        "period_kind TEXT NOT NULL, period_year_end INTEGER NOT NULL, n INTEGER NOT NULL DEFAULT 0, "
        "amount_hi INTEGER NOT NULL DEFAULT 0, amount_lo INTEGER NOT NULL DEFAULT 0, soft_hi INTEGER "
        "NOT NULL DEFAULT 0, soft_lo INTEGER NOT NULL DEFAULT 0, below_hi INTEGER NOT NULL DEFAULT 0, "
        "below_lo INTEGER NOT NULL DEFAULT 0, above_hi INTEGER NOT NULL DEFAULT 0, above_lo INTEGER "
        "NOT NULL DEFAULT 0, CONSTRAINT pk_investment_totals PRIMARY KEY (company_id, year, "
        "category_id, region_id, currency, period_start, period_end, period_basis, period_kind, "
        "period_year_end)) WITHOUT ROWID"
    ),
    (
        "INSERT INTO investment_totals (company_id, year, category_id, region_id, currency, "
        "period_start, period_end, period_basis, period_kind, period_year_end, n, amount_hi, "
        "amount_lo, soft_hi, soft_lo, below_hi, below_lo, above_hi, above_lo) SELECT "
        "investments.company_id, investments.year, investments.category_id, investments.region_id, "
        "investments.currency, investments.period_start, investments.period_end, "
        "investments.period_basis, investments.period_kind, investments.period_year_end, count(*), "
        "sum((investments.amount_minor) / 1000000000), sum((investments.amount_minor) % 1000000000), "
        "sum((CASE WHEN (investments.status IN ('estimate', 'planned')) THEN investments.amount_minor "
        "ELSE 0 END) / 1000000000), sum((CASE WHEN (investments.status IN ('estimate', 'planned')) "
        "THEN investments.amount_minor ELSE 0 END) % 1000000000), "
        "sum((coalesce(investments.amount_minor - investments.low_minor, 0)) / 1000000000), "
        "sum((coalesce(investments.amount_minor - investments.low_minor, 0)) % 1000000000), "
        "sum((coalesce(investments.high_minor - investments.amount_minor, 0)) / 1000000000), "
        "sum((coalesce(investments.high_minor - investments.amount_minor, 0)) % 1000000000) FROM "
        "investments GROUP BY investments.company_id, investments.year, investments.category_id, "
        "investments.region_id, investments.currency, investments.period_start, "
        "investments.period_end, investments.period_basis, investments.period_kind, "
        "investments.period_year_end"
    ),
    (
        "CREATE TRIGGER investment_totals_insert AFTER INSERT ON investments BEGIN INSERT INTO "
        "investment_totals (company_id, year, category_id, region_id, currency, period_start, "
        "period_end, period_basis, period_kind, period_year_end, n, amount_hi, amount_lo, soft_hi, "
        "soft_lo, below_hi, below_lo, above_hi, above_lo) VALUES (new.company_id, new.year, "
        "new.category_id, new.region_id, new.currency, new.period_start, new.period_end, "
        "new.period_basis, new.period_kind, new.period_year_end, 1, ((new.amount_minor) / "
        "1000000000), ((new.amount_minor) % 1000000000), ((CASE WHEN (new.status IN ('estimate', "
        "'planned')) THEN new.amount_minor ELSE 0 END) / 1000000000), ((CASE WHEN (new.status IN "
        "('estimate', 'planned')) THEN new.amount_minor ELSE 0 END) % 1000000000), "
        "((coalesce(new.amount_minor - new.low_minor, 0)) / 1000000000), ((coalesce(new.amount_minor "
        "- new.low_minor, 0)) % 1000000000), ((coalesce(new.high_minor - new.amount_minor, 0)) / "
        "1000000000), ((coalesce(new.high_minor - new.amount_minor, 0)) % 1000000000)) ON CONFLICT "
        "(company_id, year, category_id, region_id, currency, period_start, period_end, period_basis, "
        "period_kind, period_year_end) DO UPDATE SET n = n + excluded.n, amount_hi = amount_hi + "
        "excluded.amount_hi, amount_lo = amount_lo + excluded.amount_lo, soft_hi = soft_hi + "
        "excluded.soft_hi, soft_lo = soft_lo + excluded.soft_lo, below_hi = below_hi + "
        "excluded.below_hi, below_lo = below_lo + excluded.below_lo, above_hi = above_hi + "
        "excluded.above_hi, above_lo = above_lo + excluded.above_lo; END"
    ),
    (
        "CREATE TRIGGER investment_totals_delete AFTER DELETE ON investments BEGIN INSERT INTO "
        "investment_totals (company_id, year, category_id, region_id, currency, period_start, "
        "period_end, period_basis, period_kind, period_year_end, n, amount_hi, amount_lo, soft_hi, "
        "soft_lo, below_hi, below_lo, above_hi, above_lo) VALUES (old.company_id, old.year, "
        "old.category_id, old.region_id, old.currency, old.period_start, old.period_end, "
        "old.period_basis, old.period_kind, old.period_year_end, -1, -((old.amount_minor) / "
        "1000000000), -((old.amount_minor) % 1000000000), -((CASE WHEN (old.status IN ('estimate', "
        "'planned')) THEN old.amount_minor ELSE 0 END) / 1000000000), -((CASE WHEN (old.status IN "
        "('estimate', 'planned')) THEN old.amount_minor ELSE 0 END) % 1000000000), "
        "-((coalesce(old.amount_minor - old.low_minor, 0)) / 1000000000), "
        "-((coalesce(old.amount_minor - old.low_minor, 0)) % 1000000000), -((coalesce(old.high_minor "
        "- old.amount_minor, 0)) / 1000000000), -((coalesce(old.high_minor - old.amount_minor, 0)) % "
        "1000000000)) ON CONFLICT (company_id, year, category_id, region_id, currency, period_start, "
        "period_end, period_basis, period_kind, period_year_end) DO UPDATE SET n = n + excluded.n, "
        "amount_hi = amount_hi + excluded.amount_hi, amount_lo = amount_lo + excluded.amount_lo, "
        "soft_hi = soft_hi + excluded.soft_hi, soft_lo = soft_lo + excluded.soft_lo, below_hi = "
        "below_hi + excluded.below_hi, below_lo = below_lo + excluded.below_lo, above_hi = above_hi + "
        "excluded.above_hi, above_lo = above_lo + excluded.above_lo; DELETE FROM investment_totals "
        "WHERE company_id = old.company_id AND year = old.year AND category_id = old.category_id AND "
        "region_id = old.region_id AND currency = old.currency AND period_start = old.period_start "
        "AND period_end = old.period_end AND period_basis = old.period_basis AND period_kind = "
        "old.period_kind AND period_year_end = old.period_year_end AND n = 0; END"
    ),
    (
        "CREATE TRIGGER investment_totals_update AFTER UPDATE OF company_id, year, category_id, "
        "region_id, currency, period_start, period_end, period_basis, period_kind, period_year_end, "
        "amount_minor, low_minor, high_minor, status ON investments BEGIN INSERT INTO "
        "investment_totals (company_id, year, category_id, region_id, currency, period_start, "
        "period_end, period_basis, period_kind, period_year_end, n, amount_hi, amount_lo, soft_hi, "
        "soft_lo, below_hi, below_lo, above_hi, above_lo) VALUES (old.company_id, old.year, "
        "old.category_id, old.region_id, old.currency, old.period_start, old.period_end, "
        "old.period_basis, old.period_kind, old.period_year_end, -1, -((old.amount_minor) / "
        "1000000000), -((old.amount_minor) % 1000000000), -((CASE WHEN (old.status IN ('estimate', "
        "'planned')) THEN old.amount_minor ELSE 0 END) / 1000000000), -((CASE WHEN (old.status IN "
        "('estimate', 'planned')) THEN old.amount_minor ELSE 0 END) % 1000000000), "
        "-((coalesce(old.amount_minor - old.low_minor, 0)) / 1000000000), "
        "-((coalesce(old.amount_minor - old.low_minor, 0)) % 1000000000), -((coalesce(old.high_minor "
        "- old.amount_minor, 0)) / 1000000000), -((coalesce(old.high_minor - old.amount_minor, 0)) % "
        "1000000000)) ON CONFLICT (company_id, year, category_id, region_id, currency, period_start, "
        "period_end, period_basis, period_kind, period_year_end) DO UPDATE SET n = n + excluded.n, "
        "amount_hi = amount_hi + excluded.amount_hi, amount_lo = amount_lo + excluded.amount_lo, "
        "soft_hi = soft_hi + excluded.soft_hi, soft_lo = soft_lo + excluded.soft_lo, below_hi = "
        "below_hi + excluded.below_hi, below_lo = below_lo + excluded.below_lo, above_hi = above_hi + "
        "excluded.above_hi, above_lo = above_lo + excluded.above_lo; INSERT INTO investment_totals "
        "(company_id, year, category_id, region_id, currency, period_start, period_end, period_basis, "
        "period_kind, period_year_end, n, amount_hi, amount_lo, soft_hi, soft_lo, below_hi, below_lo, "
        "above_hi, above_lo) VALUES (new.company_id, new.year, new.category_id, new.region_id, "
        "new.currency, new.period_start, new.period_end, new.period_basis, new.period_kind, "
        "new.period_year_end, 1, ((new.amount_minor) / 1000000000), ((new.amount_minor) % "
        "1000000000), ((CASE WHEN (new.status IN ('estimate', 'planned')) THEN new.amount_minor ELSE "
        "0 END) / 1000000000), ((CASE WHEN (new.status IN ('estimate', 'planned')) THEN "
        "new.amount_minor ELSE 0 END) % 1000000000), ((coalesce(new.amount_minor - new.low_minor, 0)) "
        "/ 1000000000), ((coalesce(new.amount_minor - new.low_minor, 0)) % 1000000000), "
        "((coalesce(new.high_minor - new.amount_minor, 0)) / 1000000000), ((coalesce(new.high_minor - "
        "new.amount_minor, 0)) % 1000000000)) ON CONFLICT (company_id, year, category_id, region_id, "
        "currency, period_start, period_end, period_basis, period_kind, period_year_end) DO UPDATE "
        "SET n = n + excluded.n, amount_hi = amount_hi + excluded.amount_hi, amount_lo = amount_lo + "
        "excluded.amount_lo, soft_hi = soft_hi + excluded.soft_hi, soft_lo = soft_lo + "
        "excluded.soft_lo, below_hi = below_hi + excluded.below_hi, below_lo = below_lo + "
        "excluded.below_lo, above_hi = above_hi + excluded.above_hi, above_lo = above_lo + "
        "excluded.above_lo; DELETE FROM investment_totals WHERE company_id = old.company_id AND year "
        "= old.year AND category_id = old.category_id AND region_id = old.region_id AND currency = "
        "old.currency AND period_start = old.period_start AND period_end = old.period_end AND "
        "period_basis = old.period_basis AND period_kind = old.period_kind AND period_year_end = "
        "old.period_year_end AND n = 0; END"
    ),
    # -- investment_sources: investments per group and source
    (
        "CREATE TABLE investment_sources (company_id INTEGER NOT NULL, year INTEGER NOT NULL, "
        "category_id INTEGER NOT NULL, region_id INTEGER NOT NULL, source TEXT NOT NULL, source_url "
        "TEXT NOT NULL, n INTEGER NOT NULL DEFAULT 0, CONSTRAINT pk_investment_sources PRIMARY KEY "
        "(company_id, year, category_id, region_id, source, source_url)) WITHOUT ROWID"
    ),
    (
        "INSERT INTO investment_sources (company_id, year, category_id, region_id, source, "
        "source_url, n) SELECT investments.company_id, investments.year, investments.category_id, "
        "investments.region_id, investments.source, CASE WHEN trim(investments.source, ' ' || char(9, "
        "10, 11, 12, 13)) = '' THEN investments.source_url ELSE '' END, count(*) FROM investments "
        "GROUP BY investments.company_id, investments.year, investments.category_id, "
        "investments.region_id, investments.source, CASE WHEN trim(investments.source, ' ' || char(9, "
        "10, 11, 12, 13)) = '' THEN investments.source_url ELSE '' END"
    ),
    (
        "CREATE TRIGGER investment_sources_insert AFTER INSERT ON investments BEGIN INSERT INTO "
        "investment_sources (company_id, year, category_id, region_id, source, source_url, n) VALUES "
        "(new.company_id, new.year, new.category_id, new.region_id, new.source, CASE WHEN "
        "trim(new.source, ' ' || char(9, 10, 11, 12, 13)) = '' THEN new.source_url ELSE '' END, 1) ON "
        "CONFLICT (company_id, year, category_id, region_id, source, source_url) DO UPDATE SET n = n "
        "+ excluded.n; END"
    ),
    (
        "CREATE TRIGGER investment_sources_delete AFTER DELETE ON investments BEGIN INSERT INTO "
        "investment_sources (company_id, year, category_id, region_id, source, source_url, n) VALUES "
        "(old.company_id, old.year, old.category_id, old.region_id, old.source, CASE WHEN "
        "trim(old.source, ' ' || char(9, 10, 11, 12, 13)) = '' THEN old.source_url ELSE '' END, -1) "
        "ON CONFLICT (company_id, year, category_id, region_id, source, source_url) DO UPDATE SET n = "
        "n + excluded.n; DELETE FROM investment_sources WHERE company_id = old.company_id AND year = "
        "old.year AND category_id = old.category_id AND region_id = old.region_id AND source = "
        "old.source AND source_url = CASE WHEN trim(old.source, ' ' || char(9, 10, 11, 12, 13)) = '' "
        "THEN old.source_url ELSE '' END AND n = 0; END"
    ),
    (
        "CREATE TRIGGER investment_sources_update AFTER UPDATE OF company_id, year, category_id, "
        "region_id, source, source_url ON investments BEGIN INSERT INTO investment_sources "
        "(company_id, year, category_id, region_id, source, source_url, n) VALUES (old.company_id, "
        "old.year, old.category_id, old.region_id, old.source, CASE WHEN trim(old.source, ' ' || "
        "char(9, 10, 11, 12, 13)) = '' THEN old.source_url ELSE '' END, -1) ON CONFLICT (company_id, "
        "year, category_id, region_id, source, source_url) DO UPDATE SET n = n + excluded.n; INSERT "
        "INTO investment_sources (company_id, year, category_id, region_id, source, source_url, n) "
        "VALUES (new.company_id, new.year, new.category_id, new.region_id, new.source, CASE WHEN "
        "trim(new.source, ' ' || char(9, 10, 11, 12, 13)) = '' THEN new.source_url ELSE '' END, 1) ON "
        "CONFLICT (company_id, year, category_id, region_id, source, source_url) DO UPDATE SET n = n "
        "+ excluded.n; DELETE FROM investment_sources WHERE company_id = old.company_id AND year = "
        "old.year AND category_id = old.category_id AND region_id = old.region_id AND source = "
        "old.source AND source_url = CASE WHEN trim(old.source, ' ' || char(9, 10, 11, 12, 13)) = '' "
        "THEN old.source_url ELSE '' END AND n = 0; END"
    ),
    # -- chip_order_totals: chip-order counts and sums per company, year, supplier, region and currency
    (
        "CREATE TABLE chip_order_totals (company_id INTEGER NOT NULL, year INTEGER NOT NULL, "
        "supplier_id INTEGER NOT NULL, region_id INTEGER NOT NULL, currency TEXT NOT NULL, span "
        "INTEGER NOT NULL, n INTEGER NOT NULL DEFAULT 0, value_n INTEGER NOT NULL DEFAULT 0, units_n "
        "INTEGER NOT NULL DEFAULT 0, value_hi INTEGER NOT NULL DEFAULT 0, value_lo INTEGER NOT NULL "
        "DEFAULT 0, units_hi INTEGER NOT NULL DEFAULT 0, units_lo INTEGER NOT NULL DEFAULT 0, "
        "CONSTRAINT pk_chip_order_totals PRIMARY KEY (company_id, year, supplier_id, region_id, "
        "currency, span)) WITHOUT ROWID"
    ),
    (
        "INSERT INTO chip_order_totals (company_id, year, supplier_id, region_id, currency, span, n, "
        "value_n, units_n, value_hi, value_lo, units_hi, units_lo) SELECT chip_orders.company_id, "
        "chip_orders.year, chip_orders.supplier_id, chip_orders.region_id, "
        "coalesce(chip_orders.currency, ''), (chip_orders.period_kind = 'span'), count(*), "
        "sum((chip_orders.value_minor IS NOT NULL)), sum((chip_orders.units IS NOT NULL)), "
        "sum((coalesce(chip_orders.value_minor, 0)) / 1000000000), "
        "sum((coalesce(chip_orders.value_minor, 0)) % 1000000000), sum((coalesce(chip_orders.units, "
        "0)) / 1000000000), sum((coalesce(chip_orders.units, 0)) % 1000000000) FROM chip_orders GROUP "
        "BY chip_orders.company_id, chip_orders.year, chip_orders.supplier_id, chip_orders.region_id, "
        "coalesce(chip_orders.currency, ''), (chip_orders.period_kind = 'span')"
    ),
    (
        "CREATE TRIGGER chip_order_totals_insert AFTER INSERT ON chip_orders BEGIN INSERT INTO "
        "chip_order_totals (company_id, year, supplier_id, region_id, currency, span, n, value_n, "
        "units_n, value_hi, value_lo, units_hi, units_lo) VALUES (new.company_id, new.year, "
        "new.supplier_id, new.region_id, coalesce(new.currency, ''), (new.period_kind = 'span'), 1, "
        "((new.value_minor IS NOT NULL)), ((new.units IS NOT NULL)), ((coalesce(new.value_minor, 0)) "
        "/ 1000000000), ((coalesce(new.value_minor, 0)) % 1000000000), ((coalesce(new.units, 0)) / "
        "1000000000), ((coalesce(new.units, 0)) % 1000000000)) ON CONFLICT (company_id, year, "
        "supplier_id, region_id, currency, span) DO UPDATE SET n = n + excluded.n, value_n = value_n "
        "+ excluded.value_n, units_n = units_n + excluded.units_n, value_hi = value_hi + "
        "excluded.value_hi, value_lo = value_lo + excluded.value_lo, units_hi = units_hi + "
        "excluded.units_hi, units_lo = units_lo + excluded.units_lo; END"
    ),
    (
        "CREATE TRIGGER chip_order_totals_delete AFTER DELETE ON chip_orders BEGIN INSERT INTO "
        "chip_order_totals (company_id, year, supplier_id, region_id, currency, span, n, value_n, "
        "units_n, value_hi, value_lo, units_hi, units_lo) VALUES (old.company_id, old.year, "
        "old.supplier_id, old.region_id, coalesce(old.currency, ''), (old.period_kind = 'span'), -1, "
        "-((old.value_minor IS NOT NULL)), -((old.units IS NOT NULL)), -((coalesce(old.value_minor, "
        "0)) / 1000000000), -((coalesce(old.value_minor, 0)) % 1000000000), -((coalesce(old.units, "
        "0)) / 1000000000), -((coalesce(old.units, 0)) % 1000000000)) ON CONFLICT (company_id, year, "
        "supplier_id, region_id, currency, span) DO UPDATE SET n = n + excluded.n, value_n = value_n "
        "+ excluded.value_n, units_n = units_n + excluded.units_n, value_hi = value_hi + "
        "excluded.value_hi, value_lo = value_lo + excluded.value_lo, units_hi = units_hi + "
        "excluded.units_hi, units_lo = units_lo + excluded.units_lo; DELETE FROM chip_order_totals "
        "WHERE company_id = old.company_id AND year = old.year AND supplier_id = old.supplier_id AND "
        "region_id = old.region_id AND currency = coalesce(old.currency, '') AND span = "
        "(old.period_kind = 'span') AND n = 0; END"
    ),
    (
        "CREATE TRIGGER chip_order_totals_update AFTER UPDATE OF company_id, year, supplier_id, "
        "region_id, currency, period_kind, value_minor, units ON chip_orders BEGIN INSERT INTO "
        "chip_order_totals (company_id, year, supplier_id, region_id, currency, span, n, value_n, "
        "units_n, value_hi, value_lo, units_hi, units_lo) VALUES (old.company_id, old.year, "
        "old.supplier_id, old.region_id, coalesce(old.currency, ''), (old.period_kind = 'span'), -1, "
        "-((old.value_minor IS NOT NULL)), -((old.units IS NOT NULL)), -((coalesce(old.value_minor, "
        "0)) / 1000000000), -((coalesce(old.value_minor, 0)) % 1000000000), -((coalesce(old.units, "
        "0)) / 1000000000), -((coalesce(old.units, 0)) % 1000000000)) ON CONFLICT (company_id, year, "
        "supplier_id, region_id, currency, span) DO UPDATE SET n = n + excluded.n, value_n = value_n "
        "+ excluded.value_n, units_n = units_n + excluded.units_n, value_hi = value_hi + "
        "excluded.value_hi, value_lo = value_lo + excluded.value_lo, units_hi = units_hi + "
        "excluded.units_hi, units_lo = units_lo + excluded.units_lo; INSERT INTO chip_order_totals "
        "(company_id, year, supplier_id, region_id, currency, span, n, value_n, units_n, value_hi, "
        "value_lo, units_hi, units_lo) VALUES (new.company_id, new.year, new.supplier_id, "
        "new.region_id, coalesce(new.currency, ''), (new.period_kind = 'span'), 1, ((new.value_minor "
        "IS NOT NULL)), ((new.units IS NOT NULL)), ((coalesce(new.value_minor, 0)) / 1000000000), "
        "((coalesce(new.value_minor, 0)) % 1000000000), ((coalesce(new.units, 0)) / 1000000000), "
        "((coalesce(new.units, 0)) % 1000000000)) ON CONFLICT (company_id, year, supplier_id, "
        "region_id, currency, span) DO UPDATE SET n = n + excluded.n, value_n = value_n + "
        "excluded.value_n, units_n = units_n + excluded.units_n, value_hi = value_hi + "
        "excluded.value_hi, value_lo = value_lo + excluded.value_lo, units_hi = units_hi + "
        "excluded.units_hi, units_lo = units_lo + excluded.units_lo; DELETE FROM chip_order_totals "
        "WHERE company_id = old.company_id AND year = old.year AND supplier_id = old.supplier_id AND "
        "region_id = old.region_id AND currency = coalesce(old.currency, '') AND span = "
        "(old.period_kind = 'span') AND n = 0; END"
    ),
    # -- chip_order_sources: chip orders per company, year, supplier, firmness and source
    (
        "CREATE TABLE chip_order_sources (company_id INTEGER NOT NULL, year INTEGER NOT NULL, "
        "supplier_id INTEGER NOT NULL, soft INTEGER NOT NULL, source TEXT NOT NULL, source_url TEXT "
        "NOT NULL, n INTEGER NOT NULL DEFAULT 0, CONSTRAINT pk_chip_order_sources PRIMARY KEY "
        "(company_id, year, supplier_id, soft, source, source_url)) WITHOUT ROWID"
    ),
    (
        "INSERT INTO chip_order_sources (company_id, year, supplier_id, soft, source, source_url, n) "
        "SELECT chip_orders.company_id, chip_orders.year, chip_orders.supplier_id, "
        "(chip_orders.status IN ('estimate', 'planned')), chip_orders.source, CASE WHEN "
        "trim(chip_orders.source, ' ' || char(9, 10, 11, 12, 13)) = '' THEN chip_orders.source_url "
        "ELSE '' END, count(*) FROM chip_orders GROUP BY chip_orders.company_id, chip_orders.year, "
        "chip_orders.supplier_id, (chip_orders.status IN ('estimate', 'planned')), "
        "chip_orders.source, CASE WHEN trim(chip_orders.source, ' ' || char(9, 10, 11, 12, 13)) = '' "
        "THEN chip_orders.source_url ELSE '' END"
    ),
    (
        "CREATE TRIGGER chip_order_sources_insert AFTER INSERT ON chip_orders BEGIN INSERT INTO "
        "chip_order_sources (company_id, year, supplier_id, soft, source, source_url, n) VALUES "
        "(new.company_id, new.year, new.supplier_id, (new.status IN ('estimate', 'planned')), "
        "new.source, CASE WHEN trim(new.source, ' ' || char(9, 10, 11, 12, 13)) = '' THEN "
        "new.source_url ELSE '' END, 1) ON CONFLICT (company_id, year, supplier_id, soft, source, "
        "source_url) DO UPDATE SET n = n + excluded.n; END"
    ),
    (
        "CREATE TRIGGER chip_order_sources_delete AFTER DELETE ON chip_orders BEGIN INSERT INTO "
        "chip_order_sources (company_id, year, supplier_id, soft, source, source_url, n) VALUES "
        "(old.company_id, old.year, old.supplier_id, (old.status IN ('estimate', 'planned')), "
        "old.source, CASE WHEN trim(old.source, ' ' || char(9, 10, 11, 12, 13)) = '' THEN "
        "old.source_url ELSE '' END, -1) ON CONFLICT (company_id, year, supplier_id, soft, source, "
        "source_url) DO UPDATE SET n = n + excluded.n; DELETE FROM chip_order_sources WHERE "
        "company_id = old.company_id AND year = old.year AND supplier_id = old.supplier_id AND soft = "
        "(old.status IN ('estimate', 'planned')) AND source = old.source AND source_url = CASE WHEN "
        "trim(old.source, ' ' || char(9, 10, 11, 12, 13)) = '' THEN old.source_url ELSE '' END AND n "
        "= 0; END"
    ),
    (
        "CREATE TRIGGER chip_order_sources_update AFTER UPDATE OF company_id, year, supplier_id, "
        "status, source, source_url ON chip_orders BEGIN INSERT INTO chip_order_sources (company_id, "
        "year, supplier_id, soft, source, source_url, n) VALUES (old.company_id, old.year, "
        "old.supplier_id, (old.status IN ('estimate', 'planned')), old.source, CASE WHEN "
        "trim(old.source, ' ' || char(9, 10, 11, 12, 13)) = '' THEN old.source_url ELSE '' END, -1) "
        "ON CONFLICT (company_id, year, supplier_id, soft, source, source_url) DO UPDATE SET n = n + "
        "excluded.n; INSERT INTO chip_order_sources (company_id, year, supplier_id, soft, source, "
        "source_url, n) VALUES (new.company_id, new.year, new.supplier_id, (new.status IN "
        "('estimate', 'planned')), new.source, CASE WHEN trim(new.source, ' ' || char(9, 10, 11, 12, "
        "13)) = '' THEN new.source_url ELSE '' END, 1) ON CONFLICT (company_id, year, supplier_id, "
        "soft, source, source_url) DO UPDATE SET n = n + excluded.n; DELETE FROM chip_order_sources "
        "WHERE company_id = old.company_id AND year = old.year AND supplier_id = old.supplier_id AND "
        "soft = (old.status IN ('estimate', 'planned')) AND source = old.source AND source_url = CASE "
        "WHEN trim(old.source, ' ' || char(9, 10, 11, 12, 13)) = '' THEN old.source_url ELSE '' END "
        "AND n = 0; END"
    ),
]

INDEXES = [
    "CREATE INDEX ix_investments_currency_year ON investments (currency, year)",
    "CREATE INDEX ix_chip_orders_currency_year_value ON chip_orders (currency, year, value_minor)",
    "CREATE INDEX ix_chip_orders_incomplete ON chip_orders (id) "
    "WHERE value_minor IS NULL OR units IS NULL OR period_kind = 'span'",
]


def upgrade() -> None:
    statements = STATEMENTS if op.get_bind().dialect.name == "sqlite" else []
    for sql in (*statements, *INDEXES):
        op.execute(sql)


def downgrade() -> None:
    for name in (
        "ix_chip_orders_incomplete",
        "ix_chip_orders_currency_year_value",
        "ix_investments_currency_year",
    ):
        op.execute(f"DROP INDEX IF EXISTS {name}")
    for table in SUMMARY_TABLES:
        for event in ("insert", "delete", "update"):
            if op.get_bind().dialect.name == "sqlite":
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{event}")
        op.execute(f"DROP TABLE IF EXISTS {table}")
