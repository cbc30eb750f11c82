"""Spend breakdown: stacked bars per company and year, segments by category or region."""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont, QPainter

from capex_gui.domain.analytics import SpendFigures, spend_figures
from capex_gui.domain.money import EXACT
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
    fit_labels,
    group_gap_warnings,
    percent,
    plural,
    slot_pixels,
    sources_html,
    spend_rate_gaps,
    style_plot,
    text_item,
)
from capex_gui.widgets.charts.palette import colour_for, hatch_brush, solid_brush, tint_brush
from capex_gui.widgets.charts.selection import Split

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PySide6.QtWidgets import QWidget

    from capex_gui.widgets.charts.chart_data import ChartData

#: Bar width, and the extra gap between companies' groups of bars (x units; one bar = 1).
BAR_WIDTH = 0.66
GROUP_GAP = 0.7
#: Room above the tallest bar for its total label (share of the axis).
HEADROOM = 1.16
#: The x axis spans at least this many bar slots.
MIN_SLOTS = 4.5


@dataclass(frozen=True)
class SpendSegment:
    """One stacked segment: a category's (or region's) spend in a company's year."""

    name: str
    amount: Decimal
    soft: Decimal  # the part that is an estimate or a plan
    share: Decimal  # of the bar's total, 0..1
    count: int  # rows behind it
    y0: float
    sources: Counter[str] = field(compare=False, default_factory=Counter)


@dataclass(frozen=True)
class SpendBar:
    """A company's spend in one year, as drawn."""

    company: str
    year: int
    x: float
    total: Decimal
    segments: tuple[SpendSegment, ...]
    low: Decimal | None = None  # the total's range, when some figure gives one
    high: Decimal | None = None


@dataclass(frozen=True)
class MissingBar:
    """A bar left out because some of its figures cannot be converted."""

    company: str
    year: int
    x: float
    reasons: tuple[str, ...]
    count: int


@dataclass(frozen=True)
class SpendChartFigures:
    """Everything the spend chart draws."""

    currency: str
    split: Split
    figures: SpendFigures  # the analytics read-out the bars come from
    bars: tuple[SpendBar, ...]
    missing: tuple[MissingBar, ...]
    warnings: tuple[str, ...]

    def totals(self) -> dict[tuple[str, int], Decimal]:
        """(company, year) -> total of the drawn bar."""
        return {(b.company, b.year): b.total for b in self.bars}

    def bar(self, company: str, year: int) -> SpendBar | None:
        """The drawn bar of *company* in *year*, if any."""
        return next((b for b in self.bars if (b.company, b.year) == (company, year)), None)


@dataclass
class _Sum:
    amount: Decimal = Decimal(0)
    soft: Decimal = Decimal(0)
    count: int = 0


def _order(names: set[str], preferred: Sequence[str]) -> list[str]:
    known = [n for n in preferred if n in names]
    return known + sorted(names - set(known))


