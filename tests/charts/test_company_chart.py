"""Company comparison: every company side by side, spend and units from the analytics."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from capex_gui.app.main_window import MainWindow
from capex_gui.domain.entities import ChipOrder, Company, Investment
from capex_gui.export.chart_export import ChartKind, export_selection
from capex_gui.export.render import ExportFormat, ExportOptions
from capex_gui.store.store import CapexStore, TableKind
from capex_gui.widgets.charts.axes import LabelMode
from capex_gui.widgets.charts.chart_area import ChartArea
from capex_gui.widgets.charts.company_chart import CompanyChartFigures, CompanyComparisonChart
from tests.charts.conftest import B, fresh_spend
from tests.export.checks import SVG

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
    assert chart.title_label.text() == ("Companies compared · 2025 · those with figures · USD")
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


def test_a_crowded_chart_shrinks_its_labels_but_never_rounds_them_again(
    chart: CompanyComparisonChart, host: QWidget, qtbot: QtBot
) -> None:
    """ "$12B" on screen, "$12.3B" in the export (issue 9, finding 7): as the slots narrow a
    label may get a smaller font, never a different number."""
    chart.set_all_companies(True)
    figs = drawn(chart, qtbot)
    assert len(figs.bars) == 5
    label = next(item for item in chart._spend.labels if item.toPlainText().startswith("$"))
    full_size = label.textItem.font().pointSizeF()
    sizes: set[float] = set()
    for width in (900, 560, 420, 340, 300, 260):
        host.resize(width, 620)
        qtbot.waitUntil(lambda w=width: host.width() == w)
        qtbot.wait(5)
        if label.isVisible():
            assert label.toPlainText() == "$12.3B", f"at {width} px"
            sizes.add(label.textItem.font().pointSizeF())
    assert min(sizes) < full_size, "the chart never got crowded: nothing was tested"


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


def test_show_all_companies_is_a_choice_that_is_remembered(
    qtbot: QtBot, open_window: Callable[[], MainWindow]
) -> None:
    window = open_window()
    area = window.chart_area
    assert isinstance(area, ChartArea)
    qtbot.mouseClick(
        area.tabs.tabBar(), Qt.MouseButton.LeftButton, pos=area.tabs.tabBar().tabRect(2).center()
    )
    box = area.all_companies_check
    assert box.isVisible() and not box.isChecked()
    chart = area.company_chart
    qtbot.waitUntil(lambda: not chart.stale)
    assert [b.company for b in chart.current_figures().bars] == ["ByteDance"]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(chart.current_figures().bars) == 5)
    assert chart._bottom.labels() == ["Alibaba", "Baidu", "ByteDance", "Meta", "Microsoft"]
    area.tabs.setCurrentIndex(0)
    assert not box.isVisible()  # only the companies chart has it
    window.close()
    again = open_window()  # the app restarted
    area = again.chart_area
    assert isinstance(area, ChartArea)
    assert area.all_companies_check.isChecked()
    assert area.selection().all_companies


def test_company_names_are_never_cut_short(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """ "ByteDa…" (issue 9, finding 7): names wrap or turn instead, on screen and in exports."""
    assert window.store is not None
    names = [
        "Amazon Web Services",
        "Kuaishou Technology",
        "xAI",
        "Oracle",
        "Alphabet",
        "CoreWeave",
        "Tencent Holdings",
        "Samsung Electronics",
    ]
    for name in names:
        window.store.add_company(Company(name, "US"))
    rows = [
        Investment(
            company=name,
            year=2025,
            category="Data centres",
            region="Global",
            amount=Decimal(k + 2) * B,
            currency="USD",
        )
        for k, name in enumerate(names)
    ]
    window.store.add_rows(TableKind.INVESTMENTS, rows)
    area = window.chart_area
    assert isinstance(area, ChartArea)
    area.tabs.setCurrentIndex(2)
    chart = area.company_chart
    for width in (1600, 1000, 760):
        window.resize(width, 760)
        qtbot.wait(20)
        qtbot.waitUntil(lambda: not chart.stale)
        axis = chart._bottom
        assert axis.labels() == sorted([*names, "ByteDance"], key=str.casefold)
        assert axis.shown_labels() == axis.labels(), (width, axis.mode())
    assert axis.mode() is not LabelMode.FLAT  # at 760 px the names no longer fit in a line
    for size in ((800, 600), (1920, 1080)):
        out = export_selection(
            area.data,
            area.selection(ChartKind.COMPANIES),
            tmp_path / f"c{size[0]}.svg",
            ExportOptions(ExportFormat.SVG, *size),
        )
        texts = [
            " ".join("".join(t.itertext()).split())
            for t in ET.parse(out).getroot().iter(f"{SVG}text")
        ]
        assert not [t for t in texts if "…" in t]
        for name in axis.labels():  # each name whole, on one or two lines
            assert name in texts or any(f"{a} {b}" == name for a, b in itertools.pairwise(texts)), (
                name
            )
