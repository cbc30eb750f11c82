"""``capex-gui export-chart``: the window's charts rendered with no window and no display."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING

from capex_gui.errors import CapexError

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from capex_gui.widgets.charts.chart_data import ChartData
    from capex_gui.widgets.charts.selection import ChartSelection


def quiet_qt() -> None:
    """Route Qt's own messages into logging (debug level), so a command's stderr holds only
    what it says itself ("This plugin does not support propagateSizeHints()" is Qt's offscreen
    platform talking, not news for the user)."""
    import logging

    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    log = logging.getLogger("qt")

    def handler(mode: QtMsgType, _context: object, message: str) -> None:
        level = logging.ERROR if mode == QtMsgType.QtFatalMsg else logging.DEBUG
        log.log(level, "%s", message)

    qInstallMessageHandler(handler)


def _latest_drawable_year(data: ChartData, selection: ChartSelection) -> int | None:
    """The latest year in which the supplier chart of *selection* has something to draw."""
    from capex_gui.export.chart_export import build_chart, chart_facts

    for candidate in sorted(data.order_years(selection.company), reverse=True):
        chart = build_chart(data, replace(selection, year=candidate))
        try:
            if not chart_facts(chart, data).empty:
                return candidate
        finally:
            chart.deleteLater()
    return None


def _unused_options(args: argparse.Namespace) -> list[str]:
    """Options the chosen chart does not read: said, so nobody thinks they were applied."""
    unused = []
    if args.chart == "spend" and args.year is not None:
        unused.append("--year (the spend chart shows every year)")
    if args.chart == "companies" and args.company is not None:
        unused.append("--company (the companies chart shows every company)")
    if args.chart != "suppliers" and args.metric != "value":
        unused.append("--metric (only the suppliers chart has one)")
    if args.chart != "spend" and args.split != "category":
        unused.append("--split (only the spend chart has one)")
    if args.chart != "companies" and args.all_companies:
        unused.append("--all-companies (only the companies chart has it)")
    if args.chart == "trend" and args.periods == "fiscal" and args.company is None:
        unused.append(
            "--periods fiscal without --company (companies are compared on calendar periods)"
        )
    if args.chart == "trend" and args.year is not None:
        unused.append("--year (the trend chart shows every year)")
    if args.chart != "trend":
        for option, default in (("step", "quarter"), ("periods", "calendar")):
            if getattr(args, option) != default:
                unused.append(f"--{option} (only the trend chart has it)")
        if args.spread_spans:
            unused.append("--spread-spans (only the trend chart has it)")
    return [f"{option} is not used" for option in unused]


def export_chart_file(args: argparse.Namespace) -> tuple[Path, list[str]]:
    """Validate the request, render the chart, write the file; nothing is written on error.

    Returns the file written and warnings for stderr: options the chart does not use, and what
    the chart's notice line says (figures left out, missing FX rates).
    """
    # No display needed: use Qt's offscreen platform unless the caller chose one.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from capex_gui.app.application import create_application
    from capex_gui.domain.analytics import Metric
    from capex_gui.domain.trend import TrendBasis, TrendStep
    from capex_gui.export.chart_export import (
        build_chart,
        chart_facts,
        check_drawable,
        export_selection,
        footnote_for,
    )
    from capex_gui.export.render import ExportFormat, ExportOptions
    from capex_gui.storage.database import open_database
    from capex_gui.storage.repository import Repository
    from capex_gui.store.store import CapexStore
    from capex_gui.widgets.charts.chart_data import ChartData
    from capex_gui.widgets.charts.selection import ChartKind, ChartSelection, Split

    output: Path = args.output.expanduser()
    fmt = ExportFormat(args.format) if args.format else ExportFormat.from_path(output)
    if not output.parent.is_dir():
        raise CapexError(f"the folder {output.parent} does not exist")
    if not os.access(output.parent, os.W_OK):
        raise CapexError(f"cannot write into {output.parent}")
    options = ExportOptions(
        fmt,
        args.width,
        args.height,
        args.scale if fmt is ExportFormat.PNG else 1.0,
        title=args.title,
    )
    quiet_qt()
    create_application()
    database = open_database(args.db)
    try:
        store = CapexStore(Repository(database.engine))
        if args.currency:
            store.set_display_currency(args.currency)
        companies = [c.name for c in store.companies()]
        if args.company is not None and args.company not in companies:
            known = ", ".join(companies) or "none yet"
            raise CapexError(f"no company called {args.company!r} (known: {known})")
        data = ChartData(store)
        if args.year is not None and args.year not in data.years():
            raise CapexError(f"no figures for {args.year} in {database.label}")
        kind = ChartKind(args.chart)
        selection = ChartSelection(
            kind,
            args.company if kind is not ChartKind.COMPANIES else None,
            args.year if kind not in (ChartKind.SPEND, ChartKind.TREND) else None,
            Metric(args.metric),
            Split(args.split),
            bool(args.all_companies),
            TrendStep(args.step),
            TrendBasis(args.periods),
            bool(args.spread_spans),
        )
        if selection.year is None and kind not in (ChartKind.SPEND, ChartKind.TREND):
            # as the window starts: the latest year (with something to draw, for suppliers)
            year = _latest_drawable_year(data, selection) if kind is ChartKind.SUPPLIERS else None
            selection = replace(selection, year=year or max(data.years(), default=None))
        chart = build_chart(data, selection)
        try:
            facts = chart_facts(chart, data)
        finally:
            chart.deleteLater()
        check_drawable(facts, selection)  # names a missing FX rate, as the window does
        if not args.no_footnote:
            options = replace(options, footnote=footnote_for(facts))
        written = export_selection(data, selection, output, options)
        return written, [*_unused_options(args), *facts.notes]
    finally:
        database.close()