def compute_spend_chart(
    data: ChartData, companies: Sequence[str] | None, split: Split
) -> SpendChartFigures:
    """The bars for *companies* (None: every company with spend), from the analytics."""
    currency, fx = data.currency, data.fx()
    figures = spend_figures(data.spend, fx, currency)
    gaps = spend_rate_gaps(data.spend, fx, currency)
    wanted = None if companies is None else set(companies)
    by_bar: dict[tuple[str, int], dict[str, _Sum]] = defaultdict(dict)
    sources: dict[tuple[str, int, str], Counter[str]] = defaultdict(Counter)
    for row in figures.rows:
        if (wanted is not None and row.company not in wanted) or (row.company, row.year) in gaps:
            continue
        name = row.category if split is Split.CATEGORY else row.region
        acc = by_bar[(row.company, row.year)].setdefault(name, _Sum())
        with localcontext(EXACT):
            acc.amount += row.amount
            acc.soft += row.soft_amount
        acc.count += row.count
    for key, counter in data.spend_evidence.sources.items():
        if (key.company, key.year) in by_bar:
            name = key.category if split is Split.CATEGORY else key.region
            sources[(key.company, key.year, name)].update(counter)
    below, above = _range_reach(data, set(by_bar), currency)
    shown_gaps = {k: v for k, v in gaps.items() if wanted is None or k[0] in wanted}
    company_order = sorted({c for c, _y in by_bar} | {c for c, _y in shown_gaps})
    preferred = data.category_order() if split is Split.CATEGORY else data.region_order()
    bars: list[SpendBar] = []
    missing: list[MissingBar] = []
    x = 0.0
    for i, company in enumerate(company_order):
        if i:
            x += GROUP_GAP
        years = sorted(
            {y for c, y in by_bar if c == company} | {y for c, y in shown_gaps if c == company}
        )
        for year in years:
            if (company, year) in shown_gaps:
                per = shown_gaps[(company, year)]
                missing.append(MissingBar(company, year, x, tuple(sorted(per)), sum(per.values())))
            else:
                groups = by_bar[(company, year)]
                with localcontext(EXACT):
                    total = sum((g.amount for g in groups.values()), Decimal(0))
                segments: list[SpendSegment] = []
                y0 = 0.0
                for name in _order(set(groups), preferred):
                    acc = groups[name]
                    with localcontext(EXACT):
                        share = acc.amount / total if total else Decimal(0)
                    segments.append(
                        SpendSegment(
                            name,
                            acc.amount,
                            acc.soft,
                            share,
                            acc.count,
                            y0,
                            sources.get((company, year, name), Counter()),
                        )
                    )
                    y0 += float(acc.amount)
                low = high = None
                if (company, year) in below or (company, year) in above:
                    with localcontext(EXACT):
                        low = total - below.get((company, year), Decimal(0))
                        high = total + above.get((company, year), Decimal(0))
                bars.append(SpendBar(company, year, x, total, tuple(segments), low, high))
            x += 1.0
    warnings = group_gap_warnings(shown_gaps)
    return SpendChartFigures(currency, split, figures, tuple(bars), tuple(missing), warnings)


def _range_reach(
    data: ChartData, bars: set[tuple[str, int]], currency: str
) -> tuple[dict[tuple[str, int], Decimal], dict[tuple[str, int], Decimal]]:
    """How far below and above each bar's total its figures' ranges reach, in *currency*."""
    fx = data.fx()
    out: list[dict[tuple[str, int], Decimal]] = [defaultdict(Decimal), defaultdict(Decimal)]
    for sums, target in zip(
        (data.spend_evidence.below, data.spend_evidence.above), out, strict=True
    ):
        for (key, cur), reach in sums.items():
            if (key.company, key.year) in bars:
                with localcontext(EXACT):
                    target[(key.company, key.year)] += fx.convert(reach, cur, key.year, currency)
    return out[0], out[1]


@dataclass(frozen=True)
class _Hit:
    bar: SpendBar
    segment: SpendSegment


