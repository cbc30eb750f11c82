"""Accepted proposals become entities: names added with their countries, periods read whole."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from capex_gui.domain.extraction import extract
from capex_gui.domain.extraction.accept import SourceInfo, missing_fields, to_rows
from capex_gui.domain.extraction.lexicon import KNOWN_COMPANIES, KNOWN_SUPPLIERS
from capex_gui.errors import ValidationError

SEED = Path(__file__).parent / "data" / "seed_report.txt"
COUNTRIES = {n: c for table in (KNOWN_COMPANIES, KNOWN_SUPPLIERS) for n, (c, _a) in table.items()}
INFO = SourceInfo("Financial Times", "https://www.ft.com/", date(2025, 1, 22))


def test_the_seed_becomes_rows_for_an_empty_database() -> None:
    rows = to_rows(extract(SEED.read_text(encoding="utf-8")), INFO, companies={}, suppliers={},
                   countries=COUNTRIES)  # fmt: skip
    assert [(c.name, c.country) for c in rows.new_companies] == [("ByteDance", "CN")]
    assert [(s.name, s.country) for s in rows.new_suppliers] == [("Nvidia", "US")]
    assert rows.count == 6
    assert {i.period.label for i in rows.investments} == {"2025"}
    assert all(
        i.source == "Financial Times" and i.reported_on == date(2025, 1, 22)
        for i in rows.investments
    )
    (rate,) = rows.fx_rates
    assert (rate.currency, rate.year, rate.units_per_usd) == ("CNY", 2025, Decimal("7.27"))
    assert "40 billion" in rate.note
    (order,) = rows.chip_orders
    assert (order.period.label, order.units, order.value) == ("2024", 230_000, None)


def test_a_quarter_is_kept_as_a_quarter() -> None:
    (p,) = extract("百度2025年第三季度在数据中心投资了12亿元。")
    p = p.with_changes(region="China")
    (inv,) = to_rows([p], INFO, companies={"Baidu": "CN"}, suppliers={}, countries={}).investments
    assert (inv.period.label, inv.year, inv.amount, inv.currency) == (
        "Q3 2025",
        2025,
        Decimal(12 * 10**8),
        "CNY",
    )


def test_what_is_missing_is_named_not_guessed() -> None:
    (p,) = extract("Meta plans to spend $65bn on AI.")
    assert missing_fields(p) == ["period", "category", "region"]
    with pytest.raises(
        ValidationError, match=r"Proposal 1 \(investment\) still needs: period, category, region"
    ):
        to_rows([p], INFO, companies={}, suppliers={}, countries=COUNTRIES)
    unknown = p.with_changes(company="Zhipu", period="2025", category="AI chips", region="China")
    with pytest.raises(
        ValidationError, match="Zhipu is a new company: add it with its country first"
    ):
        to_rows([unknown], INFO, companies={}, suppliers={}, countries=COUNTRIES)
