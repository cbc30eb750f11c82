"""Quarterly capex typed into the real window for three companies, one on a June fiscal year:
the trend chart's drawn points line up on calendar quarters, and ``summary --json`` shows the
calendar-year totals made from the quarters.

TEST DATA: the companies ("Testco A", "Testco B", "Junco (test)") and every amount are made
up for this test; none is any real company's capex.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, Qt
from pytestqt.qtbot import QtBot

from capex_gui.app.main_window import MainWindow
from capex_gui.domain.entities import Company
from capex_gui.storage.repository import Repository
from capex_gui.widgets.charts.chart_area import ChartArea
from capex_gui.widgets.charts.trend_chart import TrendChart
from tests.app.conftest import cell, type_into_cell

B = Decimal(10) ** 9
CALENDAR = [f"Q{q} {y}" for y in (2024, 2025) for q in (1, 2, 3, 4)]
#: Junco's fiscal year ends in June: FY2024 Q3 is Jan-Mar 2024 ... FY2026 Q2 is Oct-Dec 2025.
JUNCO = ["FY24 Q3", "FY24 Q4", "FY25 Q1", "FY25 Q2", "FY25 Q3", "FY25 Q4", "FY26 Q1", "FY26 Q2"]
TYPED = {
    "Testco A": list(zip(CALENDAR, (10, 11, 12, 13, 14, 15, 16, 17), strict=True)),
    "Testco B": list(zip(CALENDAR, (20, 21, 22, 23, 24, 25, 26, 27), strict=True)),
    "Junco (test)": list(zip(JUNCO, (30, 31, 32, 33, 34, 35, 36, 37), strict=True)),
}


def _type_figures(qtbot: QtBot, window: MainWindow) -> list[int]:
    view, model = window.investments_view, window.investments_model
    ids = []
    for company, figures in TYPED.items():
        for period, amount in figures:
            view.setFocus()
            view.setCurrentIndex(cell(view, 0, "company"))
            window.add_row_action.trigger()
            row = view.currentIndex().row()
            type_into_cell(qtbot, view, row, "company", company)
            type_into_cell(qtbot, view, row, "period", period)
            type_into_cell(qtbot, view, row, "amount", f"${amount}bn")
            ids.append(model.id_at(row))
    return ids


def _summary(db: Path) -> dict[str, object]:
    env = {**os.environ, "CAPEX_GUI_HOME": str(db.parent / "home")}
    out = subprocess.run(
        [sys.executable, "-m", "capex_gui", "summary", str(db), "--json"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def _drawn(chart: TrendChart) -> dict[str, list[tuple[str, float]]]:
    """company -> [(the axis label under the point, the point's height)], read from the plot
    items: the markers' data and the bottom axis' names."""
    axis = chart.plot.getAxis("bottom")
    names = {round(label.x): label.long_text or label.text for label in axis.bar_labels()}
    out = {}
    for company, series in chart.series.items():
        xs, ys = series.markers.getData()
        assert np.all(np.asarray(xs) == np.round(xs)), "points sit between slots"
        out[company] = [(names[round(x)], float(y)) for x, y in zip(xs, ys, strict=True)]
    return out


def test_three_companies_typed_by_quarter_line_up_on_calendar_quarters(
    qtbot: QtBot, window: MainWindow, check_repo: Repository, db_path: Path
) -> None:
    window.store.add_company(Company("Testco A", "US"))
    window.store.add_company(Company("Testco B", "US"))
    window.store.add_company(Company("Junco (test)", "US", fiscal_year_end_month=6))
    ids = _type_figures(qtbot, window)

    stored = [check_repo.get_investment(i) for i in ids]
    assert [s.period.label for s in stored[16:]] == [
        "FY2024 Q3", "FY2024 Q4", "FY2025 Q1", "FY2025 Q2",
        "FY2025 Q3", "FY2025 Q4", "FY2026 Q1", "FY2026 Q2",
    ]  # fmt: skip
    assert stored[16].period.months_label == "Jan–Mar 2024"
    assert [s.amount / B for s in stored] == [a for f in TYPED.values() for _p, a in f]

    area = window.chart_area
    assert isinstance(area, ChartArea)
    area.tabs.setCurrentWidget(area.trend_chart)
    area.company_combo.setCurrentIndex(0)  # All companies
    chart = area.trend_chart
    qtbot.waitUntil(lambda: not chart.stale and "Junco (test)" in chart.series, timeout=3000)
    drawn = _drawn(chart)
    for company, figures in TYPED.items():
        assert drawn[company] == [
            (q, float(a * B)) for q, (_p, a) in zip(CALENDAR, figures, strict=True)
        ]
    assert "fiscal quarters placed on the calendar quarter holding most of their months" in (
        chart.footnote_label.text()
    )
    # the latest quarter is labelled, beside each company's last point
    for company in TYPED:
        label = chart.latest_labels[company]
        assert label.isVisible() and label.textItem.toPlainText().startswith("Q4 2025")

    # live: a typed edit moves the point (the store's signal, no reload, no selector change)
    model = window.investments_model
    qtbot.wait(20)
    assert not chart.stale
    row = next(r for r in range(model.rowCount()) if model.id_at(r) == ids[23])
    type_into_cell(qtbot, window.investments_view, row, "amount", "$40bn")
    qtbot.waitUntil(lambda: _drawn(chart)["Junco (test)"][-1] == ("Q4 2025", float(40 * B)))
    type_into_cell(qtbot, window.investments_view, row, "amount", "$37bn")
    qtbot.waitUntil(lambda: _drawn(chart)["Junco (test)"][-1] == ("Q4 2025", float(37 * B)))

    data = _summary(db_path)
    totals = {(t["company"], t["year"]): Decimal(t["amount"]) for t in data["totals"]}  # type: ignore[index, union-attr]
    assert totals[("Junco (test)", 2024)] == (30 + 31 + 32 + 33) * B
    assert totals[("Junco (test)", 2025)] == (34 + 35 + 36 + 37) * B
    assert totals[("Testco A", 2025)] == (14 + 15 + 16 + 17) * B
    periods = [p for p in data["periods"] if p["company"] == "Junco (test)"]  # type: ignore[union-attr, index]
    assert [(p["period"], p["start"]) for p in periods][:2] == [
        ("FY2024 Q3", "2024-01"), ("FY2024 Q4", "2024-04"),
    ]  # fmt: skip

    # hover names the fiscal quarter behind a calendar slot; a click filters the tables to it
    x = chart.x_of(chart.current_figures().series("Junco (test)")[0].slot)
    tip = chart.tooltip_at(x, float(30 * B))
    assert tip is not None and "Q1 2024" in tip and "FY2024 Q3 (Jan–Mar 2024)" in tip
    vb = chart.plot.getViewBox()
    scene = vb.mapViewToScene(QPointF(x, float(30 * B)))
    pos = chart.plot_widget.mapFromScene(scene)
    qtbot.mouseClick(chart.plot_widget.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=3000)
    assert model.id_at(0) == ids[16]
