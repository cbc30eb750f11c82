"""``capex-gui export-chart DB --chart KIND -o FILE``: a chart as the window draws it."""

from __future__ import annotations

from pathlib import Path

from capex_gui.app.cli.base import command, currency_code, fail, parser_for, warn
from capex_gui.errors import CapexError


@command("export-chart", "render a chart to PNG, SVG or PDF with no window")
def cmd_export_chart(argv: list[str]) -> int:
    """Render a chart to PNG, SVG or PDF without showing a window."""
    parser = parser_for(
        "export-chart",
        "Render a chart of DB to an image file, exactly as the window draws it. Needs no "
        "display. The format follows the file's extension unless --format is given.",
    )
    parser.add_argument("db", help="a .capex file or an SQLAlchemy URL")
    parser.add_argument(
        "--chart", required=True, choices=["spend", "suppliers", "companies", "trend"]
    )
    parser.add_argument(
        "--company",
        help="company to show (spend, suppliers and trend charts; default: all companies)",
    )
    parser.add_argument(
        "--year", type=int, help="year (suppliers and companies charts; default: the latest)"
    )
    parser.add_argument("--metric", choices=["value", "units"], default="value")
    parser.add_argument("--split", choices=["category", "region"], default="category")
    parser.add_argument(
        "--all-companies",
        action="store_true",
        help="companies chart: also show companies with no figures in the year",
    )
    parser.add_argument(
        "--step",
        choices=["quarter", "year"],
        default="quarter",
        help="trend chart: per quarter or year",
    )
    parser.add_argument(
        "--periods",
        choices=["calendar", "fiscal"],
        default="calendar",
        help="trend chart: calendar periods, or the fiscal periods of --company",
    )
    parser.add_argument(
        "--spread-spans",
        action="store_true",
        help="trend chart: spread each span of years evenly over its years, as an estimate",
    )
    parser.add_argument("--currency", type=currency_code, default=None, help="display currency")
    parser.add_argument("--format", choices=["png", "svg", "pdf"])
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--scale", type=float, default=1.0, help="PNG pixels per point")
    parser.add_argument("--title", default="", help="title above the chart")
    parser.add_argument("--no-footnote", action="store_true", help="leave out the source line")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the file to write")
    args = parser.parse_args(argv)
    from capex_gui.app.headless import export_chart_file

    try:
        written, warnings = export_chart_file(args)
    except CapexError as exc:
        return fail(str(exc))
    for line in warnings:
        warn(line)
    print(f"wrote {written}")
    return 0
