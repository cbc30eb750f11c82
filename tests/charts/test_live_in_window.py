"""Through the real main window: a typed cell edit, its undo and a currency switch reach the
charts' own data as the analytics' new numbers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from capex_gui.app.application import create_application
from capex_gui.app.main_window import MainWindow
from capex_gui.app.paths import create_sample_database
from capex_gui.storage.database import open_database
from capex_gui.widgets.charts.chart_area import ChartArea
from tests.app.conftest import type_into_cell
from tests.charts.conftest import B, assert_same_spend, fresh_spend


def test_typed_edit_undo_and_currency_reach_the_charts(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "sample.capex"
    create_sample_database(path).close()
    create_application()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(open_database(path), settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    area = window.chart_area
    assert isinstance(area, ChartArea)
    chart = area.spend_chart
    store = window.store
    assert store is not None

    def total_2025() -> Decimal:
        qtbot.wait(5)
        assert not chart.stale, "the chart did not redraw by itself"
        bar = chart.current_figures().bar("ByteDance", 2025)
        assert bar is not None
        assert_same_spend(chart.current_figures().figures, fresh_spend(store))
        return bar.total

    assert abs(total_2025() - Decimal("12.30") * B) < Decimal("0.01") * B
    row = window.investments_model.row_of(2)  # the $6.8B overseas figure
    assert row is not None
    redraws = chart.redraw_count
    type_into_cell(qtbot, window.investments_view, row, "amount", "7.2bn")
    assert abs(total_2025() - Decimal("12.70") * B) < Decimal("0.01") * B
    assert chart.redraw_count == redraws + 1
    window.undo_stack.undo()
    assert abs(total_2025() - Decimal("12.30") * B) < Decimal("0.01") * B
    window.undo_stack.redo()
    assert abs(total_2025() - Decimal("12.70") * B) < Decimal("0.01") * B
    window.set_display_currency("CNY")
    assert total_2025() == 40 * B + Decimal("7.2") * Decimal("7.27") * B
    window.close()