class SpendBreakdownChart(ChartBase):
    """Stacked spend bars per company and year, in the display currency."""

    def __init__(self, data: ChartData, parent: QWidget | None = None) -> None:
        super().__init__(data, parent)
        self._companies: list[str] | None = None
        self._split = Split.CATEGORY
        self._figures: SpendChartFigures | None = None
        self._bottom = BarAxis()
        self._left = ScaledAxis("left")
        self.plot_widget = pg.PlotWidget(
            parent=self, axisItems={"bottom": self._bottom, "left": self._left}
        )
        self.plot_widget.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.plot = self.plot_widget.getPlotItem()
        self.plot.showGrid(x=False, y=True, alpha=0.35)
        self._firm = pg.BarGraphItem(
            x=np.zeros(0), height=np.zeros(0), y0=np.zeros(0), width=BAR_WIDTH, brushes=[]
        )
        self._tint = pg.BarGraphItem(
            x=np.zeros(0), height=np.zeros(0), y0=np.zeros(0), width=BAR_WIDTH, brushes=[]
        )
        self._hatch = pg.BarGraphItem(
            x=np.zeros(0), height=np.zeros(0), y0=np.zeros(0), width=BAR_WIDTH, brushes=[]
        )
        self._ranges = pg.ErrorBarItem(
            x=np.zeros(0), y=np.zeros(0), top=np.zeros(0), bottom=np.zeros(0), beam=0.18
        )
        for item in (self._firm, self._tint, self._hatch, self._ranges):
            self.plot.addItem(item)
        self._totals: list[pg.TextItem] = []
        self._markers: list[pg.TextItem] = []
        self._total_texts: list[tuple[tuple[str, QFont], ...]] = []
        self._marker_texts: list[tuple[tuple[str, QFont], ...]] = []
        self._empty = pg.TextItem("", anchor=(0.5, 0.5))
        self.plot.addItem(self._empty, ignoreBounds=True)
        self._layout.addWidget(self.plot_widget, 1)
        self._layout.addWidget(self.legend)
        scene = self.plot_widget.scene()
        scene.sigMouseMoved.connect(self._on_mouse_moved)
        scene.sigMouseClicked.connect(self._on_mouse_clicked)
        self.plot.getViewBox().sigResized.connect(self._fit_labels)
        self._apply_theme()

    # -- selection --------------------------------------------------------------------------
    def set_companies(self, companies: Sequence[str] | None) -> None:
        """Show these companies (None: every company with spend)."""
        chosen = None if companies is None else list(companies)
        if chosen != self._companies:
            self._companies = chosen
            self.invalidate()

    def set_split(self, split: Split) -> None:
        """Segments by category or by region."""
        if split is not self._split:
            self._split = split
            self.invalidate()

    @property
    def split(self) -> Split:
        """What the segments are."""
        return self._split

    def current_figures(self) -> SpendChartFigures:
        """The numbers behind every bar and segment, as drawn now."""
        self.ensure_current()
        assert self._figures is not None
        return self._figures

    # -- drawing ----------------------------------------------------------------------------
    def _apply_theme(self) -> None:
        theme = self.theme
        self.plot_widget.setBackground(theme.background)
        style_plot(self.plot, theme, self.chart_font())
        self._ranges.setData(pen=theme.pen(theme.foreground, 1.4))
        self._empty.setColor(theme.muted)

    def _redraw(self) -> None:
        figs = compute_spend_chart(self._data, self._companies, self._split)
        self._figures = figs
        theme = self.theme
        xs: list[float] = []
        y0s: list[float] = []
        heights: list[float] = []
        brushes: list[Any] = []
        sx: list[float] = []
        sy0: list[float] = []
        sh: list[float] = []
        tints: list[Any] = []
        hatches: list[Any] = []
        outlines: list[Any] = []
        names: set[str] = set()
        any_soft = False
        for bar in figs.bars:
            for seg in bar.segments:
                names.add(seg.name)
                colour = colour_for(seg.name)
                firm = float(seg.amount - seg.soft)
                if firm > 0:
                    xs.append(bar.x)
                    y0s.append(seg.y0)
                    heights.append(firm)
                    brushes.append(solid_brush(colour))
                if seg.soft > 0:
                    any_soft = True
                    sx.append(bar.x)
                    sy0.append(seg.y0 + max(firm, 0.0))
                    sh.append(float(seg.soft))
                    tints.append(tint_brush(colour, theme))
                    hatches.append(hatch_brush(colour, theme))
                    outlines.append(theme.pen(colour, 1.2))
        separator = theme.pen(theme.separator, 1.0)
        self._firm.setOpts(
            x=np.array(xs),
            y0=np.array(y0s),
            height=np.array(heights),
            width=BAR_WIDTH,
            brushes=brushes,
            pen=separator,
        )
        self._tint.setOpts(
            x=np.array(sx),
            y0=np.array(sy0),
            height=np.array(sh),
            width=BAR_WIDTH,
            brushes=tints,
            pen=separator,
        )
        self._hatch.setOpts(
            x=np.array(sx),
            y0=np.array(sy0),
            height=np.array(sh),
            width=BAR_WIDTH,
            brushes=hatches,
            pen=separator,
            # outlined in the series colour (pyqtgraph wants None, not [], for no bars)
            pens=outlines or None,
        )
        ranged = [b for b in figs.bars if b.low is not None and b.high is not None]
        self._ranges.setData(
            x=np.array([b.x for b in ranged]),
            y=np.array([float(b.total) for b in ranged]),
            top=np.array([float((b.high or b.total) - b.total) for b in ranged]),
            bottom=np.array([float(b.total - (b.low or b.total)) for b in ranged]),
        )
        self._draw_labels(figs)
        self._set_ranges(figs)
        self._fit_labels()
        self._set_axis_labels(figs)
        self._set_legend(names, any_soft, bool(ranged))
        who = (
            "all companies"
            if self._companies is None
            else ", ".join(self._companies) or "no company"
        )
        self.title_label.setText(f"Spend by {self._split.value} · {who} · {figs.currency}")
        self._show_notices(figs.warnings)

    def _draw_labels(self, figs: SpendChartFigures) -> None:
        theme = self.theme
        bold = self.chart_font(bold=True)
        self._totals = self._pool(self._totals, len(figs.bars), bold, (0.5, 1.0))
        self._total_texts = []
        small, small_bold = self.chart_font(0.85), self.chart_font(0.85, bold=True)
        smaller = self.chart_font(0.72)
        for item, bar in zip(self._totals, figs.bars, strict=True):
            top = float(bar.high if bar.high is not None else bar.total)
            # one number format everywhere: the same text, only smaller when it is crowded
            label = compact_money(bar.total, figs.currency)
            texts = ((label, bold), (label, small_bold), (label, small), (label, smaller))
            self._total_texts.append(texts)
            item.setText(texts[0][0])
            item.setColor(theme.foreground)
            item.setPos(bar.x, top)
        self._markers = self._pool(self._markers, len(figs.missing), self.chart_font(), (0.5, 1.0))
        self._marker_texts = []
        for item, gap in zip(self._markers, figs.missing, strict=True):
            font = self.chart_font()
            full = "⚠ " + gap.reasons[0].replace(" rate for ", " rate\nfor ")
            marker = ((full, font), ("⚠", font))
            self._marker_texts.append(marker)
            item.setText(full)
            item.setColor(theme.warning)
            item.setPos(gap.x, 0.0)
        if not figs.bars and not figs.missing:
            who = "these companies" if self._companies is None else ", ".join(self._companies)
            self._empty.setText(f"No spend figures for {who or 'the chosen companies'} yet")
            self._empty.setPos(0.5, 0.5)
            self._empty.show()
        else:
            self._empty.hide()

    def _pool(
        self, items: list[pg.TextItem], n: int, font: Any, anchor: tuple[float, float]
    ) -> list[pg.TextItem]:
        """Reuse text items; add or remove only the difference."""
        while len(items) > n:
            self.plot.removeItem(items.pop())
        while len(items) < n:
            item = text_item(self.theme, font, anchor)
            self.plot.addItem(item, ignoreBounds=True)
            items.append(item)
        for item in items:
            item.setFont(font)
        return items

    def _set_ranges(self, figs: SpendChartFigures) -> None:
        # no bar, no scale: an empty chart (say, in a currency without rates) showed 0.1-1.1
        drawn = bool(figs.bars)
        axis = self.plot.getAxis("left")
        axis.setStyle(showValues=drawn)
        axis.setTicks(None if drawn else [[], []])
        self.plot.showGrid(x=False, y=drawn, alpha=0.35)
        xs = [b.x for b in figs.bars] + [m.x for m in figs.missing]
        if not xs:
            self.plot.setXRange(0, 1, padding=0)
            self.plot.setYRange(0, 1, padding=0)
            return
        top = max(
            (float(b.high if b.high is not None else b.total) for b in figs.bars), default=1.0
        )
        # at least MIN_SLOTS wide, so two bars do not become walls
        lo, hi = min(xs) - 0.6, max(xs) + 0.6
        extra = max(0.0, MIN_SLOTS - (hi - lo)) / 2
        self.plot.setXRange(lo - extra, hi + extra, padding=0)
        self.plot.setYRange(0, (top or 1.0) * HEADROOM, padding=0)

    def _set_axis_labels(self, figs: SpendChartFigures) -> None:
        slots = [(b.company, b.year, b.x) for b in figs.bars]
        slots += [(m.company, m.year, m.x) for m in figs.missing]
        slots.sort(key=lambda s: s[2])
        companies = sorted({c for c, _y, _x in slots})
        bars = [BarLabel(x, str(year), f"{company} {year}") for company, year, x in slots]
        groups: list[GroupLabel] = []
        if len(companies) > 1 or self._companies is None:
            for company in companies:
                xs = [x for c, _y, x in slots if c == company]
                groups.append(GroupLabel(min(xs) - 0.5, max(xs) + 0.5, company))
        self._bottom.set_labels(bars, groups)
        self._left.setLabel(figs.currency)

    def _set_legend(self, names: set[str], soft: bool, ranged: bool) -> None:
        preferred = (
            self._data.category_order()
            if self._split is Split.CATEGORY
            else self._data.region_order()
        )
        entries = [LegendEntry(n, colour_for(n)) for n in _order(names, preferred)]
        if soft:
            entries.append(
                LegendEntry("Estimate or planned (hatched)", self.theme.muted, Swatch.HATCH)
            )
        if ranged:
            entries.append(LegendEntry("Reported range", self.theme.foreground, Swatch.RANGE))
        self.legend.set_entries(entries)

    def _fit_labels(self) -> None:
        """Fit labels to their bar's slot, so neighbours never overlap: "$5.09B" bold, then
        smaller, else hidden (the tooltip has it); rate warnings shrink to "⚠" (the notice
        above the plot says more)."""
        slot = slot_pixels(self.plot.getViewBox())
        fit_labels(self._totals, self._total_texts, slot)
        fit_labels(self._markers, self._marker_texts, slot)

    def visible_totals(self) -> list[str]:
        """The total labels shown above the bars (for tests)."""
        return [i.toPlainText() for i in self._totals if i.isVisible()]

    # -- hover and click --------------------------------------------------------------------
    def hit(self, x: float, y: float) -> tuple[SpendBar, SpendSegment] | None:
        """The bar segment at data point (x, y), if any."""
        if self._figures is None:
            return None
        for bar in self._figures.bars:
            if abs(x - bar.x) > BAR_WIDTH / 2:
                continue
            for seg in bar.segments:
                if seg.y0 <= y <= seg.y0 + float(seg.amount):
                    return bar, seg
        return None

    def tooltip_at(self, x: float, y: float) -> str | None:
        """Tooltip HTML for the segment at data point (x, y)."""
        found = self.hit(x, y)
        if found is None:
            return None
        bar, seg = found
        cur = self._figures.currency if self._figures else ""
        lines = [
            f"<b>{html.escape(seg.name)}</b> — {html.escape(bar.company)} {bar.year}",
            f"{exact_money(seg.amount, cur)} · {percent(seg.share)} of {bar.year}",
        ]
        if seg.soft > 0:
            lines.append(f"of which estimate or planned: {exact_money(seg.soft, cur)}")
        lines.append(f"{plural(seg.count, 'figure')} · {sources_html(seg.sources)}")
        lines.append("<i>Click to show these rows</i>")
        return "<br>".join(lines)

    def filter_for(self, bar: SpendBar, seg: SpendSegment) -> dict[str, object]:
        """The table filter that shows the rows behind a segment."""
        return {
            "table": "investments",
            "company": bar.company,
            "year": bar.year,
            "category": seg.name if self._split is Split.CATEGORY else None,
            "region": seg.name if self._split is Split.REGION else None,
            "supplier": None,
        }

    def _pointer_view(self) -> Any:
        return self.plot.getViewBox()

    def _pointer_host(self) -> QWidget:
        return self.plot_widget

    def filter_at(self, x: float, y: float) -> dict[str, object] | None:
        """The table filter behind the segment at (x, y), if any."""
        found = self.hit(x, y)
        return None if found is None else self.filter_for(*found)
