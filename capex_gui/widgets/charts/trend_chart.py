"""Trend: spend per quarter or year per company over time, one line per company.

Points are the companies' figures placed on the slots of :mod:`capex_gui.domain.trend`;
estimates and plans are hollow points on dashed segments; figures longer than a slot (a year in
the quarter view, a span of years) are translucent bands at their average per slot, dashed
when they are estimates. Each company's latest point is labelled.
"""

from __future__ import annotations

import html
import itertools
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QLabel

from capex_gui.domain.trend import (
    Grid,
    TrendBand,
    TrendBasis,
    TrendFigures,
    TrendPoint,
    TrendStep,
    compute_trend,
)
from capex_gui.widgets.charts.common import (
    BarAxis,
    BarLabel,
    ChartBase,
    GroupLabel,
    LegendEntry,
    ScaledAxis,
    Swatch,
    compact_money,
    exact_money,
    group_gap_warnings,
    sources_html,
    style_plot,
    text_item,
)
from capex_gui.widgets.charts.palette import OKABE_ITO, hatch_brush, mix

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from capex_gui.domain.periods import Period
    from capex_gui.widgets.charts.chart_data import ChartData

HEADROOM = 1.18
#: Series colours in the order companies take them (yellow last: weak on white).
_ORDER = (4, 5, 2, 6, 0, 1, 3)
#: A point is hit within this many pixels of the pointer.
HIT_PIXELS = 9.0
#: Notes under the plot name at most this many reconciliations.
MAX_NOTES = 3


def company_colour(index: int) -> QColor:
    """The colour of the *index*-th company (by name): Okabe–Ito, then darker shades."""
    base = QColor(OKABE_ITO[_ORDER[index % len(_ORDER)]])
    return base if index < len(_ORDER) else mix(base, QColor("black"), 0.38)


@dataclass
class _Series:
    """One company's plot items."""

    solid: pg.PlotCurveItem
    dashed: pg.PlotCurveItem
    markers: pg.ScatterPlotItem


