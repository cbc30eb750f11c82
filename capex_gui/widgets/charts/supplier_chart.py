"""Supplier shares: a donut by supplier for one company and year, domestic vs imported inside.

pyqtgraph has no pie: wedges are QGraphicsPathItems in a pyqtgraph ViewBox, so the chart
exports as vector shapes. Labels sit outside the ring with leader lines and are pushed apart
vertically so they never overlap; when a side cannot hold them all, the smallest slices lose
their label (their figures stay in the tooltip) and a note says so.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, localcontext
from typing import TYPE_CHECKING, Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

from capex_gui.domain.analytics import Metric, ShareFigures, supplier_shares
from capex_gui.domain.money import EXACT
from capex_gui.domain.parsing import format_units
from capex_gui.widgets.charts.common import (
    ChartBase,
    LegendEntry,
    Swatch,
    compact_money,
    exact_money,
    percent,
    plural,
    sources_html,
    text_item,
)
from capex_gui.widgets.charts.palette import colour_for, hatch_brush, mix, solid_brush, tint_brush

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QWidget

    from capex_gui.widgets.charts.chart_data import ChartData

#: Radii in units of the outer radius: hole, inner (domestic) ring, gap, outer (supplier) ring.
INNER = (0.50, 0.64)
OUTER = (0.68, 1.0)
#: Where leader lines bend, and where label text starts (outer radii).
ELBOW = 1.06
LABEL_X = 1.16


@dataclass(frozen=True)
class ShareSlice:
    """One supplier's wedge."""

    supplier: str
    amount: Decimal  # display currency for value, chips for units
    share: Decimal  # 0..1
    domestic: bool  # every order in it is from a home-country supplier of its buyer
    start: float  # fraction of the circle where the wedge starts (clockwise from 12 o'clock)
    end: float
    label: str  # the percentage as labelled ("30%")
    orders: int = 0
    soft_orders: int = 0
    sources: Counter[str] = field(compare=False, default_factory=Counter)
    #: the part bought at home (0..1): all companies together may buy one supplier both
    #: at home (a US buyer of Nvidia) and abroad (a Chinese buyer of Nvidia)
    domestic_part: Decimal = Decimal(0)


@dataclass(frozen=True)
class SupplierChartFigures:
    """Everything the supplier chart draws."""

    company: str | None  # None: all companies together
    year: int | None
    metric: Metric
    currency: str
    slices: tuple[ShareSlice, ...]
    domestic: Decimal | None  # share bought at home, when there are slices
    notes: tuple[str, ...]  # orders not shown, and why
    figures: ShareFigures  # the analytics read-out the slices come from
    blocked: bool = False  # a missing rate: no wedge is drawn rather than wrong ones
    missing_rates: tuple[str, ...] = ()  # "no EUR rate for 2025"

    def shares(self) -> dict[str, Decimal]:
        """Supplier -> share as drawn."""
        return {s.supplier: s.share for s in self.slices}

    @property
    def who(self) -> str:
        """Whose orders: a company's name, or "all companies"."""
        return self.company or "all companies"


def rounded_labels(shares: Sequence[Decimal], places: int = 1) -> list[str]:
    """Percentages rounded so the labels add up to exactly 100 (largest remainder)."""
    if not shares:
        return []
    unit = Decimal(10) ** -places
    with localcontext(EXACT):
        raw = [s * 100 for s in shares]
        floors = [(r / unit).to_integral_value(rounding=ROUND_FLOOR) for r in raw]
        missing = int(Decimal(100) / unit - sum(floors))
        order = sorted(range(len(raw)), key=lambda i: -(raw[i] / unit - floors[i]))
        for i in order[: max(0, missing)]:
            floors[i] += 1
        return [percent(f * unit / 100, places) for f in floors]


def _note(reason: str, n: int) -> str:
    if reason == "no value":
        return f"{plural(n, 'order')} without value not shown"
    if reason == "no units":
        return f"{plural(n, 'order')} without units not shown"
    return f"{reason}: {plural(n, 'order')} not shown"


