"""``capex-gui copy SOURCE TARGET``: every row of one database into another, empty one."""

from __future__ import annotations

import sys
from pathlib import Path

from capex_gui.app.cli.base import command, fail, parser_for
from capex_gui.errors import CapexError


@command("copy", "copy a database into a new, empty one (a .capex file to a server, and back)")
def cmd_copy(argv: list[str]) -> int:
    """Copy every row of SOURCE into the empty TARGET."""
    parser = parser_for(
        "copy",
        "Copy every row of every table of SOURCE into TARGET, ids and all, in one transaction: "
        "a .capex file into an empty PostgreSQL database so a team starts from one analyst's "
        "file, or a server database into a new .capex file. TARGET must be empty: a new file, "
        "or a database nobody has added anything to. The password of a server is read from "
        "PGPASSWORD, ~/.pgpass or the system keyring (File → Connect to server… remembers it).",
    )
    parser.add_argument("source", help="a .capex file or a postgresql+psycopg:// URL")
    parser.add_argument("target", help="a new .capex file or an empty database's URL")
    args = parser.parse_args(argv)
    from capex_gui.app.credentials import open_with_saved_password
    from capex_gui.storage import sqlite
    from capex_gui.storage.database import describe, to_url
    from capex_gui.storage.transfer import copy_database

    try:
        source_url, target_url = to_url(args.source), to_url(args.target, create=True)
    except CapexError as exc:
        return fail(str(exc))
    if describe(source_url) == describe(target_url):
        return fail("SOURCE and TARGET are the same database")
    new_file = sqlite.database_path(target_url) if sqlite.is_sqlite(target_url) else None
    create = new_file is not None and not Path(new_file).exists()
    try:
        source = open_with_saved_password(args.source)
        try:
            target = open_with_saved_password(args.target, create=create)
            try:
                report = copy_database(
                    source, target, lambda table, n: print(f"  {table}: {n}", file=sys.stderr)
                )
            finally:
                target.close()
        finally:
            source.close()
    except CapexError as exc:
        if create and new_file is not None:
            Path(new_file).unlink(missing_ok=True)  # a failed copy leaves no new file behind
        return fail(str(exc))
    counts = ", ".join(f"{t.replace('_', ' ')} {n}" for t, n in report.rows.items() if n)
    print(f"copied {report.total} rows from {source.label} to {target.label} ({counts})")
    return 0
