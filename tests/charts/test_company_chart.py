"""Company comparison: every company side by side, spend and units from the analytics."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot

from capex_gui.domain.entities import ChipOrder, Investment
from capex_gui.store.store import CapexStore, TableKind
from capex_gui.widgets.charts.company_chart import CompanyChartFigures, CompanyComparisonChart
from tests.charts.conftest import B, fresh_spend

MakeChart = Callable[[type[CompanyComparisonChart]], CompanyComparisonChart]


@pytest.fixture
def chart(show_chart: MakeChart) -> CompanyComparisonChart:
    made = show_chart(CompanyComparisonChart)
    made.set_year(2025)
    return made


def drawn(chart: CompanyComparisonChart, qtbot: QtBot) -> CompanyChartFigures:
    qtbot.wait(5)
    assert not chart.stale, "the shown chart did not redraw by itself"
    return chart.current_figures()


def test_sample_2025_and_2024(chart: CompanyComparisonChart, qtbot: QtBot) -> None:
    figs = drawn(chart, qtbot)
    # by default only the companies with figures in the year: the sample's peers have none
    assert [b.company for b in figs.bars] == ["ByteDance"]
    assert chart.title_label.text() == (
        "Companies compared · 2025 · those with figures · USD"
    )
    spend = figs.spend()
    assert set(spend) == {"ByteDance"}
    assert abs(spend["ByteDance"] - Decimal("12.30") * B) < Decimal("0.01") * B
    assert figs.units() == {}  # the 2025 orders give values, not units
    assert chart._bottom.labels() == ["ByteDance"]
    texts = [label.toPlainText() for label in chart._spend.labels if label.isVisible()]
    assert texts == ["$12.3B"]
    chart.set_all_companies(True)
    figs = drawn(chart, qtbot)
    assert [b.company for b in figs.bars] == ["Alibaba", "Baidu", "ByteDance", "Meta", "Microsoft"]
    assert "· all companies ·" in chart.title_label.text()
    assert chart._bottom.labels() == ["Alibaba", "Baidu", "ByteDance", "Meta", "Microsoft"]
    texts = [label.toPlainText() for label in chart._spend.labels if label.isVisible()]
    assert texts == ["no spend figures"] * 2 + ["$12.3B"] + ["no spend figures"] * 2
    chart.set_all_companies(False)
    chart.set_year(2024)
    figs = drawn(chart, qtbot)
    assert figs.units() == {"ByteDance": 230_000}
    bar = next(b for b in figs.bars if b.company == "ByteDance")
    assert bar.spend is not None and bar.spend_soft == bar.spend  # 2024 spend is an estimate
    assert "Estimate or planned (hatched)" in [e.text for e in chart.legend.entries()]


def test_follows_adds_and_fx(
    chart: CompanyComparisonChart, store: CapexStore, qtbot: QtBot
) -> None:
    store.add_rows(
        TableKind.INVESTMENTS,
        [
            Investment(
                company="Meta",
                year=2025,
                category="Data centres",
                region="United States",
                amount=Decimal(65) * B,
                currency="USD",
            )
        ],
    )
    store.add_rows(
        TableKind.CHIP_ORDERS,
        [
            ChipOrder(
                company="Meta", year=2025, region="United States", supplier="Nvidia", units=350_000
            )
        ],
    )
    figs = drawn(chart, qtbot)
    assert figs.spend()["Meta"] == Decimal(65) * B
    assert figs.units() == {"Meta": 350_000}
    totals = {(t.company, t.year): t.amount for t in fresh_spend(store).totals}
    for company, amount in figs.spend().items():
        assert amount == totals[(company, 2025)]
    store.delete_fx_rate("CNY", 2025)
    figs = drawn(chart, qtbot)
    bytedance = next(b for b in figs.bars if b.company == "ByteDance")
    assert bytedance.spend is None and bytedance.spend_note == "no CNY rate for 2025"
    assert figs.spend() == {"Meta": Decimal(65) * B}  # Meta needs no CNY rate
    assert chart.notices() == [
        "No CNY rate for 2025: ByteDance not drawn for 2025 (1 figure). Add the rate under FX rates."
    ]


def test_click_filters_by_company_and_year(chart: CompanyComparisonChart) -> None:
    bar = next(b for b in chart.current_figures().bars if b.company == "ByteDance")
    assert chart.hit("spend", bar.x, 1e9) == bar
    assert chart.hit("spend", bar.x, 20e9) is None  # above the bar
    assert chart.filter_for("units", bar)["table"] == "chip_orders"
    assert chart.filter_for("spend", bar) == {
        "table": "investments",
        "company": "ByteDance",
        "year": 2025,
        "category": None,
        "region": None,
        "supplier": None,
    }
    assert "Total spend: USD 12,302,063,273.73" in chart.tooltip_for("spend", bar)
