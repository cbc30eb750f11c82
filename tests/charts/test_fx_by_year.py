"""FX rates that differ by year: a 2024 figure converts at the 2024 rate in every chart, as
drawn (bar tops read from the plot items), and a rate typed in the FX tab moves only its year."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from capex_gui.app.main_window import MainWindow
from capex_gui.domain.analytics import Metric
from capex_gui.domain.entities import FxRate
from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository
from capex_gui.widgets.fx_rates import FxRatesWidget
from tests.charts.conftest import B
from tests.charts.drawn import bar_tops
from tests.charts.test_drawn import _area, _assert_spend_drawn, _settle
from tests.charts.test_fx_rates import row_of, type_into_rate


@pytest.fixture
def db_path(db_path: Path) -> Path:
    """The sample, with a 2024 CNY rate of 8 (2025 stays 7.27) and a 2024 order with a value."""
    db = open_database(db_path)
    repo = Repository(db.engine)
    repo.set_fx_rate(FxRate("CNY", 2024, Decimal("8")))
    order = next(o for o in repo.chip_orders() if o.year == 2024)
    repo.update_chip_order(replace(order, value=24 * B, currency="CNY"))
    db.close()
    return db_path


def test_each_year_converts_at_its_own_rate_in_every_chart(
    qtbot: QtBot, window: MainWindow
) -> None:
    area = _area(window, qtbot)
    # spend: CNY 20B in 2024 at 8, CNY 40B + $6.8B in 2025 at 7.27
    drawn = _assert_spend_drawn(window, area)
    assert drawn[("ByteDance", 2024)] == pytest.approx(2.5e9, rel=1e-12)
    assert drawn[("ByteDance", 2025)] == pytest.approx(40e9 / 7.27 + 6.8e9, rel=1e-12)
    # companies: the same totals, year by year
    area.tabs.setCurrentIndex(2)
    for year, total in ((2024, 2.5e9), (2025, 40e9 / 7.27 + 6.8e9)):
        area.year_combo.setCurrentIndex(area.year_combo.findData(year))
        _settle(qtbot, area)
        chart = area.company_chart
        chart.ensure_current()
        tops = bar_tops(chart._spend.firm, chart._spend.tint)
        bar = next(b for b in chart.current_figures().bars if b.company == "ByteDance")
        assert tops[bar.x] == pytest.approx(total, rel=1e-12), year
    # suppliers by value: the 2024 order of CNY 24B is $3B at the 2024 rate
    area.tabs.setCurrentIndex(1)
    area.year_combo.setCurrentIndex(area.year_combo.findData(2024))
    _settle(qtbot, area)
    figs = area.supplier_chart.current_figures()
    assert figs.metric is Metric.VALUE and figs.year == 2024
    assert [(s.supplier, float(s.amount)) for s in figs.slices] == [("Nvidia", 3e9)]
    assert "$3B" in area.supplier_chart._centre.toPlainText()
    # a rate typed in the FX tab moves only its own year's bars
    area.tabs.setCurrentIndex(0)
    window.tabs.setCurrentIndex(2)
    fx = window.fx_widget
    assert isinstance(fx, FxRatesWidget)
    type_into_rate(qtbot, fx, row_of(fx, "CNY", 2024), "10")
    _settle(qtbot, area)
    drawn = _assert_spend_drawn(window, area)
    assert drawn[("ByteDance", 2024)] == pytest.approx(2e9, rel=1e-12)
    assert drawn[("ByteDance", 2025)] == pytest.approx(40e9 / 7.27 + 6.8e9, rel=1e-12)
