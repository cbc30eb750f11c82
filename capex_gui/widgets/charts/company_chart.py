"""Company comparison: total spend and chips ordered per company in one year, in two panels."""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

from capex_gui.domain.analytics import Metric, SpendFigures, spend_figures, supplier_shares
from capex_gui.domain.money import EXACT
from capex_gui.domain.parsing import format_units
from capex_gui.widgets.charts.common import (
    BarAxis,
    BarLabel,
    ChartBase,
    LegendEntry,
    ScaledAxis,
    Swatch,
    compact_money,
    exact_money,
    fit_labels,
    group_gap_warnings,
    plural,
    slot_pixels,
    spend_rate_gaps,
    style_plot,
    text_item,
)
from capex_gui.widgets.charts.palette import (
    SPEND_SERIES,
    UNITS_SERIES,
    hatch_brush,
    solid_brush,
    tint_brush,
)

if TYPE_CHECKING:
    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QWidget

    from capex_gui.widgets.charts.chart_data import ChartData

BAR_WIDTH = 0.6
HEADROOM = 1.2


@dataclass(frozen=True)
class CompanyBar:
    """One company's figures in the chosen year, as drawn."""

    company: str
    x: float
    spend: Decimal | None  # None: no spend figures, or not drawn (see spend_note)
    spend_soft: Decimal
    spend_note: str | None  # "no CNY rate for 2026" when the bar is left out
    units: int | None
    units_missing: int  # orders of that year without a unit count


@dataclass(frozen=True)
class CompanyChartFigures:
    """Everything the comparison draws."""

    year: int | None
    currency: str
    bars: tuple[CompanyBar, ...]
    figures: SpendFigures
    warnings: tuple[str, ...]
    all_companies: bool = False  # also those without figures in the year
    missing_rates: tuple[str, ...] = ()  # "no EUR rate for 2025"

    @property
    def title(self) -> str:
        """What the chart shows, in words."""
        who = "all companies" if self.all_companies else "those with figures"
        return f"Companies compared · {self.year or 'no year'} · {who} · {self.currency}"

    def spend(self) -> dict[str, Decimal]:
        """Company -> total spend as drawn."""
        return {b.company: b.spend for b in self.bars if b.spend is not None}

    def units(self) -> dict[str, int]:
        """Company -> chips ordered as drawn."""
        return {b.company: b.units for b in self.bars if b.units is not None}


def companies_with_figures(data: ChartData, year: int | None) -> set[str]:
    """Companies with an investment or a chip order in *year* (drawable or not)."""
    names = {key.company for key, _cur in data.spend.counts if key.year == year}
    names.update(c for c, y, _s, _cur in data.suppliers.value_counts if y == year)
    names.update(c for c, y, _s in data.suppliers.unit_counts if y == year)
    names.update(c for c, y, _m in data.suppliers.missing if y == year)
    return names


def compute_company_chart(
    data: ChartData, year: int | None, all_companies: bool = False
) -> CompanyChartFigures:
    """Spend and units per company in *year*, from the analytics: the companies with figures
    in that year, or every company (*all_companies*)."""
    currency, fx = data.currency, data.fx()
    figures = spend_figures(data.spend, fx, currency)
    gaps = spend_rate_gaps(data.spend, fx, currency)
    shares = supplier_shares(data.suppliers, data.countries(), fx, currency)
    totals = {t.company: t.amount for t in figures.totals if t.year == year}
    soft: dict[str, Decimal] = defaultdict(Decimal)
    with localcontext(EXACT):
        for row in figures.rows:
            if row.year == year:
                soft[row.company] += row.soft_amount
    units: dict[str, int] = defaultdict(int)
    for s in shares.shares:
        if s.year == year and s.metric is Metric.UNITS:
            units[s.company] += int(s.amount)
    no_units = {
        company: n
        for (company, y, metric), n in data.suppliers.missing.items()
        if y == year and metric is Metric.UNITS
    }
    shown = data.company_names()
    if not all_companies:
        with_figures = companies_with_figures(data, year)
        shown = [c for c in shown if c in with_figures]
    bars: list[CompanyBar] = []
    for x, company in enumerate(shown):
        gap = gaps.get((company, year or 0))
        bars.append(
            CompanyBar(
                company,
                float(x),
                None if gap else totals.get(company),
                soft.get(company, Decimal(0)),
                "; ".join(sorted(gap)) if gap else None,
                units.get(company),
                no_units.get(company, 0),
            )
        )
    year_gaps = {k: v for k, v in gaps.items() if k[1] == year}
    warnings = group_gap_warnings(year_gaps)
    missing = tuple(sorted({reason for per in year_gaps.values() for reason in per}))
    return CompanyChartFigures(
        year, currency, tuple(bars), figures, warnings, all_companies, missing
    )


