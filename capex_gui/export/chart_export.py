"""Export a chart as the window shows it: a fresh, light-themed copy at the requested size.

The on-screen chart is never resized or recoloured: each export builds its own chart widget
over the same ChartData (no database read), applies the same selection, renders it, and
discards it. So an export is the same whatever the window's size, theme or screen DPI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from capex_gui.domain.analytics import Metric
from capex_gui.domain.evidence import NO_SOURCE
from capex_gui.errors import CapexError
from capex_gui.export.footnote import build_footnote
from capex_gui.export.metadata import export_metadata
from capex_gui.export.render import ExportOptions, copy_to_clipboard, export_chart
from capex_gui.widgets.charts.company_chart import CompanyComparisonChart
from capex_gui.widgets.charts.spend_chart import SpendBreakdownChart, Split
from capex_gui.widgets.charts.supplier_chart import SupplierShareChart

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtCore import QMimeData

    from capex_gui.widgets.charts.chart_data import ChartData
    from capex_gui.widgets.charts.common import ChartBase


class ChartKind(StrEnum):
    """The charts that export."""

    SPEND = "spend"
    SUPPLIERS = "suppliers"
    COMPANIES = "companies"

    @property
    def label(self) -> str:
        """Name used in file names and metadata."""
        return {
            "spend": "Spend breakdown",
            "suppliers": "Supplier shares",
            "companies": "Company comparison",
        }[self.value]


@dataclass(frozen=True)
class ChartSelection:
    """What a chart shows: the selectors of the chart area, or of the command line."""

    kind: ChartKind
    company: str | None = None
    year: int | None = None
    metric: Metric = Metric.VALUE
    split: Split = Split.CATEGORY


def kind_of(chart: ChartBase) -> ChartKind:
    """Which kind a chart widget is."""
    if isinstance(chart, SpendBreakdownChart):
        return ChartKind.SPEND
    if isinstance(chart, SupplierShareChart):
        return ChartKind.SUPPLIERS
    if isinstance(chart, CompanyComparisonChart):
        return ChartKind.COMPANIES
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
    else:
        companies = CompanyComparisonChart(data)
        companies.set_year(selection.year)
        chart = companies
    style = QApplication.style()
    chart.setPalette(style.standardPalette())  # exports are for slides: always the light theme
    chart.refresh()
    return chart


@dataclass(frozen=True)
class ChartFacts:
    """What a drawn chart rests on: for the footnote and the file's metadata."""

    title: str
    sources: frozenset[str]
    has_estimates: bool
    notes: tuple[str, ...]
    empty: bool


def chart_facts(chart: ChartBase, data: ChartData) -> ChartFacts:
    """Sources, estimates and notes behind what *chart* draws right now."""
    chart.ensure_current()
    sources: set[str] = set()
    soft = False
    notes: list[str] = []
    empty: bool
    if isinstance(chart, SpendBreakdownChart):
        figs = chart.current_figures()
        for bar in figs.bars:
            for seg in bar.segments:
                sources.update(seg.sources)
                soft = soft or seg.soft > 0
        notes.extend(figs.warnings)
        empty = not figs.bars
    elif isinstance(chart, SupplierShareChart):
        sfigs = chart.current_figures()
        for sl in sfigs.slices:
            sources.update(sl.sources)
            soft = soft or sl.soft_orders > 0
        notes.extend(sfigs.notes)
        empty = not sfigs.slices
    elif isinstance(chart, CompanyComparisonChart):
        cfigs = chart.current_figures()
        shown = {b.company for b in cfigs.bars}
        for key, counter in data.spend_evidence.sources.items():
            if key.year == cfigs.year and key.company in shown:
                sources.update(counter)
        for (company, year, _supplier), counter in data.order_evidence.sources.items():
            if year == cfigs.year and company in shown:
                sources.update(counter)
        soft = any(b.spend_soft > 0 for b in cfigs.bars)
        notes.extend(cfigs.warnings)
        empty = not any(b.spend is not None or b.units for b in cfigs.bars)
    else:
        raise TypeError(f"{type(chart).__name__} is not a chart that exports")
    sources.discard(NO_SOURCE)
    return ChartFacts(chart.title_label.text(), frozenset(sources), soft, tuple(notes), empty)


def default_file_name(selection: ChartSelection) -> str:
    """e.g. "suppliers-ByteDance-2025-value"."""
    parts = [selection.kind.value, selection.company or "all"]
    if selection.kind is not ChartKind.SPEND and selection.year is not None:
        parts.append(str(selection.year))
    if selection.kind is ChartKind.SUPPLIERS:
        parts.append(selection.metric.value)
    if selection.kind is ChartKind.SPEND:
        parts.append(selection.split.value)
    return re.sub(r"[^\w.-]+", "_", "-".join(parts))


def footnote_for(facts: ChartFacts) -> str:
    """The default footnote of an export."""
    return build_footnote(facts.sources, has_estimates=facts.has_estimates, notes=facts.notes)


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
        filters={
            "company": selection.company,
            "year": selection.year,
            "metric": selection.metric.value if selection.kind is ChartKind.SUPPLIERS else None,
            "split": selection.split.value if selection.kind is ChartKind.SPEND else None,
        },
        currency=data.currency,
        fx_rates=data.store.fx_rates(),
        sources=facts.sources,
    )
    return replace(options, title="", metadata={**metadata, **options.metadata})


def export_selection(
    data: ChartData, selection: ChartSelection, path: Path, options: ExportOptions
) -> Path:
    """Build the chart, check it has something to show, and write it."""
    chart = build_chart(data, selection)
    try:
        if chart_facts(chart, data).empty:
            raise CapexError(f"nothing to draw: {describe(selection)} has no figures")
        return export_chart(chart, path, finish_options(chart, data, selection, options))
    finally:
        chart.deleteLater()


def copy_selection(data: ChartData, selection: ChartSelection, options: ExportOptions) -> QMimeData:
    """Put the chart on the clipboard as PNG and SVG."""
    chart = build_chart(data, selection)
    try:
        return copy_to_clipboard(chart, finish_options(chart, data, selection, options))
    finally:
        chart.deleteLater()


def describe(selection: ChartSelection) -> str:
    """Words for a selection in messages."""
    who = selection.company or "all companies"
    when = f" in {selection.year}" if selection.year is not None else ""
    return f"the {selection.kind.label.lower()} chart for {who}{when}"
