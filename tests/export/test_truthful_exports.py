"""What an exported chart says about itself is what it shows (issue 9, findings 5 and 6).

Driven through the window as a person does it: pick the chart and its selectors, open
File → Export chart…, read the footnote the dialog offers, save, and read the file back.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from capex_gui.app.main_window import MainWindow
from capex_gui.export.dialog import ExportDialog
from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository
from capex_gui.widgets.charts.chart_area import ChartArea
from tests.charts.conftest import add_unsourced_company
from tests.export.checks import check_png


@pytest.fixture
def db_path(db_path: Path) -> Path:
    """The sample, and Tencent: a 2025 investment and a Huawei order, neither with a source."""
    db = open_database(db_path)
    add_unsourced_company(Repository(db.engine))
    db.close()
    return db_path


def _export_png(qtbot: QtBot, window: MainWindow, target: Path) -> str:
    """File → Export chart…, type the file name, Save; returns the footnote the dialog offered."""
    offered: list[str] = []

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ExportDialog)
        offered.append(dialog.footnote_edit.text())
        dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("png"))
        dialog.path_edit.selectAll()
        qtbot.keyClicks(dialog.path_edit, str(target))
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
        )

    QTimer.singleShot(0, fill)
    window.export_chart_action.trigger()
    assert offered, "the export dialog did not open"
    return offered[0]


@pytest.mark.parametrize(
    ("tab", "unsourced", "filters"),
    [
        (0, "1 figure", {"company": "all companies", "split": "category", "years": "all"}),
        (1, "1 figure", {"company": "all companies", "year": 2025, "metric": "value"}),
        (2, "2 figures", {"companies": "with figures in 2025", "year": 2025}),
    ],
)
def test_footnote_and_metadata_count_figures_without_a_source(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    tab: int,
    unsourced: str,
    filters: dict[str, object],
) -> None:
    area = window.chart_area
    assert isinstance(area, ChartArea)
    qtbot.mouseClick(
        area.tabs.tabBar(), Qt.MouseButton.LeftButton, pos=area.tabs.tabBar().tabRect(tab).center()
    )
    assert area.tabs.currentIndex() == tab
    target = tmp_path / f"chart{tab}.png"
    footnote = _export_png(qtbot, window, target)
    sources = f"Financial Times (reported); {unsourced} without a source"
    assert footnote.startswith(f"Source: {sources}"), footnote
    image = check_png(target, 1920, 1080)
    assert image.text("Sources") == sources
    assert json.loads(image.text("Filters")) == filters  # the spend chart has no year
    assert image.text("Shows") == area.current_chart().title_label.text()


def test_supplier_chart_of_all_companies_draws_all_companies(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    area = window.chart_area
    assert isinstance(area, ChartArea)
    area.tabs.setCurrentIndex(1)
    assert area.company_combo.currentText() == "All companies"
    chart = area.supplier_chart
    qtbot.waitUntil(lambda: not chart.stale)
    figs = chart.current_figures()
    assert figs.company is None
    assert chart.title_label.text() == "Chip suppliers by value · all companies · 2025 · USD"
    # Tencent's CNY 3B Huawei order is in the Huawei wedge, beside ByteDance's
    huawei = next(s for s in figs.slices if s.supplier == "Huawei")
    bytedance_huawei, tencent_huawei = (
        next(
            s.amount
            for s in figs.figures.shares
            if (s.company, s.year, s.supplier, s.metric.value) == (who, 2025, "Huawei", "value")
        )
        for who in ("ByteDance", "Tencent")
    )
    assert tencent_huawei > 0
    assert abs(huawei.amount - (bytedance_huawei + tencent_huawei)) < Decimal("1e-9")
    # picking a company narrows it, and the title follows
    area.company_combo.setCurrentIndex(area.company_combo.findText("ByteDance"))
    qtbot.waitUntil(lambda: chart.current_figures().company == "ByteDance")
    assert "· ByteDance · 2025 ·" in chart.title_label.text()
    huawei = next(s for s in chart.current_figures().slices if s.supplier == "Huawei")
    assert huawei.amount == bytedance_huawei
