"""Export a chart as the window shows it: a fresh, light-themed copy at the requested size.

The on-screen chart is never resized or recoloured: each export builds its own chart widget
over the same ChartData (no database read), applies the same selection, renders it, and
discards it. So an export is the same whatever the window's size, theme or screen DPI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from capex_gui.domain.evidence import NO_SOURCE
from capex_gui.errors import CapexError
from capex_gui.export.footnote import build_footnote, sources_line
from capex_gui.export.metadata import export_metadata
from capex_gui.export.render import ExportOptions, copy_to_clipboard, export_chart
from capex_gui.widgets.charts.common import group_gap_warnings
from capex_gui.widgets.charts.company_chart import CompanyComparisonChart
from capex_gui.widgets.charts.selection import ChartKind, ChartSelection, Split
from capex_gui.widgets.charts.spend_chart import SpendBreakdownChart
from capex_gui.widgets.charts.supplier_chart import SupplierShareChart
from capex_gui.widgets.charts.trend_chart import TrendChart

if TYPE_CHECKING:
    from collections import Counter
    from collections.abc import Iterable
    from pathlib import Path

    from PySide6.QtCore import QMimeData

    from capex_gui.domain.periods import Period
    from capex_gui.widgets.charts.chart_data import ChartData
    from capex_gui.widgets.charts.common import ChartBase

__all__ = [
    "ChartFacts",
    "ChartKind",
    "ChartSelection",
    "Split",
    "build_chart",
    "chart_facts",
    "copy_selection",
    "default_file_name",
    "describe",
    "export_selection",
    "footnote_for",
    "kind_of",
]


def kind_of(chart: ChartBase) -> ChartKind:
    """Which kind a chart widget is."""
    if isinstance(chart, SpendBreakdownChart):
        return ChartKind.SPEND
    if isinstance(chart, SupplierShareChart):
        return ChartKind.SUPPLIERS
    if isinstance(chart, CompanyComparisonChart):
        return ChartKind.COMPANIES
    if isinstance(chart, TrendChart):
        return ChartKind.TREND
    raise TypeError(f"{type(chart).__name__} is not a chart that exports")


def build_chart(data: ChartData, selection: ChartSelection) -> ChartBase:
    """A new chart widget (no parent, light palette) showing *selection* from *data*."""
    chart: ChartBase
    if selection.kind is ChartKind.SPEND:
        spend = SpendBreakdownChart(data)
        spend.set_companies(None if selection.company is None else [selection.company])
        spend.set_split(selection.split)
        chart = spend
    elif selection.kind is ChartKind.SUPPLIERS:
        suppliers = SupplierShareChart(data)
        suppliers.set_selection(selection.company, selection.year, selection.metric)
        chart = suppliers
    elif selection.kind is ChartKind.TREND:
        trend = TrendChart(data)
        trend.set_companies(None if selection.company is None else [selection.company])
        trend.set_step(selection.step)
        trend.set_basis(selection.basis)
        trend.set_spread_spans(selection.spread_spans)
        chart = trend
    else:
        companies = CompanyComparisonChart(data)
        companies.set_year(selection.year)
        companies.set_all_companies(selection.all_companies)
        chart = companies
    style = QApplication.style()
    chart.setPalette(style.standardPalette())  # exports are for slides: always the light theme
    chart.refresh()
    return chart


@dataclass(frozen=True)
class ChartFacts:
    """What a drawn chart rests on: for the footnote and the file's metadata."""

    title: str
    sources: frozenset[str]  # named sources of the figures drawn
    has_estimates: bool
    notes: tuple[str, ...]  # what the chart's notice line says (left out, not drawn)
    empty: bool
    unsourced: int = 0  # figures drawn that have no source
    missing_rates: tuple[str, ...] = ()  # "no EUR rate for 2025": what would be drawn needs it
    period_note: str = ""  # how periods are placed (the chart's own note line says it too)
    estimates_drawn: str = "hatched"  # how the chart draws estimates and plans

    def sources_text(self) -> str:
        """ "Financial Times (reported); 1 figure without a source" (for metadata)."""
        return sources_line(self.sources, self.unsourced)


def _tally(counters: list[Counter[str]]) -> tuple[set[str], int]:
    named: set[str] = set()
    unsourced = 0
    for counter in counters:
        for name, n in counter.items():
            if name == NO_SOURCE:
                unsourced += n
            elif n > 0:
                named.add(name)
    return named, unsourced


