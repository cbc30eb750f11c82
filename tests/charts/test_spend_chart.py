"""The spend chart draws exactly the analytics' numbers, and follows every change live."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetricsF
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from capex_gui.app.main_window import MainWindow
from capex_gui.domain.entities import Company, FxRate, Investment, Status
from capex_gui.domain.money import exact_sum
from capex_gui.store.store import CapexStore, TableKind
from capex_gui.widgets.charts.axes import LabelMode
from capex_gui.widgets.charts.chart_area import ChartArea
from capex_gui.widgets.charts.chart_data import ChartData
from capex_gui.widgets.charts.spend_chart import SpendBreakdownChart, SpendChartFigures, Split
from tests.charts.conftest import B, assert_same_spend, fresh_spend, view_to_widget

MakeChart = Callable[[type[SpendBreakdownChart]], SpendBreakdownChart]


@pytest.fixture
def chart(show_chart: MakeChart) -> SpendBreakdownChart:
    return show_chart(SpendBreakdownChart)


def drawn(chart: SpendBreakdownChart, qtbot: QtBot) -> SpendChartFigures:
    """The figures the live path drew: lets the coalescing timer run, never computes on demand."""
    qtbot.wait(5)
    assert not chart.stale, "the shown chart did not redraw by itself"
    return chart.current_figures()


def assert_matches_analytics(chart: SpendBreakdownChart, store: CapexStore, qtbot: QtBot) -> None:
    figs = drawn(chart, qtbot)
    fresh = fresh_spend(store)
    assert_same_spend(figs.figures, fresh)
    assert figs.currency == store.display_currency
    drawn_totals = figs.totals()
    for total in fresh.totals:
        assert abs(drawn_totals[(total.company, total.year)] - total.amount) < Decimal("1e-30")
    for bar in figs.bars:
        assert exact_sum([s.amount for s in bar.segments]) == bar.total
        assert abs(exact_sum([s.share for s in bar.segments]) - 1) < Decimal("1e-40")


def test_sample_2025_bar_totals_about_12_3_billion(chart: SpendBreakdownChart) -> None:
    figs = chart.current_figures()
    bar = figs.bar("ByteDance", 2025)
    assert bar is not None
    assert abs(bar.total - Decimal("12.30") * B) < Decimal("0.01") * B
    segments = {s.name: s.amount for s in bar.segments}
    assert set(segments) == {"AI chips", "Model-training capacity"}
    assert abs(segments["AI chips"] - Decimal("5.502") * B) < Decimal("0.001") * B
    assert segments["Model-training capacity"] == Decimal("6.8") * B
    assert [b.year for b in figs.bars] == [2024, 2025]
    assert chart._bottom.labels() == ["2024", "2025"]
    assert chart.title_label.text().endswith("USD")


def test_2024_estimate_is_drawn_hatched_and_explained(chart: SpendBreakdownChart) -> None:
    bar = chart.current_figures().bar("ByteDance", 2024)
    assert bar is not None
    (seg,) = bar.segments
    assert seg.soft == seg.amount  # the whole 2024 figure is an estimate
    hatch_heights = list(chart._hatch.opts["height"])
    assert hatch_heights == [pytest.approx(float(seg.amount))]
    assert hatch_heights and chart._hatch.opts["brushes"][0].style() == Qt.BrushStyle.BDiagPattern
    legend = [e.text for e in chart.legend.entries()]
    assert "Estimate or planned (hatched)" in legend


def test_edit_updates_the_bar_in_place(
    chart: SpendBreakdownChart, store: CapexStore, qtbot: QtBot
) -> None:
    items_before = list(chart.plot.items)
    redraws = chart.redraw_count
    overseas = next(i for i in store.repo.investments() if i.region == "Overseas")
    with qtbot.waitSignal(store.rows_changed):
        store.update_row(TableKind.INVESTMENTS, overseas.with_changes(amount=Decimal("7.2") * B))
    assert_matches_analytics(chart, store, qtbot)
    assert chart.redraw_count == redraws + 1
    bar = chart.current_figures().bar("ByteDance", 2025)
    assert bar is not None
    assert abs(bar.total - Decimal("12.70") * B) < Decimal("0.01") * B
    assert chart.plot.items == items_before  # same plot items, updated in place


def test_delete_add_and_undo_shaped_changes(
    chart: SpendBreakdownChart, store: CapexStore, qtbot: QtBot
) -> None:
    china_2025 = next(i for i in store.repo.investments() if (i.year, i.region) == (2025, "China"))
    gone = store.delete_rows(TableKind.INVESTMENTS, [china_2025.id or 0])
    assert_matches_analytics(chart, store, qtbot)
    bar = chart.current_figures().bar("ByteDance", 2025)
    assert bar is not None and bar.total == Decimal("6.8") * B
    store.add_rows(TableKind.INVESTMENTS, gone)  # what undo of a delete does
    assert_matches_analytics(chart, store, qtbot)
    new = Investment(
        company="ByteDance",
        year=2026,
        category="Data centres",
        region="Global",
        amount=Decimal(3) * B,
        currency="USD",
        status=Status.PLANNED,
        source="Company filing",
    )
    store.add_rows(TableKind.INVESTMENTS, [new])
    assert_matches_analytics(chart, store, qtbot)
    bar26 = chart.current_figures().bar("ByteDance", 2026)
    assert bar26 is not None and bar26.segments[0].soft == Decimal(3) * B


def test_fx_change_and_currency_switch(
    chart: SpendBreakdownChart, store: CapexStore, qtbot: QtBot
) -> None:
    store.set_fx_rate(FxRate("CNY", 2025, Decimal("8")))
    assert_matches_analytics(chart, store, qtbot)
    bar = chart.current_figures().bar("ByteDance", 2025)
    assert bar is not None and bar.total == Decimal(5) * B + Decimal("6.8") * B
    store.set_display_currency("CNY")
    assert_matches_analytics(chart, store, qtbot)
    bar = chart.current_figures().bar("ByteDance", 2025)
    assert bar is not None and bar.total == Decimal(40) * B + Decimal("6.8") * 8 * B
    assert chart._left.labelText == "CNY"
    assert "CNY" in chart.title_label.text()


def test_missing_rate_warns_and_draws_no_partial_bar(
    chart: SpendBreakdownChart, store: CapexStore, qtbot: QtBot
) -> None:
    store.delete_fx_rate("CNY", 2025)
    figs = drawn(chart, qtbot)
    assert figs.bar("ByteDance", 2025) is None  # not a $6.8B bar that looks complete
    (gap,) = figs.missing
    assert (gap.company, gap.year, gap.reasons) == ("ByteDance", 2025, ("no CNY rate for 2025",))
    assert chart.notices() == [
        "No CNY rate for 2025: ByteDance not drawn for 2025 (1 figure). Add the rate under FX rates."
    ]
    assert chart.notice_label.isVisible()
    assert [m.toPlainText() for m in chart._markers] == ["⚠ no CNY rate\nfor 2025"]
    store.set_fx_rate(FxRate("CNY", 2025, Decimal("7.27")))
    figs = drawn(chart, qtbot)
    assert figs.bar("ByteDance", 2025) is not None and not figs.missing
    assert chart.notices() == [] and not chart.notice_label.isVisible()


def test_split_by_region(chart: SpendBreakdownChart, qtbot: QtBot) -> None:
    chart.set_split(Split.REGION)
    figs = drawn(chart, qtbot)
    bar = figs.bar("ByteDance", 2025)
    assert bar is not None
    assert [s.name for s in bar.segments] == ["China", "Overseas"]
    assert [e.text for e in chart.legend.entries()][:2] == ["China", "Overseas"]
    assert "by region" in chart.title_label.text()


def test_tooltip_gives_exact_amount_share_and_sources(chart: SpendBreakdownChart) -> None:
    bar = chart.current_figures().bar("ByteDance", 2025)
    assert bar is not None
    seg = bar.segments[1]  # Model-training capacity, stacked on top of AI chips
    text = chart.tooltip_at(bar.x, seg.y0 + float(seg.amount) / 2)
    assert text is not None
    assert "Model-training capacity" in text
    assert "USD 6,800,000,000" in text
    assert "55.3% of 2025" in text
    assert "Source: Financial Times (reported)" in text
    assert chart.tooltip_at(bar.x + 0.45, 1.0) is None  # beside the bar


def test_sources_follow_edits(chart: SpendBreakdownChart, store: CapexStore, qtbot: QtBot) -> None:
    overseas = next(i for i in store.repo.investments() if i.region == "Overseas")
    store.update_row(TableKind.INVESTMENTS, overseas.with_changes(source="Reuters"))
    figs = drawn(chart, qtbot)
    bar = figs.bar("ByteDance", 2025)
    assert bar is not None
    seg = next(s for s in bar.segments if s.name == "Model-training capacity")
    assert dict(seg.sources) == {"Reuters": 1}
    text = chart.tooltip_at(bar.x, seg.y0 + 1.0)
    assert text is not None and "Source: Reuters" in text


def test_ranges_are_error_bars(chart: SpendBreakdownChart, store: CapexStore, qtbot: QtBot) -> None:
    overseas = next(i for i in store.repo.investments() if i.region == "Overseas")
    store.update_row(
        TableKind.INVESTMENTS,
        overseas.with_changes(amount_low=Decimal("6") * B, amount_high=Decimal("7.5") * B),
    )
    bar = drawn(chart, qtbot).bar("ByteDance", 2025)
    assert bar is not None and bar.low is not None and bar.high is not None
    assert bar.total - bar.low == Decimal("0.8") * B
    assert bar.high - bar.total == Decimal("0.7") * B
    assert list(chart._ranges.opts["x"]) == [bar.x]
    assert "Reported range" in [e.text for e in chart.legend.entries()]


def test_click_on_segment_asks_for_its_rows(chart: SpendBreakdownChart, qtbot: QtBot) -> None:
    bar = chart.current_figures().bar("ByteDance", 2025)
    assert bar is not None
    seg = bar.segments[0]
    point = view_to_widget(
        chart.plot_widget, chart.plot.getViewBox(), bar.x, seg.y0 + float(seg.amount) / 2
    )
    with qtbot.waitSignal(chart.segment_clicked) as signal:
        qtbot.mouseClick(chart.plot_widget.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert signal.args == [
        {
            "table": "investments",
            "company": "ByteDance",
            "year": 2025,
            "category": "AI chips",
            "region": None,
            "supplier": None,
        }
    ]


def test_companies_selection_and_groups(
    chart: SpendBreakdownChart, store: CapexStore, qtbot: QtBot
) -> None:
    store.add_rows(
        TableKind.INVESTMENTS,
        [
            Investment(
                company="Alibaba",
                year=2025,
                category="Data centres",
                region="China",
                amount=Decimal(50) * B,
                currency="CNY",
                reported_on=date(2025, 2, 1),
            )
        ],
    )
    figs = drawn(chart, qtbot)
    assert [(b.company, b.year) for b in figs.bars] == [
        ("Alibaba", 2025),
        ("ByteDance", 2024),
        ("ByteDance", 2025),
    ]
    assert [g.text for g in chart._bottom._groups] == ["Alibaba", "ByteDance"]
    chart.set_companies(["ByteDance"])
    figs = drawn(chart, qtbot)
    assert {b.company for b in figs.bars} == {"ByteDance"}
    assert chart._bottom._groups == []


def test_hidden_chart_catches_up_when_shown(
    chart: SpendBreakdownChart, store: CapexStore, data: ChartData, qtbot: QtBot
) -> None:
    chart.hide()
    redraws = chart.redraw_count
    overseas = next(i for i in store.repo.investments() if i.region == "Overseas")
    with qtbot.waitSignal(data.changed):
        store.update_row(TableKind.INVESTMENTS, overseas.with_changes(amount=Decimal(1) * B))
    assert chart.redraw_count == redraws  # no work for a chart nobody sees
    assert chart.stale
    chart.show()
    assert not chart.stale and chart.redraw_count == redraws + 1
    assert_matches_analytics(chart, store, qtbot)


def crowd(store: CapexStore) -> None:
    """Five companies, three years each: fifteen bars."""
    rows = [
        Investment(
            company=company,
            year=year,
            category=category,
            region="Global",
            amount=Decimal(k + 1) * Decimal("1.37") * B,
            currency="USD",
        )
        for k, company in enumerate(["Alibaba", "Baidu", "Meta", "Microsoft"])
        for year in (2024, 2025, 2026)
        for category in ("Data centres", "Power")
    ]
    store.add_rows(TableKind.INVESTMENTS, rows)


@pytest.mark.parametrize("width", [1920, 900, 560])
def test_crowded_labels_never_overlap(
    chart: SpendBreakdownChart, store: CapexStore, qtbot: QtBot, width: int
) -> None:
    crowd(store)
    chart.window().resize(width, 600)
    figs = drawn(chart, qtbot)
    qtbot.wait(5)
    assert len(figs.bars) == 14
    shown = [t for t in chart._totals if t.isVisible()]
    rects = [t.sceneBoundingRect() for t in shown]
    assert not [
        (i, j)
        for i in range(len(rects))
        for j in range(i + 1, len(rects))
        if rects[i].intersects(rects[j])
    ]
    view = chart.plot.getViewBox().sceneBoundingRect()
    assert all(view.contains(r) for r in rects), "a total label is clipped"
    if width >= 900:
        assert len(shown) == 14  # there is room for every total
    # every bar is named in full: under its company's group, or as "Company year" when the
    # group names do not fit; wrapped or turned, never cut short
    axis = chart._bottom
    assert axis.shown_labels() == axis.labels()
    named = [(b.company, str(b.year)) for b in sorted(figs.bars, key=lambda b: b.x)]
    if axis.group_labels():
        assert axis.labels() == [year for _c, year in named]
        assert axis.group_labels() == sorted({c for c, _y in named})
    else:
        assert axis.labels() == [f"{c} {y}" for c, y in named]
    if width < 900:
        assert axis.mode() is not LabelMode.FLAT


def test_dark_palette(chart: SpendBreakdownChart, qtbot: QtBot) -> None:
    from PySide6.QtGui import QColor, QPalette

    dark = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.Text, "#e6e6e6"),
        (QPalette.ColorRole.WindowText, "#e6e6e6"),
    ):
        dark.setColor(role, QColor(colour))
    redraws = chart.redraw_count
    chart.setPalette(dark)
    qtbot.wait(5)
    assert chart.theme.dark
    assert chart.redraw_count > redraws
    assert chart.plot_widget.backgroundBrush().color().lightness() < 60
    assert chart._totals[0].color.lightness() > 180  # light text on the dark background
    image = chart.grab().toImage()
    corner = image.pixelColor(3, image.height() // 2)
    assert corner.lightness() < 60  # the whole chart surface is dark, not only the plot


def test_hover_shows_the_tooltip(chart: SpendBreakdownChart, qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QToolTip

    bar = chart.current_figures().bar("ByteDance", 2025)
    assert bar is not None
    seg = bar.segments[0]
    point = view_to_widget(chart.plot_widget, chart.plot.getViewBox(), bar.x, float(seg.amount) / 2)
    qtbot.mouseMove(chart.plot_widget.viewport(), point)
    qtbot.waitUntil(QToolTip.isVisible, timeout=3000)
    assert "AI chips" in QToolTip.text() and "44.7% of 2025" in QToolTip.text()
    QToolTip.hideText()


def _ink_on_value_axis(chart: SpendBreakdownChart) -> int:
    """Dark pixels painted in the value axis's strip between its unit label ("EUR") and its
    line: tick texts and marks."""
    widget = chart.plot_widget
    axis = chart.plot.getAxis("left")
    strip = widget.mapFromScene(axis.mapRectToScene(axis.boundingRect())).boundingRect()
    unit = widget.mapFromScene(axis.label.mapRectToScene(axis.label.boundingRect()))
    image = widget.grab().toImage()
    return sum(
        1
        for x in range(
            max(unit.boundingRect().right() + 1, 0), min(strip.right() - 2, image.width())
        )
        for y in range(max(strip.top(), 0), min(strip.bottom(), image.height()))
        if QColor(image.pixel(x, y)).lightness() < 128
    )


def test_an_empty_chart_has_no_scale(qtbot: QtBot, window: MainWindow) -> None:
    """Shown in a currency without rates the chart showed a 0.1-1.1 axis beside no bar
    (issue 9, finding 12): no bar, no scale; the scale comes back with the bars."""
    assert window.store is not None
    area = window.chart_area
    assert isinstance(area, ChartArea)
    chart = area.spend_chart
    qtbot.waitUntil(lambda: not chart.stale)
    assert _ink_on_value_axis(chart) > 200  # "0", "2B"... "14B"
    window.currency_combo.setFocus()
    qtbot.keyClicks(window.currency_combo, "EUR")  # the sample has no EUR rate
    assert window.store.display_currency == "EUR"
    qtbot.waitUntil(lambda: not chart.stale and bool(chart.current_figures().missing))
    assert chart.current_figures().bars == ()
    assert _ink_on_value_axis(chart) < 20  # (an anti-aliased edge of "EUR" at most)
    qtbot.wait(QApplication.keyboardInputInterval() + 100)  # a new search, not "EURUSD"
    qtbot.keyClicks(window.currency_combo, "USD")
    assert window.store.display_currency == "USD"
    qtbot.waitUntil(lambda: not chart.stale and bool(chart.current_figures().bars))
    assert _ink_on_value_axis(chart) > 200


def test_seventy_company_years_are_named_every_few_bars_without_overlap(
    chart: SpendBreakdownChart, store: CapexStore, qtbot: QtBot
) -> None:
    """A team's large file: ten companies over seven years. The turned names may not all fit;
    those drawn must not overlap, and the first bar and every few after it are named."""
    for k in range(10):
        store.add_company(Company(f"Hyperscaler {k}", "US"))
    rows = [
        Investment(
            company=f"Hyperscaler {k}",
            year=year,
            category="Data centres",
            region="Global",
            amount=Decimal(k + 1) * B,
            currency="USD",
        )
        for k in range(10)
        for year in range(2020, 2027)
    ]
    store.add_rows(TableKind.INVESTMENTS, rows)
    chart.window().resize(700, 600)
    figs = drawn(chart, qtbot)
    qtbot.wait(5)
    axis = chart._bottom
    assert len(figs.bars) >= 70
    assert axis.mode() is LabelMode.ROTATED
    bars = axis.bar_labels()
    shown = axis.shown_labels()
    named = [b for b, text in zip(bars, shown, strict=True) if text]
    assert shown[0] and len(named) >= len(bars) // 6
    assert all(text in (full, "") for text, full in zip(shown, axis.labels(), strict=True))
    # drawn names are at least a line apart across their direction: they cannot overlap
    per_px = axis.geometry().width() / (axis.range[1] - axis.range[0])
    line = QFontMetricsF(axis._font).height()
    sin = math.sin(math.radians(axis.angle()))
    gaps = [(b.x - a.x) * per_px * sin for a, b in itertools.pairwise(named)]
    assert min(gaps) >= line, (min(gaps), line)
