"""``capex-gui [DB]``: open the window."""

from __future__ import annotations

import argparse

from capex_gui import APP_NAME, __version__
from capex_gui.app.cli.base import COMMANDS, CliParser


def cmd_gui(argv: list[str]) -> int:
    """Open the main window."""
    width = max((len(name) for name in COMMANDS), default=0)
    listing = "\n".join(f"  {name:<{width}}  {COMMANDS[name].summary}" for name in sorted(COMMANDS))
    parser = CliParser(
        prog="capex-gui",
        description=f"{APP_NAME} {__version__}: AI-infrastructure investments and chip orders, "
        "charted. Without a command, opens the window.",
        epilog=f"commands (capex-gui COMMAND --help):\n{listing}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "db", nargs="?", help="a .capex file or SQLAlchemy URL (default: your own database)"
    )
    parser.add_argument("--new", action="store_true", help="create DB as a new, empty database")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    args, qt_args = parser.parse_known_args(argv)
    from capex_gui.app.application import run_gui

    return run_gui(args.db, new=args.new, qt_args=qt_args)
