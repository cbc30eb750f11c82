"""``capex-gui export-data DB --table ... -o FILE``: a table or the summary to CSV or XLSX."""

from __future__ import annotations

from pathlib import Path

from capex_gui.app.cli.base import command, currency_code, fail, parser_for
from capex_gui.dataio.export import EXPORT_TABLES
from capex_gui.domain.currencies import DEFAULT_DISPLAY_CURRENCY
from capex_gui.errors import CapexError


@command("export-data", "write a table or the summary to CSV or XLSX")
def cmd_export_data(argv: list[str]) -> int:
    """Write a table (or the summary) to CSV or XLSX."""
    parser = parser_for(
        "export-data",
        "Write a table of DB, or the summary, to a CSV or XLSX file (chosen by the "
        "file's extension). CSV is UTF-8 with formula-like text neutralised; XLSX has typed "
        "cells, a frozen header and text kept as text.",
    )
    parser.add_argument("db", help="a .capex file or an SQLAlchemy URL")
    parser.add_argument("--table", required=True, choices=EXPORT_TABLES)
    parser.add_argument(
        "--currency",
        type=currency_code,
        default=DEFAULT_DISPLAY_CURRENCY,
        help="display currency of the derived value columns (default: USD)",
    )
    parser.add_argument("-o", "--output", type=Path, required=True, help="FILE.csv or FILE.xlsx")
    args = parser.parse_args(argv)
    from capex_gui.dataio.export import export_data
    from capex_gui.storage.database import open_database
    from capex_gui.storage.repository import Repository

    try:
        db = open_database(args.db)
        try:
            count = export_data(
                Repository(db.engine), args.table, args.output, currency=args.currency
            )
        finally:
            db.close()
    except CapexError as exc:
        return fail(str(exc))
    print(f"wrote {count:,} rows to {args.output}")
    return 0