class TrendChart(ChartBase):
    """Spend per quarter (or year) per company, calendar-aligned, with spans as bands."""

    def __init__(self, data: ChartData, parent: QWidget | None = None) -> None:
        super().__init__(data, parent)
        self._companies: list[str] | None = None
        self._step = TrendStep.QUARTER
        self._basis = TrendBasis.CALENDAR
        self._spread = False
        self._figures: TrendFigures | None = None
        self._origin = 0
        self._left = ScaledAxis("left")
        self._bottom = BarAxis()
        self.plot_widget = pg.PlotWidget(
            parent=self, axisItems={"left": self._left, "bottom": self._bottom}
        )
        self.plot_widget.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.plot = self.plot_widget.getPlotItem()
        self.bands = pg.BarGraphItem(x=[], height=[], width=1.0)
        self.bands.setZValue(-10)
        self.plot.addItem(self.bands)
        self.series: dict[str, _Series] = {}
        self.latest_labels: dict[str, pg.TextItem] = {}
        self.band_labels: list[pg.TextItem] = []
        self.footnote_label = QLabel(self)
        self.footnote_label.setObjectName("chartFootnote")
        self.footnote_label.setWordWrap(True)
        self.footnote_label.setTextFormat(Qt.TextFormat.PlainText)
        self._layout.addWidget(self.plot_widget, 1)
        self._layout.addWidget(self.legend)
        self._layout.addWidget(self.footnote_label)
        self.plot.getViewBox().sigResized.connect(self._place_labels)
        scene = self.plot_widget.scene()
        scene.sigMouseMoved.connect(self._on_mouse_moved)
        scene.sigMouseClicked.connect(self._on_mouse_clicked)
        self._apply_theme()

    # -- selectors --------------------------------------------------------------------------
    def set_companies(self, companies: list[str] | None) -> None:
        """Draw these companies (None: every company with figures)."""
        if companies != self._companies:
            self._companies = None if companies is None else list(companies)
            self.invalidate()

    def set_step(self, step: TrendStep) -> None:
        """Quarters or years."""
        if step is not self._step:
            self._step = step
            self.invalidate()

    def set_basis(self, basis: TrendBasis) -> None:
        """Calendar periods, or the fiscal periods of the one company drawn."""
        if basis is not self._basis:
            self._basis = basis
            self.invalidate()

    def set_spread_spans(self, on: bool) -> None:
        """Spread each span of years evenly over its years (as estimates) instead of a band."""
        if on != self._spread:
            self._spread = on
            self.invalidate()

    def current_figures(self) -> TrendFigures:
        """The numbers behind every point and band, as drawn now."""
        self.ensure_current()
        assert self._figures is not None
        return self._figures

    def x_of(self, slot: int) -> float:
        """Where a slot is drawn on the x axis."""
        return float(slot - self._origin)

    # -- drawing ----------------------------------------------------------------------------
    def _apply_theme(self) -> None:
        theme = self.theme
        self.plot_widget.setBackground(theme.background)
        style_plot(self.plot, theme, self.chart_font())
        self.plot.showGrid(x=False, y=True, alpha=0.35)
        self.footnote_label.setFont(self.chart_font(0.9))
        self.footnote_label.setStyleSheet(
            f"QLabel#chartFootnote {{ color: {theme.muted.name()}; }}"
        )

    def _colours(self) -> dict[str, QColor]:
        names = self._data.company_names()
        return {name: company_colour(i) for i, name in enumerate(names)}

    def _ink(self, colour: QColor) -> QColor:
        """A series colour darkened (lightened on dark) towards the text colour, for text."""
        return mix(colour, self.theme.foreground, 0.3)

    def _redraw(self) -> None:
        data = self._data
        year_ends = {c.name: c.fiscal_year_end_month for c in data.store.companies()}
        figs = compute_trend(
            data.spend,
            data.fx(),
            data.currency,
            step=self._step,
            basis=self._basis,
            companies=self._companies,
            year_ends=year_ends,
            spread_spans=self._spread,
        )
        self._figures = figs
        slots = figs.slots
        self._origin = slots[0] if slots else 0
        colours = self._colours()
        self._draw_bands(figs, colours)
        self._draw_series(figs, colours)
        top = max(
            [float(p.amount) for p in figs.points] + [float(b.per_slot) for b in figs.bands],
            default=0.0,
        )
        self.plot.setYRange(0, (top or 1.0) * HEADROOM, padding=0)
        self._set_axis(figs)
        self._left.setLabel(figs.currency)
        self._set_legend(figs, colours)
        self.title_label.setText(self._title(figs))
        self._show_notices(group_gap_warnings(figs.gaps))
        self._set_footnote(figs)
        self._place_labels()

    def _title(self, figs: TrendFigures) -> str:
        who = ", ".join(figs.companies) if self._companies else "all companies"
        if not figs.companies:
            who = self._companies[0] if self._companies else "no figures yet"
        step = "quarter" if figs.grid.step is TrendStep.QUARTER else "year"
        kind = "fiscal" if figs.grid.fiscal else "calendar"
        return f"Spend per {kind} {step} · {who} · {figs.currency}"

    def _draw_series(self, figs: TrendFigures, colours: dict[str, QColor]) -> None:
        theme = self.theme
        for gone in set(self.series) - set(figs.companies):
            for item in vars(self.series.pop(gone)).values():
                self.plot.removeItem(item)
            self.plot.removeItem(self.latest_labels.pop(gone))
        for company in figs.companies:
            series = self.series.get(company)
            if series is None:
                series = _Series(pg.PlotCurveItem(), pg.PlotCurveItem(), pg.ScatterPlotItem())
                for z, item in enumerate(vars(series).values()):
                    item.setZValue(z)
                    self.plot.addItem(item)
                self.series[company] = series
                label = text_item(theme, self.chart_font(bold=True), (0.0, 0.5))
                label.setZValue(20)
                self.plot.addItem(label, ignoreBounds=True)
                self.latest_labels[company] = label
            colour = colours.get(company, QColor(OKABE_ITO[4]))
            points = figs.series(company)
            firm_xy: list[float] = []
            soft_xy: list[float] = []
            for a, b in itertools.pairwise(points):
                if b.slot - a.slot != 1:
                    continue  # a missing slot is a gap, not a line
                target = soft_xy if a.is_estimate or b.is_estimate else firm_xy
                target += [self.x_of(a.slot), float(a.amount), self.x_of(b.slot), float(b.amount)]
            for item, coords, style in (
                (series.solid, firm_xy, Qt.PenStyle.SolidLine),
                (series.dashed, soft_xy, Qt.PenStyle.DashLine),
            ):
                pen = theme.pen(colour, 2.2)
                pen.setStyle(style)
                item.setData(
                    x=np.array(coords[0::2]), y=np.array(coords[1::2]), connect="pairs", pen=pen
                )
            series.markers.setData(
                x=np.array([self.x_of(p.slot) for p in points]),
                y=np.array([float(p.amount) for p in points]),
                size=9,
                pen=[theme.pen(colour, 1.8)] * len(points),
                brush=[pg.mkBrush(theme.background if p.is_estimate else colour) for p in points],
                symbol="o",
            )
            latest = points[-1] if points else None
            label = self.latest_labels[company]
            label.setVisible(latest is not None)
            if latest is not None:
                label.setColor(self._ink(colour))
                label.setFont(self.chart_font(0.9, bold=True))
                money = compact_money(latest.amount, figs.currency)
                label.setText(f"{latest.period.label} · {money}")

    def _draw_bands(self, figs: TrendFigures, colours: dict[str, QColor]) -> None:
        theme = self.theme
        bands = figs.bands
        brushes, pens = [], []
        for band in bands:
            colour = colours.get(band.company, QColor(OKABE_ITO[4]))
            fill = QColor(colour)
            fill.setAlpha(40 if band.soft else 60)
            brushes.append(hatch_brush(colour, theme) if band.soft else pg.mkBrush(fill))
            pen = QPen(colour, 1.6, Qt.PenStyle.DashLine)
            pen.setCosmetic(True)
            pens.append(pen)
        self.bands.setOpts(
            x=np.array([(self.x_of(b.first) + self.x_of(b.last)) / 2 for b in bands]),
            y0=np.zeros(len(bands)),
            height=np.array([float(b.per_slot) for b in bands]),
            width=np.array([b.last - b.first + 0.8 for b in bands]),
            brushes=brushes or None,  # pyqtgraph 0.14 fails on an empty list of pens
            pens=pens or None,
            pen=pg.mkPen(None),
            brush=pg.mkBrush(None),
        )
        while len(self.band_labels) > len(bands):
            self.plot.removeItem(self.band_labels.pop())
        while len(self.band_labels) < len(bands):
            item = text_item(theme, self.chart_font(0.8), (0.5, 1.0))
            item.setZValue(15)
            self.plot.addItem(item, ignoreBounds=True)
            self.band_labels.append(item)
        unit = "quarter" if figs.grid.step is TrendStep.QUARTER else "year"
        backing = QColor(theme.background)
        backing.setAlpha(210)  # readable over other bands' hatching
        for item, band in zip(self.band_labels, bands, strict=True):
            item.fill = pg.mkBrush(backing)
            item.setColor(self._ink(colours.get(band.company, theme.foreground)))
            item.setFont(self.chart_font(0.8))
            each = compact_money(band.per_slot, figs.currency)
            whole = compact_money(band.amount, figs.currency)
            item.setText(f"{band.period.label}: {whole} ({each}/{unit})")
            item.setPos((self.x_of(band.first) + self.x_of(band.last)) / 2, float(band.per_slot))

    def _set_axis(self, figs: TrendFigures) -> None:
        grid = figs.grid
        bars, groups = [], []
        for slot in figs.slots:
            period = grid.period_of(slot)
            if grid.step is TrendStep.QUARTER:
                bars.append(BarLabel(self.x_of(slot), f"Q{period.number}", period.label))
            else:
                bars.append(BarLabel(self.x_of(slot), period.label))
        if grid.step is TrendStep.QUARTER:
            years: dict[str, list[float]] = {}
            for slot in figs.slots:
                period = grid.period_of(slot)
                name = f"FY{period.year}" if grid.fiscal else str(period.year)
                years.setdefault(name, []).append(self.x_of(slot))
            groups = [GroupLabel(min(xs) - 0.5, max(xs) + 0.5, n) for n, xs in years.items()]
        self._bottom.set_labels(bars, groups)

    def _set_legend(self, figs: TrendFigures, colours: dict[str, QColor]) -> None:
        muted = self.theme.muted
        entries = [LegendEntry(c, colours.get(c, muted), Swatch.LINE) for c in figs.companies]
        if any(p.is_estimate for p in figs.points):
            entries.append(LegendEntry("Includes estimates or plans", muted, Swatch.DASHED))
        if figs.bands:
            unit = "quarter" if figs.grid.step is TrendStep.QUARTER else "year"
            entries.append(
                LegendEntry(f"Longer period or span: average per {unit}", muted, Swatch.BAND)
            )
        self.legend.set_entries(entries)

    def _set_footnote(self, figs: TrendFigures) -> None:
        lines = [figs.footnote]
        if figs.fiscal_refused:
            lines.append(figs.fiscal_refused)
        notes = [f"{p.company} {p.period.label}: {n}" for p in figs.points for n in p.notes]
        if figs.grid.step is TrendStep.YEAR:
            shown = list(dict.fromkeys(notes))
            lines += shown[:MAX_NOTES]
            if len(shown) > MAX_NOTES:
                lines.append(f"and {len(shown) - MAX_NOTES} more (hover the points)")
        self.footnote_label.setText("\n".join(line for line in lines if line))

    def footnote(self) -> str:
        """The line under the plot that says how periods are placed (for exports and tests)."""
        self.ensure_current()
        return self.footnote_label.text()

    def _place_labels(self) -> None:
        """Latest-point labels just right of each company's latest point, spaced so they never
        overlap; the x range widened to hold them; band labels hidden where they do not fit."""
        figs = self._figures
        if figs is None:
            return
        vb = self.plot.getViewBox()
        n = len(figs.slots)
        latest = sorted(figs.latest().values(), key=lambda p: float(p.amount))
        labels = [self.latest_labels[p.company] for p in latest]
        room = max(80.0, float(vb.width()))
        lo = -0.6 - max(0.0, 3 - n) / 2
        hi = lo + max(n, 3) + 0.2
        for point, item in zip(latest, labels, strict=True):
            # the label must end inside the view: x + 0.2 + width * (hi - lo) / room <= hi
            w = min(item.boundingRect().width() + 8, room * 0.6)
            hi = max(hi, (self.x_of(point.slot) + 0.2 - w * lo / room) / (1 - w / room))
        self.plot.setXRange(lo, hi, padding=0)
        _x_px, y_px = vb.viewPixelSize()
        height = max((item.boundingRect().height() for item in labels), default=0.0) * y_px
        (_x0, _x1), (_y0, y_hi) = vb.viewRange()
        placed: list[tuple[float, float]] = []  # (x, y) of labels placed so far
        step = 10 * vb.viewPixelSize()[0]  # 10 px right of the point
        for point, item in zip(latest, labels, strict=True):
            x = self.x_of(point.slot) + step
            y = float(point.amount)
            for px, py in sorted(placed, key=lambda xy: xy[1]):
                if abs(px - x) < 1.0 and abs(py - y) < height:
                    y = py + height
            y = min(y, y_hi - height / 2)
            item.setPos(x, y)
            placed.append((x, y))
        x_px = vb.viewPixelSize()[0]
        for item, band in zip(self.band_labels, figs.bands, strict=True):
            room_px = (band.last - band.first + 0.8) / max(x_px, 1e-12)
            item.setVisible(item.boundingRect().width() <= room_px)

    # -- hover and click --------------------------------------------------------------------
    def _pointer_view(self) -> Any:
        return self.plot.getViewBox()

    def _pointer_host(self) -> QWidget:
        return self.plot_widget

    def hit(self, x: float, y: float) -> TrendPoint | TrendBand | None:
        """The point within a few pixels of (x, y) in view units, else the band under it."""
        figs = self._figures
        if figs is None:
            return None
        x_px, y_px = self.plot.getViewBox().viewPixelSize()
        best: tuple[float, TrendPoint] | None = None
        for p in figs.points:
            dx = (self.x_of(p.slot) - x) / max(x_px, 1e-12)
            dy = (float(p.amount) - y) / max(y_px, 1e-12)
            d = (dx * dx + dy * dy) ** 0.5
            if d <= HIT_PIXELS and (best is None or d < best[0]):
                best = (d, p)
        if best is not None:
            return best[1]
        for band in reversed(figs.bands):
            half = (band.last - band.first + 0.8) / 2
            middle = (self.x_of(band.first) + self.x_of(band.last)) / 2
            if abs(x - middle) <= half and 0 <= y <= float(band.per_slot):
                return band
        return None

    def tooltip_at(self, x: float, y: float) -> str | None:
        """Tooltip HTML for what is under (x, y)."""
        found = self.hit(x, y)
        return None if found is None else self.tooltip_for(found)

    def tooltip_for(self, found: TrendPoint | TrendBand) -> str:
        """Tooltip HTML for one point or band."""
        figs = self._figures
        currency = figs.currency if figs else ""
        head = f"<b>{html.escape(found.company)}</b>"
        if isinstance(found, TrendBand):
            slots = found.last - found.first + 1
            unit = "quarter" if figs and figs.grid.step is TrendStep.QUARTER else "year"
            lines = [
                f"{head} — {html.escape(found.period.long_label)}",
                f"Figure: {exact_money(found.amount, currency)}",
                f"Average per {unit} over {slots}: {exact_money(found.per_slot, currency)}",
            ]
            if found.spread_from is not None:
                span = html.escape(found.spread_from.label)
                lines.append(f"An even share of {span}, an estimate")
            elif found.is_span:
                lines.append("A span of years: never added into one year's total")
            elif found.soft:
                soft = exact_money(found.soft, currency)
                lines.append(f"of which estimate or planned: {soft}")
            return "<br>".join(lines)
        lines = [
            f"{head} — {html.escape(found.period.label)}",
            f"Spend: {exact_money(found.amount, currency)}",
        ]
        own = ", ".join(html.escape(p.long_label) for p in found.periods)
        if own and [p.label for p in found.periods] != [found.period.label]:
            lines.append(f"From: {own}")
        if found.soft > 0:
            lines.append(f"of which estimate or planned: {exact_money(found.soft, currency)}")
        if found.partial:
            lines.append("Partial: not every part of the year has a figure")
        lines += [html.escape(n) for n in found.notes]
        lines.append(sources_html(self._sources(found)))
        return "<br>".join(lines) + "<br><i>Click to show these investments</i>"

    def _sources(self, point: TrendPoint) -> Counter[str]:
        years = {p.calendar_year for p in point.periods}
        merged: Counter[str] = Counter()
        for key, counter in self._data.spend_evidence.sources.items():
            if key.company == point.company and key.year in years:
                merged.update(counter)
        return merged

    def filter_at(self, x: float, y: float) -> dict[str, object] | None:
        """The table filter that shows the rows behind a point or band."""
        found = self.hit(x, y)
        return None if found is None else self.filter_for(found)

    def filter_for(self, found: TrendPoint | TrendBand) -> dict[str, object]:
        """The rows behind a point (its figures' period) or band (its figure's period)."""
        year: int | None = None
        period: Period | None
        if isinstance(found, TrendBand):
            period = found.spread_from or found.period
        elif len(found.periods) == 1:
            period = found.periods[0]
        elif self._figures is not None and self._figures.grid == Grid(TrendStep.YEAR):
            period, year = None, found.slot  # the calendar year each figure counts in
        else:
            period = found.period
        return {
            "table": "investments",
            "company": found.company,
            "year": year,
            "category": None,
            "region": None,
            "supplier": None,
            "period": period,
        }
