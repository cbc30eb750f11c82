"""``capex-gui screenshot DB -o FILE.png``: the main window rendered to a PNG."""

from __future__ import annotations

from pathlib import Path

from capex_gui.app.cli.base import command, fail, parser_for
from capex_gui.errors import CapexError


@command("screenshot", "render the main window to a PNG")
def cmd_screenshot(argv: list[str]) -> int:
    """Render the main window to a PNG."""
    parser = parser_for("screenshot", "Render the main window on DB to a PNG, as the app draws it.")
    parser.add_argument("db", help="a .capex file or an SQLAlchemy URL")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the PNG to write")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument("--dark", action="store_true", help="use a dark palette")
    parser.add_argument("--tab", type=int, default=0, help="0: investments, 1: chip orders")
    args = parser.parse_args(argv)
    from capex_gui.app.headless import quiet_qt
    from capex_gui.app.screenshot import render_window

    quiet_qt()  # the offscreen platform's notes are not the user's business
    try:
        render_window(
            args.db, args.output, width=args.width, height=args.height, dark=args.dark, tab=args.tab
        )
    except CapexError as exc:
        return fail(str(exc))
    print(f"wrote {args.output}")
    return 0