class _Panel:
    """One bar panel (spend or units): plot, firm and estimate bars, value labels."""

    def __init__(self, plot: pg.PlotItem, colour: str) -> None:
        self.plot = plot
        self.colour = QColor(colour)
        self.firm = pg.BarGraphItem(
            x=np.zeros(0), height=np.zeros(0), y0=np.zeros(0), width=BAR_WIDTH, brushes=[]
        )
        self.tint = pg.BarGraphItem(
            x=np.zeros(0), height=np.zeros(0), y0=np.zeros(0), width=BAR_WIDTH, brushes=[]
        )
        self.hatch = pg.BarGraphItem(
            x=np.zeros(0), height=np.zeros(0), y0=np.zeros(0), width=BAR_WIDTH, brushes=[]
        )
        for item in (self.firm, self.tint, self.hatch):
            plot.addItem(item)
        self.labels: list[pg.TextItem] = []
        self.choices: list[tuple[tuple[str, QFont], ...]] = []


class CompanyComparisonChart(ChartBase):
    """Total spend (top) and chips ordered (bottom) per company, side by side, for one year."""

    def __init__(self, data: ChartData, parent: QWidget | None = None) -> None:
        super().__init__(data, parent)
        self._year: int | None = None
        self._all_companies = False
        self._figures: CompanyChartFigures | None = None
        self.layout_widget = pg.GraphicsLayoutWidget(parent=self)
        self.layout_widget.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._spend_axis = ScaledAxis("left")
        self._units_axis = ScaledAxis("left")
        self._bottom = BarAxis()
        top = self.layout_widget.addPlot(
            row=0, col=0, axisItems={"left": self._spend_axis, "bottom": BarAxis()}
        )
        bottom = self.layout_widget.addPlot(
            row=1, col=0, axisItems={"left": self._units_axis, "bottom": self._bottom}
        )
        top.getAxis("bottom").setHeight(4)
        bottom.setXLink(top)
        self._spend = _Panel(top, SPEND_SERIES)
        self._units = _Panel(bottom, UNITS_SERIES)
        for plot in (top, bottom):
            plot.showGrid(x=False, y=True, alpha=0.35)
        self._empty = pg.TextItem("", anchor=(0.5, 0.5))
        top.addItem(self._empty, ignoreBounds=True)
        self._layout.addWidget(self.layout_widget, 1)
        self._layout.addWidget(self.legend)
        self._spend.plot.getViewBox().sigResized.connect(self._fit_labels)
        scene = self.layout_widget.scene()
        scene.sigMouseMoved.connect(self._on_mouse_moved)
        scene.sigMouseClicked.connect(self._on_mouse_clicked)
        self._apply_theme()

    def set_year(self, year: int | None) -> None:
        """Compare companies in *year*."""
        if year != self._year:
            self._year = year
            self.invalidate()

    def set_all_companies(self, on: bool) -> None:
        """Also show companies without figures in the year (default: only those with)."""
        if on != self._all_companies:
            self._all_companies = on
            self.invalidate()

    @property
    def all_companies(self) -> bool:
        """True when companies without figures are shown too."""
        return self._all_companies

    def current_figures(self) -> CompanyChartFigures:
        """The numbers behind every bar, as drawn now."""
        self.ensure_current()
        assert self._figures is not None
        return self._figures

    # -- drawing ----------------------------------------------------------------------------
    def _apply_theme(self) -> None:
        theme = self.theme
        self.layout_widget.setBackground(theme.background)
        font = self.chart_font()
        for panel in (self._spend, self._units):
            style_plot(panel.plot, theme, font)
        self._spend.plot.getAxis("bottom").setHeight(4)
        # one width for both value axes, so the two panels' bars line up
        fm = QFontMetricsF(font)
        width = round(fm.horizontalAdvance("888.8B") + fm.height() * 1.3 + 8)
        for axis in (self._spend_axis, self._units_axis):
            axis.setWidth(width)

    def _redraw(self) -> None:
        figs = compute_company_chart(self._data, self._year, self._all_companies)
        self._figures = figs
        spend_values = [(b.x, b.spend, b.spend_soft) for b in figs.bars if b.spend is not None]
        unit_values = [
            (b.x, Decimal(b.units), Decimal(0)) for b in figs.bars if b.units is not None
        ]
        self._fill(self._spend, spend_values)
        self._fill(self._units, unit_values)
        bold, plain, small = (
            self.chart_font(bold=True),
            self.chart_font(),
            self.chart_font(0.85),
        )
        small_bold, smaller = self.chart_font(0.85, bold=True), self.chart_font(0.72)
        spend_labels: list[tuple[float, float | None, tuple[tuple[str, QFont], ...], bool]] = []
        for b in figs.bars:
            if b.spend is not None:
                # one number format everywhere: the same text, only smaller when crowded
                text = compact_money(b.spend, figs.currency)
                options = ((text, bold), (text, small_bold), (text, small), (text, smaller))
                spend_labels.append((b.x, float(b.spend), options, False))
            elif b.spend_note:
                options = (("⚠ no rate", plain), ("⚠", plain), ("⚠", plain), ("⚠", plain))
                spend_labels.append((b.x, None, options, True))
            else:
                options = (("no spend figures", small), ("—", small), ("—", small), ("—", small))
                spend_labels.append((b.x, None, options, False))
        unit_labels: list[tuple[float, float | None, tuple[tuple[str, QFont], ...], bool]] = []
        for b in figs.bars:
            if b.units is not None:
                text = format_units(b.units, compact=True)
                options = ((text, bold), (text, small_bold), (text, small), (text, smaller))
                unit_labels.append((b.x, float(b.units), options, False))
            else:
                options = (("no unit counts", small), ("—", small), ("—", small), ("—", small))
                unit_labels.append((b.x, None, options, False))
        n = max(1, len(figs.bars))
        for panel, values in ((self._spend, spend_values), (self._units, unit_values)):
            top = max((float(v) for _x, v, _s in values), default=0.0) or 1.0
            panel.plot.setYRange(0, top * HEADROOM, padding=0)
            axis = panel.plot.getAxis("left")
            axis.setStyle(showValues=bool(values))
            axis.setTicks(None if values else [[], []])  # no bare tick marks on an empty panel
            panel.plot.showGrid(x=False, y=bool(values), alpha=0.35)
        # at least three slots wide (two bars do not become walls), the bars in the middle
        middle, half = (n - 1) / 2 if figs.bars else 1.0, max(n, 3) / 2 + 0.1
        self._spend.plot.setXRange(middle - half, middle + half, padding=0)
        self._label(self._spend, spend_labels)
        self._label(self._units, unit_labels)
        self._bottom.set_labels([BarLabel(b.x, b.company) for b in figs.bars])
        self._spend_axis.setLabel(f"Spend ({figs.currency})")
        self._units_axis.setLabel("Chips ordered")
        entries = [
            LegendEntry(f"Total spend in {figs.year or '—'}", self._spend.colour),
            LegendEntry("Chips ordered (units)", self._units.colour),
        ]
        if any(b.spend_soft > 0 for b in figs.bars if b.spend is not None):
            entries.append(
                LegendEntry("Estimate or planned (hatched)", self.theme.muted, Swatch.HATCH)
            )
        self.legend.set_entries(entries)
        self.title_label.setText(figs.title)
        if figs.bars:
            self._empty.hide()
        else:
            year = figs.year or "the chosen year"
            self._empty.setText(f"No company has figures for {year}")
            self._empty.setColor(self.theme.muted)
            self._empty.setFont(self.chart_font())
            self._empty.setPos(middle, HEADROOM / 2)
            self._empty.show()
        self._show_notices(figs.warnings)

    def _fill(self, panel: _Panel, values: list[tuple[float, Decimal, Decimal]]) -> None:
        theme = self.theme
        separator = theme.pen(theme.separator, 1.0)
        firm = [(x, float(v - s)) for x, v, s in values if v - s > 0]
        soft = [(x, float(v - s), float(s)) for x, v, s in values if s > 0]
        panel.firm.setOpts(
            x=np.array([x for x, _h in firm]),
            y0=np.zeros(len(firm)),
            height=np.array([h for _x, h in firm]),
            width=BAR_WIDTH,
            brushes=[solid_brush(panel.colour)] * len(firm),
            pen=separator,
        )
        for item, brush in (
            (panel.tint, tint_brush(panel.colour, theme)),
            (panel.hatch, hatch_brush(panel.colour, theme)),
        ):
            item.setOpts(
                x=np.array([x for x, _y0, _h in soft]),
                y0=np.array([y0 for _x, y0, _h in soft]),
                height=np.array([h for _x, _y0, h in soft]),
                width=BAR_WIDTH,
                brushes=[brush] * len(soft),
                pen=separator,
            )

    def _label(
        self,
        panel: _Panel,
        specs: list[tuple[float, float | None, tuple[tuple[str, QFont], ...], bool]],
    ) -> None:
        """Value labels above bars ("no ..." notes at the baseline), fitted to the slots."""
        theme = self.theme
        while len(panel.labels) > len(specs):
            panel.plot.removeItem(panel.labels.pop())
        while len(panel.labels) < len(specs):
            item = text_item(theme, self.chart_font(), (0.5, 1.0))
            panel.plot.addItem(item, ignoreBounds=True)
            panel.labels.append(item)
        for item, (x, y, _options, warn) in zip(panel.labels, specs, strict=True):
            colour = theme.warning if warn else theme.foreground if y is not None else theme.muted
            item.setColor(colour)
            item.setPos(x, y or 0.0)
        panel.choices = [options for _x, _y, options, _w in specs]
        self._fit_labels()

    def _fit_labels(self) -> None:
        """Fit value labels to the bar slots (re-run when the chart is resized)."""
        for panel in (self._spend, self._units):
            fit_labels(panel.labels, panel.choices, slot_pixels(panel.plot.getViewBox()))

    # -- hover and click --------------------------------------------------------------------
    def hit(self, panel_name: str, x: float, y: float) -> CompanyBar | None:
        """The company bar at data point (x, y) of the "spend" or "units" panel."""
        if self._figures is None:
            return None
        for bar in self._figures.bars:
            if abs(x - bar.x) <= BAR_WIDTH / 2:
                value = bar.spend if panel_name == "spend" else bar.units
                if value is not None and 0 <= y <= float(value):
                    return bar
        return None

    def tooltip_for(self, panel_name: str, bar: CompanyBar) -> str:
        """Tooltip HTML for one bar."""
        figs = self._figures
        year = figs.year if figs else ""
        head = f"<b>{html.escape(bar.company)}</b> — {year}"
        if panel_name == "spend" and bar.spend is not None and figs is not None:
            text = f"{head}<br>Total spend: {exact_money(bar.spend, figs.currency)}"
            if bar.spend_soft > 0:
                soft = exact_money(bar.spend_soft, figs.currency)
                text += f"<br>of which estimate or planned: {soft}"
            return text + "<br><i>Click to show these investments</i>"
        text = f"{head}<br>Chips ordered: {format_units(bar.units or 0)}"
        if bar.units_missing:
            text += f"<br>{plural(bar.units_missing, 'order')} without units not counted"
        return text + "<br><i>Click to show these chip orders</i>"

    def _locate(self, scene_pos: QPointF) -> tuple[str, float, float] | None:
        for name, panel in (("spend", self._spend), ("units", self._units)):
            vb = panel.plot.getViewBox()
            if vb.sceneBoundingRect().contains(scene_pos):
                p = vb.mapSceneToView(scene_pos)
                return name, p.x(), p.y()
        return None

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        where = self._locate(scene_pos)
        bar = None if where is None else self.hit(*where)
        text = None if where is None or bar is None else self.tooltip_for(where[0], bar)
        self._show_tooltip(text, self.layout_widget)

    def _on_mouse_clicked(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        where = self._locate(event.scenePos())
        bar = None if where is None else self.hit(*where)
        if where is not None and bar is not None:
            self.segment_clicked.emit(self.filter_for(where[0], bar))

    def filter_for(self, panel_name: str, bar: CompanyBar) -> dict[str, object]:
        """The table filter that shows the rows behind a bar."""
        return {
            "table": "investments" if panel_name == "spend" else "chip_orders",
            "company": bar.company,
            "year": self._figures.year if self._figures else None,
            "category": None,
            "region": None,
            "supplier": None,
        }
