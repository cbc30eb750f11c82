"""Every selector combination of every chart, picked in the window's chart area as a person does:
the chart draws what its selectors and its title say (issue 9, finding 6), checked against the
rows read afresh and against what the plot items draw."""

from __future__ import annotations

from decimal import Decimal, localcontext
from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from capex_gui.app.main_window import MainWindow
from capex_gui.domain.analytics import Metric, SpendLedger, spend_figures
from capex_gui.domain.entities import ChipOrder, Company
from capex_gui.domain.money import EXACT
from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository
from capex_gui.widgets.charts.chart_area import ChartArea
from tests.charts.conftest import B, add_unsourced_company, fresh_shares
from tests.charts.drawn import bar_tops, wedge
from tests.charts.test_drawn import _settle


@pytest.fixture
def db_path(db_path: Path) -> Path:
    """The sample, Tencent (CN) and a US buyer of Nvidia: Nvidia is imported for ByteDance and
    domestic for Microsoft, so "all companies" mixes both in one wedge."""
    db = open_database(db_path)
    repo = Repository(db.engine)
    add_unsourced_company(repo)
    repo.add_chip_order(
        ChipOrder(
            company="Microsoft",
            year=2025,
            region="United States",
            supplier="Nvidia",
            units=100_000,
            value=5 * B,
            currency="USD",
            source="Company filing",
        )
    )
    assert "Microsoft" in {c.name for c in repo.companies()}
    repo.add_company(Company("Amazon Web Services", "US"))  # no figures at all
    db.close()
    return db_path


def _pick(qtbot: QtBot, area: ChartArea, combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    assert index >= 0, (combo.objectName(), data)
    combo.setCurrentIndex(index)
    _settle(qtbot, area)


def _companies(area: ChartArea) -> list[str | None]:
    return [None, *area.data.company_names()]


def test_spend_chart_for_every_company_and_split(qtbot: QtBot, window: MainWindow) -> None:
    area = window.chart_area
    assert isinstance(area, ChartArea) and window.store is not None
    area.tabs.setCurrentIndex(0)
    store = window.store
    rows = spend_figures(
        SpendLedger().extend(store.repo.investments()), store.fx_table(), "USD"
    ).rows
    for company in _companies(area):
        _pick(qtbot, area, area.company_combo, company or "")
        for split in ("category", "region"):
            _pick(qtbot, area, area.split_combo, split)
            chart = area.spend_chart
            figs = chart.current_figures()
            who = company or "all companies"
            assert chart.title_label.text() == f"Spend by {split} · {who} · USD"
            expected: dict[tuple[str, int], dict[str, Decimal]] = {}
            for r in rows:
                if company in (None, r.company):
                    name = r.category if split == "category" else r.region
                    per = expected.setdefault((r.company, r.year), {})
                    with localcontext(EXACT):
                        per[name] = per.get(name, Decimal(0)) + r.amount
            drawn = {(b.company, b.year): {s.name: s.amount for s in b.segments} for b in figs.bars}
            assert drawn == expected, (company, split)
            tops = bar_tops(chart._firm, chart._tint)
            for bar in figs.bars:
                assert tops[bar.x] == pytest.approx(
                    float(sum(expected[(bar.company, bar.year)].values()))
                )
            if not expected:
                assert chart._empty.isVisible()
                assert chart._empty.toPlainText() == f"No spend figures for {company} yet"


def test_supplier_chart_for_every_company_year_and_metric(qtbot: QtBot, window: MainWindow) -> None:
    area = window.chart_area
    assert isinstance(area, ChartArea) and window.store is not None
    area.tabs.setCurrentIndex(1)
    shares = fresh_shares(window.store).shares
    seen_mixed = False
    for company in _companies(area):
        _pick(qtbot, area, area.company_combo, company or "")
        for year in (2025, 2024):
            _pick(qtbot, area, area.year_combo, year)
            for metric in (Metric.VALUE, Metric.UNITS):
                _pick(qtbot, area, area.metric_combo, metric.value)
                chart = area.supplier_chart
                figs = chart.current_figures()
                who = company or "all companies"
                unit = "USD" if metric is Metric.VALUE else "chips"
                assert chart.title_label.text() == (
                    f"Chip suppliers by {metric.value} · {who} · {year} · {unit}"
                )
                assert (figs.company, figs.year, figs.metric) == (company, year, metric)
                expected: dict[str, Decimal] = {}
                home = Decimal(0)
                for s in shares:
                    if (s.year, s.metric) == (year, metric) and company in (None, s.company):
                        with localcontext(EXACT):
                            expected[s.supplier] = expected.get(s.supplier, Decimal(0)) + s.amount
                            home += s.amount if s.domestic else 0
                total = sum(expected.values(), Decimal(0))
                assert {s.supplier: s.amount for s in figs.slices} == pytest.approx(expected)
                for slice_, item in zip(figs.slices, chart._wedges, strict=True):
                    assert wedge(item).fraction == pytest.approx(
                        float(expected[slice_.supplier] / total), abs=1e-3
                    )
                    seen_mixed |= 0 < slice_.domestic_part < 1
                if expected:
                    assert figs.domestic == pytest.approx(home / total)
                    assert f"{round(float(home / total) * 100)}% domestic" in (
                        chart._centre.toPlainText()
                    )
                else:
                    assert "No chip orders" in chart._centre.toPlainText()
    assert seen_mixed, "all companies together: Nvidia is domestic for some, imported for others"


def test_company_chart_for_every_year_with_and_without_empty_companies(
    qtbot: QtBot, window: MainWindow
) -> None:
    area = window.chart_area
    assert isinstance(area, ChartArea) and window.store is not None
    area.tabs.setCurrentIndex(2)
    repo = window.store.repo
    totals = {
        (t.company, t.year): t.amount
        for t in spend_figures(
            SpendLedger().extend(repo.investments()), window.store.fx_table(), "USD"
        ).totals
    }
    for year in (2025, 2024):
        _pick(qtbot, area, area.year_combo, year)
        with_figures = {i.company for i in repo.investments() if i.year == year}
        with_figures |= {o.company for o in repo.chip_orders() if o.year == year}
        for show_all in (False, True):
            if area.all_companies_check.isChecked() != show_all:
                area.all_companies_check.click()
                _settle(qtbot, area)
            chart = area.company_chart
            figs = chart.current_figures()
            names = [b.company for b in figs.bars]
            everyone = area.data.company_names()
            assert names == (everyone if show_all else [c for c in everyone if c in with_figures])
            assert chart._bottom.labels() == names
            who = "all companies" if show_all else "those with figures"
            assert chart.title_label.text() == f"Companies compared · {year} · {who} · USD"
            tops = bar_tops(chart._spend.firm, chart._spend.tint)
            for bar in figs.bars:
                if (bar.company, year) in totals:
                    assert tops[bar.x] == pytest.approx(float(totals[(bar.company, year)]))
                else:
                    assert bar.x not in tops
