"""``capex-gui export-chart``: the window's charts rendered with no window and no display."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from capex_gui.errors import CapexError

if TYPE_CHECKING:
    import argparse
    from pathlib import Path


def _quiet_qt() -> None:
    """Route Qt's own messages into logging (debug level) so errors stay one line on stderr."""
    import logging

    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    log = logging.getLogger("qt")

    def handler(mode: QtMsgType, _context: object, message: str) -> None:
        level = logging.ERROR if mode == QtMsgType.QtFatalMsg else logging.DEBUG
        log.log(level, "%s", message)

    qInstallMessageHandler(handler)


def export_chart_file(args: argparse.Namespace) -> Path:
    """Validate the request, render the chart, write the file; nothing is written on error."""
    # No display needed: use Qt's offscreen platform unless the caller chose one.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from capex_gui.app.application import create_application
    from capex_gui.domain.analytics import Metric
    from capex_gui.export.chart_export import (
        ChartKind,
        ChartSelection,
        build_chart,
        chart_facts,
        export_selection,
        footnote_for,
    )
    from capex_gui.export.render import ExportFormat, ExportOptions
    from capex_gui.storage.database import open_database
    from capex_gui.storage.repository import Repository
    from capex_gui.store.store import CapexStore
    from capex_gui.widgets.charts.chart_data import ChartData
    from capex_gui.widgets.charts.spend_chart import Split

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
    _quiet_qt()
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
        year = args.year
        if year is None and args.chart == "companies":
            year = max(data.years(), default=None)  # the latest year, as the window starts
        elif year is None and args.chart == "suppliers":
            # the latest year that has something to draw for this company and metric
            for candidate in sorted(data.order_years(args.company), reverse=True):
                probe = ChartSelection(
                    ChartKind.SUPPLIERS, args.company, candidate, Metric(args.metric)
                )
                chart = build_chart(data, probe)
                empty = chart_facts(chart, data).empty
                chart.deleteLater()
                if not empty:
                    year = candidate
                    break
        selection = ChartSelection(
            ChartKind(args.chart), args.company, year, Metric(args.metric), Split(args.split)
        )
        if not args.no_footnote:
            chart = build_chart(data, selection)
            options = ExportOptions(
                options.format,
                options.width,
                options.height,
                options.scale,
                title=options.title,
                footnote=footnote_for(chart_facts(chart, data)),
            )
            chart.deleteLater()
        return export_selection(data, selection, output, options)
    finally:
        database.close()
