"""The ``capex-gui`` command line: open the window, or run one of the subcommands.

Each subcommand lives in its own module and registers itself with ``@command`` (see
``base.py``). To add one, write the module and import it below.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from capex_gui.app.cli import (  # noqa: F401  (importing registers the subcommands)
    copy,
    desktop,
    export_chart,
    export_data,
    generate,
    import_data,
    imports,
    reports,
    sample,
    screenshot,
    summary,
)
from capex_gui.app.cli.base import COMMANDS, end_on_closed_pipe, flush_output
from capex_gui.app.cli.gui import cmd_gui

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["COMMANDS", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``capex-gui`` and ``python -m capex_gui``."""
    args = list(sys.argv[1:] if argv is None else argv)
    found = COMMANDS.get(args[0]) if args else None
    try:
        try:
            return found.run(args[1:]) if found else cmd_gui(args)
        finally:
            flush_output()  # a closed pipe shows up here, not as a traceback at exit
    except BrokenPipeError:
        return end_on_closed_pipe()
