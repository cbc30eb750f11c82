"""Summary tables: kept by triggers in the same transaction as every write, exact at any size."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import text

from capex_gui.domain.entities import ChipOrder, Investment, Status
from capex_gui.domain.evidence import BLANK
from capex_gui.domain.money import MAX_AMOUNT
from capex_gui.domain.periods import Period
from capex_gui.storage.summaries import BLANK_SQL, SUMMARIES
from capex_gui.storage.synthetic import write_synthetic

if TYPE_CHECKING:
    from types import ModuleType

    from capex_gui.storage.database import Database
    from capex_gui.storage.repository import Repository


#: Summary tables and their triggers are SQLite's (PostgreSQL computes the groups as it reads).
sqlite_only = pytest.mark.parametrize("backend", ["sqlite"])


def _migration() -> ModuleType:
    import importlib.util
    from pathlib import Path

    import capex_gui.storage

    path = Path(capex_gui.storage.__file__).parent / "migrations/versions/0009_summary_tables.py"
    spec = importlib.util.spec_from_file_location("migration_0009", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _flat(sql: str) -> str:
    return " ".join(sql.split())


def test_migration_holds_the_sql_this_module_generates() -> None:
    generated = [_flat(sql) for summary in SUMMARIES for sql in summary.statements()]
    assert [_flat(sql) for sql in _migration().STATEMENTS] == generated


@sqlite_only
def test_every_trigger_exists_at_head(db: Database) -> None:
    # a migration that rebuilds a figure table drops its triggers: this says so at once
    with db.engine.connect() as conn:
        found = set(conn.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
    wanted = {name for summary in SUMMARIES for name in summary.triggers()}
    assert wanted <= found


def test_blank_is_the_same_in_sql_and_python() -> None:
    codes = sorted(int(c) for c in BLANK_SQL.split("char(")[1].rstrip(")").split(","))
    assert sorted(ord(c) for c in BLANK.replace(" ", "")) == codes
    assert " " in BLANK and "' '" in BLANK_SQL


def differences(db: Database) -> dict[str, int]:
    """Per summary: groups that differ from a summary made afresh from the rows."""
    out = {}
    with db.engine.begin() as conn:
        for summary in SUMMARIES:
            conn.exec_driver_sql(f"CREATE TEMP TABLE fresh AS SELECT * FROM {summary.name} WHERE 0")
            conn.exec_driver_sql(summary.fill().replace(f"INTO {summary.name}", "INTO fresh", 1))
            kept = f"SELECT * FROM {summary.name}"
            gaps = (
                conn.exec_driver_sql(
                    f"SELECT count(*) FROM ({kept} EXCEPT SELECT * FROM fresh)"
                ).scalar_one()
                + conn.exec_driver_sql(
                    f"SELECT count(*) FROM (SELECT * FROM fresh EXCEPT {kept})"
                ).scalar_one()
            )
            out[summary.name] = int(gaps)
            conn.exec_driver_sql("DROP TABLE fresh")
    return out


@sqlite_only
def test_summaries_follow_every_kind_of_write(db: Database, repo: Repository) -> None:
    write_synthetic(repo, orders=400, investments=80, seed=5)
    rng = random.Random(5)
    orders, investments = repo.chip_orders(), repo.investments()
    # edits that move rows between groups, change sums, sources and firmness
    edited = [
        o.with_changes(
            value=None if o.units is not None and i % 5 == 0 else Decimal(rng.randint(1, 10**6)),
            currency=None if o.units is not None and i % 5 == 0 else "EUR",
            status=Status.ESTIMATE if i % 2 else Status.REPORTED,
            source=" \t" if i % 3 == 0 else "Other",
            year=2021,
        )
        for i, o in enumerate(rng.sample(orders, 60))
    ]
    repo.replace_rows("chip_orders", edited)
    repo.replace_rows(
        "investments",
        [i.with_changes(amount_low=i.amount / 2, category="Power") for i in investments[:20]],
    )
    repo.delete_chip_orders([o.id for o in orders[::7] if o.id is not None])
    repo.delete_investments([i.id for i in investments[::9] if i.id is not None])
    repo.add_chip_orders(
        [ChipOrder("Meta", 2026, "Global", "AMD", units=5, period=Period.span(2026, 2028))]
    )
    assert differences(db) == {s.name: 0 for s in SUMMARIES}
    assert repo.count_rows("chip_orders") == len(repo.chip_orders())
    assert repo.count_rows("investments") == len(repo.investments())


def test_sums_past_64_bits_stay_exact(repo: Repository) -> None:
    write_synthetic(repo, orders=0, investments=0)
    big = MAX_AMOUNT - Decimal("0.01")  # 10^17 - 1 minor units each: 100 of them pass 2^63
    repo.add_chip_orders(
        [ChipOrder("Meta", 2025, "Global", "AMD", value=big, currency="USD") for _ in range(100)]
    )
    repo.add_investments(
        [
            Investment("Meta", 2025, "Power", "Global", big, "USD", Status.PLANNED)
            for _ in range(100)
        ]
    )
    ledger = repo.supplier_ledger()
    assert ledger.values[("Meta", 2025, "AMD", "USD")] == big * 100
    spend = repo.spend_ledger()
    assert sum(spend.sums.values()) == big * 100
    assert sum(spend.soft.values()) == big * 100


def test_summary_from_aggregates_equals_a_full_recompute(repo: Repository) -> None:
    from capex_gui.domain.analytics import summarize
    from capex_gui.domain.fx import FxTable

    write_synthetic(repo, orders=600, investments=120, seed=9)
    repo.delete_fx_rate("CNY", 2023)  # rows left out for a missing rate, in both tables
    repo.add_chip_orders(
        [ChipOrder("Meta", 2024, "Global", "AMD", units=5, period=Period.span(2024, 2026))]
    )
    for currency in ("USD", "EUR", "CNY"):
        fx = FxTable.from_rates(repo.fx_rates())
        full = summarize(repo.investments(), repo.chip_orders(), repo.countries(), fx, currency)
        assert repo.summary(currency) == full
        reasons = {e.reason for e in full.excluded}
        assert {"no value", "no units", "no CNY rate for 2023"} <= reasons
