"""``capex-gui imports DB [--remove ID]``: the imports recorded, and removing one whole."""

from __future__ import annotations

from capex_gui.app.cli.base import command, fail, parser_for
from capex_gui.errors import CapexError


@command("imports", "list recorded imports, or remove one with all its rows")
def cmd_imports(argv: list[str]) -> int:
    """List imports (newest first), or remove one import's rows and the names it created."""
    parser = parser_for(
        "imports",
        "List the imports recorded in DB (id, time, file, table, rows), newest first. With "
        "--remove ID, delete that import's rows and the names it created (where nothing else "
        "uses them), in one transaction.",
    )
    parser.add_argument("db", help="a .capex file or an SQLAlchemy URL")
    parser.add_argument("--remove", type=int, metavar="ID", help="the import to remove")
    args = parser.parse_args(argv)
    from capex_gui.storage.database import open_database
    from capex_gui.storage.imports import list_imports, remove_import
    from capex_gui.storage.repository import Repository

    try:
        db = open_database(args.db)
        try:
            if args.remove is not None:
                gone = remove_import(Repository(db.engine), args.remove)
                if gone is None:
                    return fail(f"there is no import #{args.remove} in {db.label}")
                rows = f"{gone.row_count:,} row{'s' if gone.row_count != 1 else ''}"
                table = gone.table.replace("_", " ")
                print(f"removed import #{gone.id}: {rows} of {table} from {gone.file_name}")
                return 0
            records = list_imports(db.engine)
        finally:
            db.close()
    except CapexError as exc:
        return fail(str(exc))
    if not records:
        print("no imports recorded")
    for r in records:
        when = r.created_at.strftime("%Y-%m-%d %H:%M")
        created = sum(len(v) for v in r.created.values())
        extra = f", created {created} name{'s' if created != 1 else ''}" if created else ""
        print(f"#{r.id}  {when}  {r.table:<12} {r.row_count:>9,} rows  {r.file_name}{extra}")
    return 0
