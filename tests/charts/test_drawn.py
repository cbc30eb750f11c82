"""What the charts draw, read back from their plot items and measured in exported PNGs, through
the real window: after a typed edit, its undo and its redo, and with FX rates that differ by
year. The expected numbers come from the rows read afresh, not from the chart's own figures."""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from capex_gui.app.main_window import MainWindow
from capex_gui.export.chart_export import ChartKind, export_selection
from capex_gui.export.render import ExportFormat, ExportOptions
from capex_gui.widgets.charts.chart_area import ChartArea
from capex_gui.widgets.charts.palette import OKABE_ITO
from tests.app.conftest import type_into_cell
from tests.charts.conftest import fresh_shares, fresh_spend
from tests.charts.drawn import bar_rects, bar_tops, colour_runs, wedge
from tests.export.checks import check_png

AI_CHIPS, TRAINING = OKABE_ITO[4], OKABE_ITO[0]  # the colours of the two 2025 segments


def _area(window: MainWindow, qtbot: QtBot) -> ChartArea:
    area = window.chart_area
    assert isinstance(area, ChartArea)
    qtbot.wait(5)
    return area


def _settle(qtbot: QtBot, area: ChartArea) -> None:
    """Let the burst of store signals reach the charts (announced on the next loop turn)."""
    qtbot.wait(5)
    qtbot.waitUntil(
        lambda: not area.data._timer.isActive() and not area.current_chart().stale, timeout=3000
    )


def _spend_drawn(area: ChartArea) -> dict[tuple[str, int], float]:
    """(company, year) -> top of the bar drawn at that company-year's axis label."""
    chart = area.spend_chart
    chart.ensure_current()
    tops = bar_tops(chart._firm, chart._tint)
    # the hatch overlay draws exactly the tinted (estimate) rectangles again
    assert bar_rects(chart._hatch) == bar_rects(chart._tint)
    placed = {(bar.company, bar.year): bar.x for bar in chart.current_figures().bars}
    names = {round(label.x, 6): label.long_text for label in chart._bottom._bars}
    drawn = {}
    for key, x in placed.items():
        assert names[round(x, 6)] == f"{key[0]} {key[1]}", "a bar sits under another's name"
        drawn[key] = tops[x]
    return drawn


def _expected_spend(window: MainWindow) -> dict[tuple[str, int], float]:
    assert window.store is not None
    return {(t.company, t.year): float(t.amount) for t in fresh_spend(window.store).totals}


def _assert_spend_drawn(window: MainWindow, area: ChartArea) -> dict[tuple[str, int], float]:
    drawn = _spend_drawn(area)
    expected = _expected_spend(window)
    assert drawn.keys() == expected.keys()
    for key, top in drawn.items():
        assert math.isclose(top, expected[key], rel_tol=1e-12), key
    return drawn


def _measured_segments(area: ChartArea, tmp_path: Path, name: str) -> tuple[int, int]:
    """Pixel heights of ByteDance 2025's two segments in an exported 800×600 PNG."""
    selection = area.selection(ChartKind.SPEND)
    out = export_selection(
        area.data, selection, tmp_path / f"{name}.png", ExportOptions(ExportFormat.PNG, 800, 600)
    )
    image = check_png(out, 800, 600)
    training = colour_runs(image, TRAINING)
    column = max(training, key=lambda x: training[x])  # the middle of the 2025 bar
    return colour_runs(image, AI_CHIPS).get(column, 0), training[column]


def test_spend_bars_follow_a_typed_edit_its_undo_and_redo(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    area = _area(window, qtbot)
    drawn = _assert_spend_drawn(window, area)
    assert math.isclose(drawn[("ByteDance", 2025)], 12.302063273e9, rel_tol=1e-9)
    china, overseas = _measured_segments(area, tmp_path, "before")
    assert china / overseas == pytest.approx(5.502 / 6.8, rel=0.03)
    row = window.investments_model.row_of(2)  # the $6.8B overseas figure
    assert row is not None
    type_into_cell(qtbot, window.investments_view, row, "amount", "9.6bn")
    _settle(qtbot, area)
    drawn = _assert_spend_drawn(window, area)
    assert math.isclose(drawn[("ByteDance", 2025)], 15.102063273e9, rel_tol=1e-9)
    china, overseas = _measured_segments(area, tmp_path, "edited")
    assert china / overseas == pytest.approx(5.502 / 9.6, rel=0.03)
    window.undo_stack.undo()
    _settle(qtbot, area)
    assert math.isclose(_assert_spend_drawn(window, area)[("ByteDance", 2025)], 12.302063273e9)
    china, overseas = _measured_segments(area, tmp_path, "undone")
    assert china / overseas == pytest.approx(5.502 / 6.8, rel=0.03)
    window.undo_stack.redo()
    _settle(qtbot, area)
    assert math.isclose(_assert_spend_drawn(window, area)[("ByteDance", 2025)], 15.102063273e9)


def _assert_wedges_drawn(window: MainWindow, area: ChartArea) -> list[tuple[str, float]]:
    """Each wedge covers its supplier's share of the ring (by area), wedges follow each other
    round the ring, and the share is what the rows read afresh say."""
    chart = area.supplier_chart
    chart.ensure_current()
    figs = chart.current_figures()
    assert window.store is not None
    fresh = fresh_shares(window.store)
    expected: dict[str, Decimal] = {}
    for s in fresh.shares:
        if (s.year, s.metric) == (figs.year, figs.metric) and figs.company in (None, s.company):
            expected[s.supplier] = expected.get(s.supplier, Decimal(0)) + s.amount
    total = sum(expected.values(), Decimal(0))
    drawn = []
    start = 0.0
    for slice_, item in zip(figs.slices, chart._wedges, strict=True):
        measured = wedge(item)
        assert measured.fraction == pytest.approx(
            float(expected[slice_.supplier] / total), abs=2e-3
        )
        assert measured.start == pytest.approx(start, abs=2e-3)
        start += measured.fraction
        drawn.append((slice_.supplier, measured.fraction))
    assert start == pytest.approx(1.0, abs=3e-3)
    assert len(drawn) == len(expected)
    return drawn


def test_wedges_follow_a_typed_edit_its_undo_and_redo(qtbot: QtBot, window: MainWindow) -> None:
    area = _area(window, qtbot)
    area.tabs.setCurrentIndex(1)
    _settle(qtbot, area)
    before = dict(_assert_wedges_drawn(window, area))
    assert before == pytest.approx({"Huawei": 0.3, "Cambricon": 0.3, "Nvidia": 0.4}, abs=2e-3)
    window.tabs.setCurrentIndex(1)  # the chip orders
    row = window.chip_orders_model.row_of(3)  # Nvidia, CNY 16B
    assert row is not None
    type_into_cell(qtbot, window.chip_orders_view, row, "value", "36bn")
    _settle(qtbot, area)
    after = dict(_assert_wedges_drawn(window, area))
    assert after == pytest.approx({"Huawei": 0.2, "Cambricon": 0.2, "Nvidia": 0.6}, abs=2e-3)
    window.undo_stack.undo()
    _settle(qtbot, area)
    assert dict(_assert_wedges_drawn(window, area)) == pytest.approx(before, abs=2e-3)
    window.undo_stack.redo()
    _settle(qtbot, area)
    assert dict(_assert_wedges_drawn(window, area)) == pytest.approx(after, abs=2e-3)