@dataclass
class _Acc:
    amount: Decimal = Decimal(0)
    home: Decimal = Decimal(0)
    orders: int = 0
    soft: int = 0
    sources: Counter[str] = field(default_factory=Counter)


def compute_supplier_chart(
    data: ChartData, company: str | None, year: int | None, metric: Metric
) -> SupplierChartFigures:
    """The slices for *company* (None: all companies together) in *year*, from the analytics.

    All companies together: each supplier's wedge sums every company's orders from it, and the
    inner ring sums what each company bought from suppliers of its own country.
    """
    currency = data.currency
    figures = supplier_shares(data.suppliers, data.countries(), data.fx(), currency)

    def wanted(name: str) -> bool:
        return company is None or name == company

    short: Counter[str] = Counter()
    for (who, y, m), shortfalls in figures.shortfalls.items():
        if (y, m) == (year, metric) and wanted(who):
            for gap in shortfalls:
                short[gap.reason] += gap.count
    notes = tuple(_note(reason, n) for reason, n in sorted(short.items()))
    missing_rates = tuple(sorted(r for r in short if " rate for " in r))
    blocked = bool(missing_rates)
    accs: dict[str, _Acc] = {}
    with localcontext(EXACT):
        for s in figures.shares:
            if (s.year, s.metric) == (year, metric) and wanted(s.company):
                acc = accs.setdefault(s.supplier, _Acc())
                acc.amount += s.amount
                if s.domestic:
                    acc.home += s.amount
                key = (s.company, s.year, s.supplier)
                acc.orders += data.order_evidence.orders.get(key, 0)
                acc.soft += data.order_evidence.soft.get(key, 0)
                acc.sources.update(data.order_evidence.sources.get(key, Counter()))
        total = sum((a.amount for a in accs.values()), Decimal(0))
        home_total = sum((a.home for a in accs.values()), Decimal(0))
    slices: list[ShareSlice] = []
    domestic: Decimal | None = None
    if accs and total > 0 and not blocked:
        with localcontext(EXACT):
            parts = {n: a.home / a.amount if a.amount else Decimal(0) for n, a in accs.items()}
            shares = {name: a.amount / total for name, a in accs.items()}
            domestic = home_total / total
        # domestic suppliers first, so the inner ring's arcs line up with the wedges above
        order = sorted(accs, key=lambda n: (-parts[n], -accs[n].amount, n))
        labels = rounded_labels([shares[n] for n in order])
        start = 0.0
        for name, label in zip(order, labels, strict=True):
            acc = accs[name]
            end = start + float(shares[name])
            slices.append(
                ShareSlice(
                    name,
                    acc.amount,
                    shares[name],
                    parts[name] == 1,
                    start,
                    end,
                    label,
                    acc.orders,
                    acc.soft,
                    acc.sources,
                    parts[name],
                )
            )
            start = end
    return SupplierChartFigures(
        company,
        year,
        metric,
        currency,
        tuple(slices),
        domestic,
        notes,
        figures,
        blocked,
        missing_rates,
    )


def _angle(fraction: float) -> float:
    """Radians of a position on the ring: 0 at 12 o'clock, clockwise (y points up)."""
    return math.pi / 2 - 2 * math.pi * fraction


def _label_at(slice_: ShareSlice) -> float:
    """Where on the ring a slice's leader starts: its middle (3 o'clock for a whole ring)."""
    if slice_.end - slice_.start >= 1 - 1e-9:
        return 0.25
    return (slice_.start + slice_.end) / 2


def wedge_path(start: float, end: float, r0: float, r1: float) -> QPainterPath:
    """An annular wedge from *start* to *end* (fractions of the circle), radii r0..r1.

    True arcs (Bézier segments), so exports stay smooth at any size. The path lives in view
    coordinates, where y points up: QPainterPath's angle a lands at math angle -a there, so the
    12 o'clock start (math 90°) is a = -90° and clockwise is a positive sweep.
    """
    path = QPainterPath()
    if end - start >= 1 - 1e-9:  # a whole ring: two circles, no seam at 12 o'clock
        path.setFillRule(Qt.FillRule.OddEvenFill)
        for radius in (r1, r0):
            path.addEllipse(QPointF(0.0, 0.0), radius, radius)
        return path
    a0 = 360.0 * start - 90.0
    sweep = 360.0 * (end - start)
    outer = QRectF(-r1, -r1, 2 * r1, 2 * r1)
    inner = QRectF(-r0, -r0, 2 * r0, 2 * r0)
    path.arcMoveTo(outer, a0)
    path.arcTo(outer, a0, sweep)
    path.arcTo(inner, a0 + sweep, -sweep)
    path.closeSubpath()
    return path


