"""``capex-gui sample PATH``: write the sample data to a new file."""

from __future__ import annotations

from pathlib import Path

from capex_gui.app.cli.base import command, fail, parser_for
from capex_gui.errors import CapexError


@command("sample", "write the sample data to a new file")
def cmd_sample(argv: list[str]) -> int:
    """Write the sample database to a new file."""
    parser = parser_for(
        "sample",
        "Write the sample data (the Financial Times report on ByteDance) to a new .capex file. "
        "Refuses to overwrite an existing file.",
    )
    parser.add_argument("path", type=Path, help="the new database file, e.g. sample.capex")
    args = parser.parse_args(argv)
    from capex_gui.app.paths import create_sample_database

    path: Path = args.path
    if path.exists():
        return fail(f"{path} exists already; choose a new file name")
    try:
        create_sample_database(path).close()
    except CapexError as exc:
        return fail(str(exc))
    print(f"wrote the sample data to {path}")
    return 0