def chart_facts(chart: ChartBase, data: ChartData) -> ChartFacts:
    """Sources (and figures without one), estimates and notes behind what *chart* draws."""
    chart.ensure_current()
    counters: list[Counter[str]] = []
    soft = False
    notes: list[str] = []
    missing: tuple[str, ...] = ()
    period_note = ""
    empty: bool
    if isinstance(chart, SpendBreakdownChart):
        figs = chart.current_figures()
        for bar in figs.bars:
            for seg in bar.segments:
                counters.append(seg.sources)
                soft = soft or seg.soft > 0
        notes.extend(figs.warnings)
        missing = tuple(sorted({r for m in figs.missing for r in m.reasons}))
        empty = not figs.bars
    elif isinstance(chart, SupplierShareChart):
        sfigs = chart.current_figures()
        for sl in sfigs.slices:
            counters.append(sl.sources)
            soft = soft or sl.soft_orders > 0
        notes.extend(sfigs.notes)
        missing = sfigs.missing_rates
        empty = not sfigs.slices
    elif isinstance(chart, CompanyComparisonChart):
        cfigs = chart.current_figures()
        spent = {b.company for b in cfigs.bars if b.spend is not None}
        counted = {b.company for b in cfigs.bars if b.units is not None}
        for key, counter in data.spend_evidence.sources.items():
            if key.year == cfigs.year and key.company in spent:
                counters.append(counter)
        for (company, year, _supplier), counter in data.order_evidence.sources.items():
            if year == cfigs.year and company in counted:
                counters.append(counter)
        soft = any(b.spend_soft > 0 for b in cfigs.bars if b.spend is not None)
        notes.extend(cfigs.warnings)
        missing = cfigs.missing_rates
        empty = not spent and not counted
    elif isinstance(chart, TrendChart):
        tfigs = chart.current_figures()
        drawn = {(p.company, y) for p in tfigs.points for y in _years(p.periods)}
        drawn |= {(b.company, y) for b in tfigs.bands for y in _years([b.period])}
        for key, counter in data.spend_evidence.sources.items():
            if (key.company, key.year) in drawn:
                counters.append(counter)
        soft = any(p.is_estimate for p in tfigs.points) or any(b.soft for b in tfigs.bands)
        notes.extend(group_gap_warnings(tfigs.gaps))
        missing = tuple(sorted({r for per in tfigs.gaps.values() for r in per}))
        period_note = chart.footnote()
        empty = not tfigs.points and not tfigs.bands
    else:
        raise TypeError(f"{type(chart).__name__} is not a chart that exports")
    named, unsourced = _tally(counters)
    return ChartFacts(
        chart.title_label.text(),
        frozenset(named),
        soft,
        tuple(notes),
        empty,
        unsourced,
        missing,
        period_note,
        "dashed" if isinstance(chart, TrendChart) else "hatched",
    )


def _years(periods: Iterable[Period]) -> set[int]:
    """The calendar years figures of these periods are kept under (their FX year)."""
    return {p.calendar_year for p in periods}


def default_file_name(selection: ChartSelection) -> str:
    """e.g. "suppliers-ByteDance-2025-value"."""
    who = "all" if selection.kind is ChartKind.COMPANIES else selection.company or "all"
    parts = [selection.kind.value, who]
    uses_year = selection.kind in (ChartKind.SUPPLIERS, ChartKind.COMPANIES)
    if uses_year and selection.year is not None:
        parts.append(str(selection.year))
    if selection.kind is ChartKind.SUPPLIERS:
        parts.append(selection.metric.value)
    if selection.kind is ChartKind.SPEND:
        parts.append(selection.split.value)
    if selection.kind is ChartKind.TREND:
        parts += [f"{selection.basis.value}-{selection.step.value}s"]
        if selection.spread_spans:
            parts.append("spread")
    return re.sub(r"[^\w.-]+", "_", "-".join(parts))


def footnote_for(facts: ChartFacts) -> str:
    """The default footnote of an export."""
    return build_footnote(
        facts.sources,
        unsourced=facts.unsourced,
        has_estimates=facts.has_estimates,
        notes=facts.notes,
        estimates_drawn=facts.estimates_drawn,
    )


def finish_options(
    chart: ChartBase, data: ChartData, selection: ChartSelection, options: ExportOptions
) -> ExportOptions:
    """Metadata attached, the export title put in the chart's own title line."""
    facts = chart_facts(chart, data)
    if options.title:
        chart.title_label.setText(options.title)
    metadata = export_metadata(
        chart=selection.kind.label,
        title=options.title or facts.title,
        shows=facts.title,
        filters=selection.filters(),
        currency=data.currency,
        fx_rates=data.store.fx_rates(),
        sources=facts.sources_text(),
    )
    return replace(options, title="", metadata={**metadata, **options.metadata})


def export_selection(
    data: ChartData, selection: ChartSelection, path: Path, options: ExportOptions
) -> Path:
    """Build the chart, check it has something to show, and write it."""
    chart = build_chart(data, selection)
    try:
        check_drawable(chart_facts(chart, data), selection)
        return export_chart(chart, path, finish_options(chart, data, selection, options))
    finally:
        chart.deleteLater()


def check_drawable(facts: ChartFacts, selection: ChartSelection) -> None:
    """Raise CapexError naming why an empty chart is empty (a missing FX rate, or no data)."""
    if not facts.empty:
        return
    if facts.missing_rates:
        rates = "; ".join(facts.missing_rates)
        add = "Add the rate" if len(facts.missing_rates) == 1 else "Add the rates"
        raise CapexError(f"nothing to draw: {rates}. {add} under FX rates")
    raise CapexError(f"nothing to draw: {describe(selection)} has no figures")


def copy_selection(data: ChartData, selection: ChartSelection, options: ExportOptions) -> QMimeData:
    """Put the chart on the clipboard as PNG and SVG."""
    chart = build_chart(data, selection)
    try:
        return copy_to_clipboard(chart, finish_options(chart, data, selection, options))
    finally:
        chart.deleteLater()


def describe(selection: ChartSelection) -> str:
    """Words for a selection in messages."""
    return selection.describe()
