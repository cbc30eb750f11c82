"""The chart area: selectors that start from the tables' filter and are remembered, clicks that
ask for rows, and one redraw per burst of changes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from capex_gui.domain.analytics import Metric
from capex_gui.domain.entities import ChipOrder, Investment
from capex_gui.store.store import CapexStore, TableKind
from capex_gui.widgets.charts.chart_area import ChartArea
from capex_gui.widgets.charts.spend_chart import Split
from tests.charts.conftest import B, assert_same_spend, fresh_spend, view_to_widget


def make_area(qtbot: QtBot, host: QWidget, store: CapexStore, settings: QSettings) -> ChartArea:
    area = ChartArea(store, settings, host)
    layout = host.layout()
    assert layout is not None
    layout.addWidget(area)
    host.show()
    qtbot.waitExposed(host)
    qtbot.wait(5)
    return area


@pytest.fixture
def area(qtbot: QtBot, host: QWidget, store: CapexStore, settings: QSettings) -> ChartArea:
    return make_area(qtbot, host, store, settings)


def nvidia_order(i: int) -> ChipOrder:
    return ChipOrder(
        company="ByteDance",
        year=2025,
        region="China",
        supplier="Nvidia",
        value=Decimal(i + 1) * 10**6,
        currency="CNY",
        source=f"Paste {i}",
    )


def test_starts_with_all_companies_and_the_latest_year(area: ChartArea) -> None:
    assert area.objectName() == "chartArea"
    assert area.selected_company() is None
    assert area.selected_year() == 2025
    assert [area.year_combo.itemText(i) for i in range(area.year_combo.count())] == ["2025", "2024"]
    assert area.current_chart() is area.spend_chart
    # "All companies" on the supplier tab means all of them together, and the title says so
    assert area.supplier_chart.current_figures().company is None
    assert "· all companies · 2025 ·" in area.supplier_chart.title_label.text()


def test_context_and_selectors_are_remembered(
    qtbot: QtBot, area: ChartArea, host: QWidget, store: CapexStore, settings: QSettings
) -> None:
    area.set_context("ByteDance", 2024)
    area.metric_combo.setCurrentIndex(area.metric_combo.findData("units"))
    area.split_combo.setCurrentIndex(area.split_combo.findData("region"))
    area.tabs.setCurrentIndex(1)
    qtbot.wait(5)
    figs = area.supplier_chart.current_figures()
    assert (figs.company, figs.year, figs.metric) == ("ByteDance", 2024, Metric.UNITS)
    assert figs.shares() == {"Nvidia": Decimal(1)}
    assert area.spend_chart.split is Split.REGION
    assert not area.split_combo.isVisible() and area.metric_combo.isVisible()
    settings.sync()
    again = ChartArea(store, QSettings(settings.fileName(), QSettings.Format.IniFormat), host)
    assert again.selected_company() == "ByteDance"
    assert again.selected_year() == 2024
    assert again.selected_metric() is Metric.UNITS
    assert again.selected_split() is Split.REGION
    assert again.tabs.currentIndex() == 1
    area.set_context(None, None)  # the tables' filter cleared: all companies, same year
    assert area.selected_company() is None and area.selected_year() == 2024


def test_click_on_a_slice_requests_its_rows(area: ChartArea, qtbot: QtBot) -> None:
    area.tabs.setCurrentIndex(1)
    qtbot.wait(5)
    chart = area.supplier_chart
    # 12 o'clock on the outer ring is where the first (domestic) wedge starts
    point = view_to_widget(chart.plot_widget, chart.view, 0.02, 0.9)
    with qtbot.waitSignal(area.filter_requested) as signal:
        qtbot.mouseClick(chart.plot_widget.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert signal.args[0]["table"] == "chip_orders"
    assert signal.args[0]["supplier"] == chart.current_figures().slices[0].supplier
    assert (signal.args[0]["company"], signal.args[0]["year"]) == (None, 2025)  # all companies


def test_a_burst_of_500_adds_redraws_once(area: ChartArea, store: CapexStore, qtbot: QtBot) -> None:
    area.tabs.setCurrentIndex(1)
    qtbot.wait(5)
    counts = [c.redraw_count for c in area.charts()]
    for i in range(500):  # 500 separate commits, as an import of single rows would do
        store.add_rows(TableKind.CHIP_ORDERS, [nvidia_order(i)])
    qtbot.wait(20)
    after = [c.redraw_count for c in area.charts()]
    assert after[1] == counts[1] + 1  # the visible chart: once
    assert after[0] == counts[0] and after[2] == counts[2]  # hidden charts: not yet
    figs = area.supplier_chart.current_figures()
    extra = sum(Decimal(i + 1) * 10**6 for i in range(500))
    nvidia = next(s for s in figs.slices if s.supplier == "Nvidia")
    assert nvidia.orders == 501
    assert abs(nvidia.share - (16 * B + extra) / (40 * B + extra)) < Decimal("1e-25")
    area.tabs.setCurrentIndex(2)  # a hidden chart catches up once when shown
    qtbot.wait(5)
    assert area.company_chart.redraw_count == counts[2] + 1
    assert not area.company_chart.stale


def test_a_paste_of_500_rows_redraws_once(area: ChartArea, store: CapexStore, qtbot: QtBot) -> None:
    before = area.spend_chart.redraw_count
    rows = [
        Investment(
            company="Baidu",
            year=2000 + i % 20,
            category="Data centres",
            region="China",
            amount=Decimal(i + 1) * 10**7,
            currency="USD",
        )
        for i in range(500)
    ]
    with qtbot.waitSignal(area.data.changed):
        store.paste_rows(TableKind.INVESTMENTS, [], rows)
    qtbot.wait(5)
    assert area.spend_chart.redraw_count == before + 1
    assert_same_spend(area.spend_chart.current_figures().figures, fresh_spend(store))
    assert len([b for b in area.spend_chart.current_figures().bars if b.company == "Baidu"]) == 20
    assert area.year_combo.findData(2000) >= 0  # new years reach the selector


def test_currency_switch_reaches_every_chart(
    area: ChartArea, store: CapexStore, qtbot: QtBot
) -> None:
    store.set_display_currency("CNY")
    qtbot.wait(5)
    for chart in area.charts():
        chart.ensure_current()
    assert area.spend_chart.current_figures().currency == "CNY"
    assert area.supplier_chart.current_figures().currency == "CNY"
    assert area.company_chart.current_figures().currency == "CNY"
    total = area.company_chart.current_figures().spend()["ByteDance"]
    assert abs(total - (40 * B + Decimal("6.8") * Decimal("7.27") * B)) < Decimal("1e-20")
