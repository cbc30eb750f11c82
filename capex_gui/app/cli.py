"""The ``capex-gui`` command line: open the window, write the sample, print the analytics."""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from capex_gui import APP_NAME, __version__
from capex_gui.domain.analytics import Summary, summarize
from capex_gui.domain.currencies import DEFAULT_DISPLAY_CURRENCY, is_known_currency
from capex_gui.domain.fx import FxTable
from capex_gui.domain.money import CENT
from capex_gui.domain.parsing import format_amount
from capex_gui.errors import CapexError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

#: Subcommands; anything else is the GUI's optional DB argument.
COMMANDS: dict[str, Callable[[list[str]], int]] = {}


def _command(name: str) -> Callable[[Callable[[list[str]], int]], Callable[[list[str]], int]]:
    def register(fn: Callable[[list[str]], int]) -> Callable[[list[str]], int]:
        COMMANDS[name] = fn
        return fn

    return register


class _Parser(argparse.ArgumentParser):
    """Argument errors in one line (the usage is one --help away)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _fail(message: str) -> int:
    print(f"capex-gui: error: {message}", file=sys.stderr)
    return 2


def _currency(text: str) -> str:
    code = text.strip().upper()
    if not is_known_currency(code):
        raise argparse.ArgumentTypeError(f"{text!r} is not a currency code this app knows")
    return code


@_command("sample")
def cmd_sample(argv: list[str]) -> int:
    """Write the sample database to a new file."""
    parser = _Parser(
        prog="capex-gui sample",
        description="Write the sample data (the Financial Times report on ByteDance) to a new "
        ".capex file. Refuses to overwrite an existing file.",
    )
    parser.add_argument("path", type=Path, help="the new database file, e.g. sample.capex")
    args = parser.parse_args(argv)
    from capex_gui.app.paths import create_sample_database

    path: Path = args.path
    if path.exists():
        return _fail(f"{path} exists already; choose a new file name")
    try:
        create_sample_database(path).close()
    except CapexError as exc:
        return _fail(str(exc))
    print(f"wrote the sample data to {path}")
    return 0


@_command("summary")
def cmd_summary(argv: list[str]) -> int:
    """Print the analytics of a database."""
    parser = _Parser(
        prog="capex-gui summary",
        description="Print spend per company, year, category and region, and supplier shares.",
    )
    parser.add_argument("db", help="a .capex file or an SQLAlchemy URL")
    parser.add_argument(
        "--currency",
        type=_currency,
        default=DEFAULT_DISPLAY_CURRENCY,
        help="display currency (default: USD)",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)
    from capex_gui.storage.database import open_database
    from capex_gui.storage.repository import Repository

    try:
        db = open_database(args.db)
        try:
            repo = Repository(db.engine)
            summary = summarize(
                repo.investments(),
                repo.chip_orders(),
                repo.countries(),
                FxTable.from_rates(repo.fx_rates()),
                args.currency,
            )
        finally:
            db.close()
    except CapexError as exc:
        return _fail(str(exc))
    if args.json:
        print(json.dumps(summary_json(summary), indent=2, ensure_ascii=False))
    else:
        print(summary_text(summary))
    return 0


@_command("screenshot")
def cmd_screenshot(argv: list[str]) -> int:
    """Render the main window to a PNG."""
    parser = _Parser(
        prog="capex-gui screenshot",
        description="Render the main window on DB to a PNG, as the app draws it.",
    )
    parser.add_argument("db", help="a .capex file or an SQLAlchemy URL")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the PNG to write")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument("--dark", action="store_true", help="use a dark palette")
    parser.add_argument("--tab", type=int, default=0, help="0: investments, 1: chip orders")
    args = parser.parse_args(argv)
    from capex_gui.app.screenshot import render_window

    try:
        render_window(
            args.db, args.output, width=args.width, height=args.height, dark=args.dark, tab=args.tab
        )
    except CapexError as exc:
        return _fail(str(exc))
    print(f"wrote {args.output}")
    return 0


def _desktop(argv: list[str], *, install: bool) -> int:
    name = "install-desktop" if install else "uninstall-desktop"
    _Parser(
        prog=f"capex-gui {name}",
        description="Add the app to your desktop's menu, with its icon, and open .capex files "
        "with it on double-click (Linux, for your user only, no root); uninstall-desktop "
        "removes exactly that again.",
    ).parse_args(argv)
    from capex_gui.app.desktop import install_desktop, uninstall_desktop

    try:
        report = install_desktop() if install else uninstall_desktop()
    except CapexError as exc:
        return _fail(str(exc))
    print("\n".join(report.lines()))
    return 0


@_command("install-desktop")
def cmd_install_desktop(argv: list[str]) -> int:
    """Desktop entry, icon and .capex file type for this user (Linux)."""
    return _desktop(argv, install=True)


@_command("uninstall-desktop")
def cmd_uninstall_desktop(argv: list[str]) -> int:
    """Remove what install-desktop wrote."""
    return _desktop(argv, install=False)


@_command("export-chart")
def cmd_export_chart(argv: list[str]) -> int:
    """Render a chart to PNG, SVG or PDF without showing a window."""
    parser = _Parser(
        prog="capex-gui export-chart",
        description="Render a chart of DB to an image file, exactly as the window draws it. "
        "Needs no display. The format follows the file's extension unless --format is given.",
    )
    parser.add_argument("db", help="a .capex file or an SQLAlchemy URL")
    parser.add_argument("--chart", required=True, choices=["spend", "suppliers", "companies"])
    parser.add_argument("--company", help="company to show (default: all / the largest buyer)")
    parser.add_argument("--year", type=int, help="year (suppliers and companies charts)")
    parser.add_argument("--metric", choices=["value", "units"], default="value")
    parser.add_argument("--split", choices=["category", "region"], default="category")
    parser.add_argument("--currency", type=_currency, default=None, help="display currency")
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
        written = export_chart_file(args)
    except CapexError as exc:
        return _fail(str(exc))
    print(f"wrote {written}")
    return 0


def _money(value: Decimal) -> str:
    return str(value.quantize(CENT))


def _share(value: Decimal) -> float:
    # JSON numbers are the contract for shares; six places is far below any chart's resolution.
    return float(value.quantize(Decimal("0.000001")))


def summary_json(summary: Summary) -> dict[str, Any]:
    """The documented ``summary --json`` structure."""
    return {
        "currency": summary.currency,
        "spend": [
            {
                "company": r.company,
                "year": r.year,
                "category": r.category,
                "region": r.region,
                "amount": _money(r.amount),
            }
            for r in summary.spend.rows
        ],
        "totals": [
            {"company": t.company, "year": t.year, "amount": _money(t.amount)}
            for t in summary.spend.totals
        ],
        "supplier_shares": [
            {
                "company": s.company,
                "year": s.year,
                "metric": s.metric.value,
                "supplier": s.supplier,
                "share": _share(s.share),
                "domestic": s.domestic,
            }
            for s in summary.shares.shares
        ],
        "domestic_share": [
            {
                "company": d.company,
                "year": d.year,
                "metric": d.metric.value,
                "share": _share(d.share),
            }
            for d in summary.shares.domestic
        ],
        "excluded": [{"table": e.table, "id": e.id, "reason": e.reason} for e in summary.excluded],
    }


def summary_text(summary: Summary) -> str:
    """A readable report of the same figures."""
    cur = summary.currency
    lines = [f"Spend ({cur})"]
    for r in summary.spend.rows:
        lines.append(
            f"  {r.company:<14} {r.year}  {r.category:<26} {r.region:<14} "
            f"{format_amount(r.amount, cur, compact=True):>14}"
        )
    lines.append(f"Totals ({cur})")
    for t in summary.spend.totals:
        lines.append(
            f"  {t.company:<14} {t.year}  {format_amount(t.amount, cur, compact=True):>14}"
        )
    lines.append("Supplier shares")
    for s in summary.shares.shares:
        origin = "domestic" if s.domestic else "imported"
        lines.append(
            f"  {s.company:<14} {s.year}  by {s.metric.value:<5}  {s.supplier:<14} "
            f"{s.share * 100:6.1f}%  {origin}"
        )
    for d in summary.shares.domestic:
        lines.append(
            f"  {d.company:<14} {d.year}  by {d.metric.value:<5}  domestic share "
            f"{d.share * 100:6.1f}%"
        )
    if summary.excluded:
        lines.append("Left out")
        for e in summary.excluded:
            lines.append(f"  {e.table} #{e.id}: {e.reason}")
    return "\n".join(lines)


def cmd_gui(argv: list[str]) -> int:
    """Open the main window."""
    parser = _Parser(
        prog="capex-gui",
        description=f"{APP_NAME} {__version__}: AI-infrastructure investments and chip orders, "
        "charted. Commands: " + ", ".join(sorted(COMMANDS)) + " (capex-gui COMMAND --help).",
    )
    parser.add_argument(
        "db", nargs="?", help="a .capex file or SQLAlchemy URL (default: your own database)"
    )
    parser.add_argument("--new", action="store_true", help="create DB as a new, empty database")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    args, qt_args = parser.parse_known_args(argv)
    from capex_gui.app.application import run_gui

    return run_gui(args.db, new=args.new, qt_args=qt_args)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``capex-gui`` and ``python -m capex_gui``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in COMMANDS:
        return COMMANDS[args[0]](args[1:])
    return cmd_gui(args)