def spread(desired: Sequence[float], gap: float, lo: float, hi: float) -> list[float]:
    """Positions as near to *desired* (sorted high to low) as possible, at least *gap* apart,
    within lo..hi. Requires len * gap <= hi - lo + gap."""
    ys = [min(hi, max(lo, y)) for y in desired]
    for i in range(1, len(ys)):
        ys[i] = min(ys[i], ys[i - 1] - gap)
    if ys and ys[-1] < lo:
        ys[-1] = lo
        for i in range(len(ys) - 2, -1, -1):
            ys[i] = max(ys[i], ys[i + 1] + gap)
    return ys


@dataclass(frozen=True)
class PlacedLabel:
    """Where a slice's label went (data units; the outer radius is 1)."""

    supplier: str
    x: float
    y: float
    right: bool  # text runs to the right of x


class SupplierShareChart(ChartBase):
    """Donut of chip-order shares by supplier, domestic vs imported as the inner ring."""

    def __init__(self, data: ChartData, parent: QWidget | None = None) -> None:
        super().__init__(data, parent)
        self._company: str | None = None
        self._year: int | None = None
        self._metric = Metric.VALUE
        self._figures: SupplierChartFigures | None = None
        self._placed: list[PlacedLabel] = []
        self._hidden_labels = 0
        self.plot_widget = pg.PlotWidget(parent=self)
        self.plot_widget.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.plot = self.plot_widget.getPlotItem()
        for name in ("left", "bottom"):
            self.plot.hideAxis(name)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        self.view = self.plot.getViewBox()
        self.view.setDefaultPadding(0.0)
        self._wedges: list[QGraphicsPathItem] = []  # per slice: solid or tint
        self._hatches: list[QGraphicsPathItem] = []  # per slice: hatch overlay (hidden if firm)
        self._ring = [QGraphicsPathItem(), QGraphicsPathItem()]  # domestic, imported
        for item in self._ring:
            self.view.addItem(item, ignoreBounds=True)
        self._leaders = QGraphicsPathItem()
        self.view.addItem(self._leaders, ignoreBounds=True)
        self._labels: list[pg.TextItem] = []
        self._centre = pg.TextItem("", anchor=(0.5, 0.5))
        self.view.addItem(self._centre, ignoreBounds=True)
        self._layout.addWidget(self.plot_widget, 1)
        self._layout.addWidget(self.legend)
        scene = self.plot_widget.scene()
        scene.sigMouseMoved.connect(self._on_mouse_moved)
        scene.sigMouseClicked.connect(self._on_mouse_clicked)
        self.view.sigResized.connect(self._lay_out)
        self._apply_theme()

    # -- selection --------------------------------------------------------------------------
    def set_selection(self, company: str | None, year: int | None, metric: Metric) -> None:
        """Show *company* (None: all companies together) in *year*, by value or by units."""
        if (company, year, metric) != (self._company, self._year, self._metric):
            self._company, self._year, self._metric = company, year, metric
            self.invalidate()

    def shown_metric(self) -> Metric:
        """Value or units (not ``metric``: that name is QWidget's)."""
        return self._metric

    def current_figures(self) -> SupplierChartFigures:
        """The numbers behind every slice, as drawn now."""
        self.ensure_current()
        assert self._figures is not None
        return self._figures

    def placed_labels(self) -> list[PlacedLabel]:
        """Where the slice labels are (for tests: they never overlap)."""
        self.ensure_current()
        return list(self._placed)

    def label_height(self) -> float:
        """A label's height in data units at the current size."""
        return self._label_px_height() / max(1.0, self._radius_px())

    # -- drawing ----------------------------------------------------------------------------
    def _apply_theme(self) -> None:
        theme = self.theme
        self.plot_widget.setBackground(theme.background)
        self._leaders.setPen(theme.pen(theme.muted, 1.0))
        self._ring[0].setBrush(solid_brush(self._domestic_colour()))
        self._ring[1].setBrush(solid_brush(self._imported_colour()))
        for item in self._ring:
            item.setPen(theme.pen(theme.separator, 1.5))

    def _domestic_colour(self) -> QColor:
        return mix(self.theme.foreground, self.theme.background, 0.3)

    def _imported_colour(self) -> QColor:
        return mix(self.theme.foreground, self.theme.background, 0.7)

    def _redraw(self) -> None:
        figs = compute_supplier_chart(self._data, self._company, self._year, self._metric)
        self._figures = figs
        theme = self.theme
        self._pool(len(figs.slices))
        any_soft = False
        for slice_, wedge, hatch in zip(figs.slices, self._wedges, self._hatches, strict=True):
            path = wedge_path(slice_.start, slice_.end, *OUTER)
            colour = colour_for(slice_.supplier)
            soft = slice_.soft_orders > 0
            any_soft |= soft
            wedge.setPath(path)
            wedge.setBrush(tint_brush(colour, theme) if soft else solid_brush(colour))
            wedge.setPen(theme.pen(theme.separator, 1.5))
            hatch.setPath(path)
            hatch.setBrush(hatch_brush(colour, theme))
            hatch.setPen(QPen(Qt.PenStyle.NoPen))
            hatch.setVisible(soft)
        home = float(figs.domestic or 0)
        show_ring = bool(figs.slices)
        self._ring[0].setPath(wedge_path(0.0, home, *INNER) if home > 0 else QPainterPath())
        self._ring[1].setPath(wedge_path(home, 1.0, *INNER) if home < 1 else QPainterPath())
        for item in self._ring:
            item.setVisible(show_ring)
        self._set_texts(figs)
        self._set_legend(figs, any_soft)
        self._lay_out()

    def _pool(self, n: int) -> None:
        """Keep exactly *n* wedge, hatch and label items, reusing those there are."""
        while len(self._wedges) > n:
            for items in (self._wedges, self._hatches):
                self.view.removeItem(items.pop())
            self.view.removeItem(self._labels.pop())
        while len(self._wedges) < n:
            wedge, hatch = QGraphicsPathItem(), QGraphicsPathItem()
            self.view.addItem(wedge, ignoreBounds=True)
            self.view.addItem(hatch, ignoreBounds=True)
            self._wedges.append(wedge)
            self._hatches.append(hatch)
            label = text_item(self.theme, self.chart_font(), (0.0, 0.5))
            self.view.addItem(label, ignoreBounds=True)
            self._labels.append(label)

    def _amount_text(self, amount: Decimal, figs: SupplierChartFigures) -> str:
        if figs.metric is Metric.VALUE:
            return compact_money(amount, figs.currency)
        return f"{format_units(int(amount), compact=True)} units"

    def _set_texts(self, figs: SupplierChartFigures) -> None:
        theme = self.theme
        fg, muted = theme.foreground.name(), theme.muted.name()
        for slice_, label in zip(figs.slices, self._labels, strict=True):
            label.setFont(self.chart_font())
            label.setHtml(
                f'<div style="color:{fg}"><b>{html.escape(slice_.supplier)}</b> {slice_.label}'
                f'<br><span style="color:{muted}">{self._amount_text(slice_.amount, figs)}'
                "</span></div>"
            )
        year = str(figs.year) if figs.year is not None else "no year"
        who = html.escape(f"{figs.who} · {year}")
        if figs.slices:
            # company and year are in the title; the hole holds the total and the split
            total = sum((s.amount for s in figs.slices), Decimal(0))
            home = percent(figs.domestic or Decimal(0), 0)
            big = self.chart_font(1.35, bold=True).pointSizeF()
            centre = (
                f'<div style="text-align:center; color:{fg}">'
                f'<span style="font-size:{big:.1f}pt; font-weight:bold">'
                f"{self._amount_text(total, figs)}</span><br>"
                f'<span style="color:{muted}">{home} domestic</span></div>'
            )
        elif figs.blocked:
            centre = (
                f'<div style="text-align:center; color:{theme.warning.name()}">'
                f"⚠ Shares not drawn<br>{who}</div>"
            )
        else:
            what = "values" if figs.metric is Metric.VALUE else "unit counts"
            centre = (
                f'<div style="text-align:center; color:{muted}">'
                f"No chip orders with {what}<br>{who}</div>"
            )
        self._centre.setFont(self.chart_font())
        self._centre.setHtml(centre)
        self._centre.setPos(0.0, 0.0)
        metric = "value" if figs.metric is Metric.VALUE else "units"
        unit = figs.currency if figs.metric is Metric.VALUE else "chips"
        self.title_label.setText(f"Chip suppliers by {metric} · {figs.who} · {year} · {unit}")

    def _set_legend(self, figs: SupplierChartFigures, soft: bool) -> None:
        entries: list[LegendEntry] = []
        if figs.slices:
            entries.append(LegendEntry("Domestic suppliers (inner ring)", self._domestic_colour()))
            entries.append(LegendEntry("Imported (inner ring)", self._imported_colour()))
        if soft:
            entries.append(
                LegendEntry(
                    "Includes estimated or planned orders (hatched)", self.theme.muted, Swatch.HATCH
                )
            )
        self.legend.set_entries(entries)

    # -- layout (pixels -> data units) -----------------------------------------------------
    def _label_px_height(self) -> float:
        """Height of the tallest label as laid out (text items keep pixel sizes), plus air."""
        heights = [label.boundingRect().height() for label in self._labels]
        estimate = 2 * QFontMetricsF(self.chart_font()).height() + 8
        return max([estimate, *heights]) + 2

    def _label_px_width(self) -> float:
        widths = [label.boundingRect().width() for label in self._labels]
        return max(widths, default=0.0) + 8

    def _radius_px(self) -> float:
        """Outer radius in pixels: as large as fits with the labels beside it."""
        w, h = self.view.width(), self.view.height()
        label_h = self._label_px_height()
        by_height = h / 2 - label_h / 2 - 6
        by_width = (w / 2 - self._label_px_width() - 8) / LABEL_X
        return max(24.0, min(by_height, by_width))

    def _lay_out(self) -> None:
        """Fit the ring and its labels to the view; push labels apart so none overlap."""
        w, h = self.view.width(), self.view.height()
        if w <= 0 or h <= 0 or self._figures is None:
            return
        r = self._radius_px()
        half_w, half_h = w / 2 / r, h / 2 / r
        self.view.setRange(xRange=(-half_w, half_w), yRange=(-half_h, half_h), padding=0)
        self._centre.setTextWidth(max(40.0, 2 * INNER[0] * r * 0.9))
        gap = self._label_px_height() / r
        lo, hi = -half_h + gap / 2, half_h - gap / 2
        capacity = max(1, int((hi - lo) / gap) + 1)
        slices = self._figures.slices
        placed: list[PlacedLabel] = []
        leaders = QPainterPath()
        hidden = 0
        for right in (True, False):
            side = [
                (i, s)
                for i, s in enumerate(slices)
                if (math.cos(_angle(_label_at(s))) >= -1e-9) == right
            ]
            # a side that cannot hold every label keeps the largest slices' labels
            keep = {i for i, _s in sorted(side, key=lambda t: -t[1].share)[:capacity]}
            hidden += len(side) - len(keep)
            for i, _s in side:
                self._labels[i].setVisible(i in keep)
            shown = [(i, s) for i, s in side if i in keep]
            shown.sort(key=lambda t: -math.sin(_angle(_label_at(t[1]))))
            desired = [ELBOW * math.sin(_angle(_label_at(s))) for _i, s in shown]
            ys = spread(desired, gap, lo, hi)
            for (i, s), y in zip(shown, ys, strict=True):
                a = _angle(_label_at(s))
                x = LABEL_X if right else -LABEL_X
                label = self._labels[i]
                label.setAnchor((0.0, 0.5) if right else (1.0, 0.5))
                label.setPos(x, y)
                placed.append(PlacedLabel(s.supplier, x, y, right))
                leaders.moveTo(QPointF(OUTER[1] * math.cos(a), OUTER[1] * math.sin(a)))
                leaders.lineTo(QPointF(ELBOW * math.cos(a), ELBOW * math.sin(a)))
                leaders.lineTo(QPointF(x - (0.04 if right else -0.04), y))
        self._leaders.setPath(leaders)
        self._placed = placed
        self._hidden_labels = hidden
        notes = list(self._figures.notes)
        if hidden:
            notes.append(f"{plural(hidden, 'small supplier')} not labelled (hover to see)")
        self._show_notices(notes)

    def _show_notices(self, lines: Sequence[str]) -> None:
        """Notes in the muted colour; a missing rate in the warning colour."""
        super()._show_notices(lines)
        if lines and self._figures is not None and not self._figures.blocked:
            self.notice_label.setStyleSheet(
                f"QLabel#chartNotice {{ color: {self.theme.muted.name()}; }}"
            )
            self.notice_label.setText("\n".join(f"ⓘ {line}" for line in lines))

    def notices(self) -> list[str]:
        """The notes shown above the ring (for tests)."""
        return [line.removeprefix("ⓘ ") for line in super().notices()]

    # -- hover and click --------------------------------------------------------------------
    def hit(self, x: float, y: float) -> ShareSlice | str | None:
        """The slice at data point (x, y), "domestic"/"imported" on the inner ring, or None."""
        if self._figures is None or not self._figures.slices:
            return None
        r = math.hypot(x, y)
        fraction = ((math.pi / 2 - math.atan2(y, x)) / (2 * math.pi)) % 1.0
        if OUTER[0] <= r <= OUTER[1]:
            return next((s for s in self._figures.slices if s.start <= fraction < s.end), None)
        if INNER[0] <= r <= INNER[1]:
            home = float(self._figures.domestic or 0)
            return "domestic" if fraction < home else "imported"
        return None

    def tooltip_at(self, x: float, y: float) -> str | None:
        """Tooltip HTML for the slice at data point (x, y)."""
        found = self.hit(x, y)
        figs = self._figures
        if found is None or figs is None:
            return None
        if isinstance(found, str):
            share = figs.domestic or Decimal(0)
            if found == "imported":
                share = 1 - share
            home = found == "domestic"
            names = ", ".join(
                html.escape(s.supplier)
                for s in figs.slices
                if (s.domestic_part > 0 if home else s.domestic_part < 1)
            )
            return f"<b>{found.capitalize()}</b>: {percent(share)}<br>{names}"
        amount = (
            exact_money(found.amount, figs.currency)
            if figs.metric is Metric.VALUE
            else f"{format_units(int(found.amount))} units"
        )
        if found.domestic:
            origin = "domestic"
        elif found.domestic_part > 0:
            origin = f"{percent(found.domestic_part)} bought at home"
        else:
            origin = "imported"
        lines = [
            f"<b>{html.escape(found.supplier)}</b> — {html.escape(figs.who)} {figs.year}",
            f"{amount} · {percent(found.share)} of {figs.year} ({origin})",
            f"{plural(found.orders, 'order')}"
            + (f", {found.soft_orders} estimated or planned" if found.soft_orders else ""),
            sources_html(found.sources),
            "<i>Click to show these orders</i>",
        ]
        return "<br>".join(lines)

    def filter_for(self, found: ShareSlice | str) -> dict[str, object]:
        """The table filter that shows the orders behind a slice (or the ring)."""
        figs = self._figures
        return {
            "table": "chip_orders",
            "company": figs.company if figs else None,
            "year": figs.year if figs else None,
            "category": None,
            "region": None,
            "supplier": found.supplier if isinstance(found, ShareSlice) else None,
        }

    def _pointer_view(self) -> Any:
        return self.view

    def _pointer_host(self) -> QWidget:
        return self.plot_widget

    def filter_at(self, x: float, y: float) -> dict[str, object] | None:
        """The table filter behind the wedge at (x, y), if any."""
        found = self.hit(x, y)
        return None if found is None else self.filter_for(found)
