"""The trend chart over a real store: no double count, incomplete quarters, spans as bands or
spread, hover and the command line, read back from the plot items.

TEST DATA: "Testco" and every amount here are made up for these tests, not real capex.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from capex_gui.domain.entities import Company, Investment, Status
from capex_gui.domain.periods import parse_period
from capex_gui.domain.trend import TrendStep
from capex_gui.store.store import CapexStore, TableKind
from capex_gui.widgets.charts.trend_chart import TrendChart
from tests.charts.conftest import B
from tests.charts.drawn import bar_rects

MakeChart = Callable[[type[TrendChart]], TrendChart]


def _add(store: CapexStore, *figures: tuple[str, str, Status]) -> None:
    if "Testco" not in [c.name for c in store.companies()]:
        store.add_company(Company("Testco", "US"))
    rows = []
    for period, amount, status in figures:
        p = parse_period(period)
        rows.append(
            Investment(
                "Testco",
                p.calendar_year,
                "AI chips",
                "China",
                Decimal(amount) * B,
                "USD",
                status=status,
                period=p,
                source="Test data",
            )
        )
    store.add_rows(TableKind.INVESTMENTS, rows)


@pytest.fixture
def chart(show_chart: MakeChart, qtbot: QtBot) -> TrendChart:
    made = show_chart(TrendChart)
    made.set_companies(["Testco"])
    return made


def _points(chart: TrendChart, qtbot: QtBot) -> list[tuple[str, float]]:
    """(slot name, height) of Testco's drawn markers."""
    qtbot.waitUntil(lambda: not chart.stale, timeout=2000)
    names = {round(b.x): b.long_text or b.text for b in chart.plot.getAxis("bottom").bar_labels()}
    xs, ys = chart.series["Testco"].markers.getData()
    return [(names[round(x)], float(y)) for x, y in zip(xs, ys, strict=True)]


def _hollow(chart: TrendChart) -> list[bool]:
    """Which markers are drawn hollow (filled with the background): the estimates."""
    brushes = chart.series["Testco"].markers.data["brush"]
    return [b.color() == chart.theme.background for b in brushes]


QUARTERS = (("Q1 2025", "20"), ("Q2 2025", "21"), ("Q3 2025", "22"), ("Q4 2025", "25.2"))


def test_a_full_year_and_its_four_quarters_count_once(
    chart: TrendChart, store: CapexStore, qtbot: QtBot
) -> None:
    _add(store, ("2025", "80", Status.ESTIMATE), *((q, a, Status.REPORTED) for q, a in QUARTERS))
    chart.set_step(TrendStep.YEAR)
    assert _points(chart, qtbot) == [("2025", float(Decimal("88.2") * B))]
    assert _hollow(chart) == [False]  # the estimate is replaced by the reported quarters
    x = chart.x_of(2025)
    tip = chart.tooltip_at(x, float(Decimal("88.2") * B)) or ""
    assert "quarters sum to USD 88.2B, the annual figure says USD 80B: +10%" in tip
    chart.set_step(TrendStep.QUARTER)
    assert [h for _q, h in _points(chart, qtbot)] == [float(Decimal(a) * B) for _q, a in QUARTERS]
    assert bar_rects(chart.bands) == []  # the annual figure is not drawn again


def test_three_quarters_and_a_full_year_use_the_full_year_and_say_so(
    chart: TrendChart, store: CapexStore, qtbot: QtBot
) -> None:
    _add(
        store, ("2025", "80", Status.REPORTED), *((q, a, Status.REPORTED) for q, a in QUARTERS[:3])
    )
    chart.set_step(TrendStep.YEAR)
    assert _points(chart, qtbot) == [("2025", float(80 * B))]
    note = "the quarters are incomplete (3 of 4 quarters, USD 63B); the annual figure (USD 80B) is used"
    assert note in chart.footnote_label.text()
    assert note in (chart.tooltip_at(chart.x_of(2025), float(80 * B)) or "")
    # by quarter: the three quarters, and the year as a band of its average across its quarters
    chart.set_step(TrendStep.QUARTER)
    assert [q for q, _h in _points(chart, qtbot)] == ["Q1 2025", "Q2 2025", "Q3 2025"]
    (band,) = bar_rects(chart.bands)
    assert (band.bottom, band.top) == (0.0, float(20 * B))
    assert band.x == pytest.approx(chart.x_of(chart.current_figures().bands[0].first) + 1.5)
    assert float(np.asarray(chart.bands.opts["width"])[0]) == pytest.approx(3.8)  # four slots


def test_a_span_is_a_band_until_spread_then_estimates(
    chart: TrendChart, store: CapexStore, qtbot: QtBot
) -> None:
    _add(store, ("2025", "10", Status.REPORTED), ("2025-2027", "150", Status.PLANNED))
    chart.set_step(TrendStep.YEAR)
    assert _points(chart, qtbot) == [("2025", float(10 * B))]  # never added into 2025
    (band,) = bar_rects(chart.bands)
    assert band.top == float(50 * B) and band.x == chart.x_of(2026)
    assert "never added into one year" in (chart.tooltip_at(chart.x_of(2027), float(20 * B)) or "")
    chart.set_spread_spans(True)
    assert _points(chart, qtbot) == [
        ("2025", float(10 * B)), ("2026", float(50 * B)), ("2027", float(50 * B)),
    ]  # fmt: skip
    assert _hollow(chart) == [False, True, True]
    assert bar_rects(chart.bands) == []
    # dashed segments join the spread estimates; the solid line has none to draw
    dashed_x, _y = chart.series["Testco"].dashed.getData()
    assert list(dashed_x) == [
        chart.x_of(2025),
        chart.x_of(2026),
        chart.x_of(2026),
        chart.x_of(2027),
    ]


def test_export_chart_trend_from_the_command_line(tmp_path: Path, _isolated_home: Path) -> None:
    env = {**os.environ, "CAPEX_GUI_HOME": str(_isolated_home)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "capex_gui", *args],
            capture_output=True, text=True, env=env, timeout=120, check=False,
        )  # fmt: skip

    db = tmp_path / "s.capex"
    assert run("sample", str(db)).returncode == 0
    out = tmp_path / "trend.png"
    done = run("export-chart", str(db), "--chart", "trend", "--periods", "fiscal", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "--periods fiscal without --company" in done.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1920, 1080)
    colours = {image.pixel(x, y) for x in range(0, 1920, 16) for y in range(0, 1080, 16)}
    assert len(colours) > 4  # drawn, not blank
    svg = tmp_path / "trend.svg"
    done = run("export-chart", str(db), "--chart", "trend", "--step", "year", "-o", str(svg))
    assert done.returncode == 0, done.stderr
    assert "Calendar years" in svg.read_text(encoding="utf-8")
