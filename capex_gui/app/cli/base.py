"""What every subcommand shares: the registry, the parser, one-line errors, closed pipes.

A subcommand is a module in this package with one function decorated by ``@command``; list
the module in ``capex_gui/app/cli/__init__.py`` so it registers (and PyInstaller sees it).
Commands import Qt, SQLAlchemy and the rest inside the function, so ``capex-gui --help``
and the other commands start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

from capex_gui.domain.currencies import is_known_currency

Runner = Callable[[list[str]], int]

#: Exit status after the reader of our output went away (``capex-gui summary DB | head -1``):
#: 128 + SIGPIPE, what a shell reports for other Unix tools that stop on a closed pipe.
EXIT_CLOSED_PIPE = 141


@dataclass(frozen=True)
class Command:
    """One subcommand: its name, a line for the top-level help, and what runs it."""

    name: str
    summary: str
    run: Runner


#: Subcommands by name; anything else on the command line is the GUI's optional DB argument.
COMMANDS: dict[str, Command] = {}


def command(name: str, summary: str) -> Callable[[Runner], Runner]:
    """Register the decorated function as ``capex-gui NAME`` (it gets the arguments after it
    and returns the exit status)."""

    def register(fn: Runner) -> Runner:
        if name in COMMANDS:
            raise RuntimeError(f"two subcommands are called {name!r}")
        COMMANDS[name] = Command(name, summary, fn)
        return fn

    return register


class CliParser(argparse.ArgumentParser):
    """Argument errors in one line (the usage is one --help away)."""

    def error(self, message: str) -> NoReturn:
        """Print one line and exit with status 2 (argparse hook)."""
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def parser_for(name: str, description: str) -> CliParser:
    """The parser of ``capex-gui NAME`` with its own description (each command has its own)."""
    return CliParser(prog=f"capex-gui {name}", description=description)


def fail(message: str) -> int:
    """Say what went wrong on stderr in one line; the exit status is 2."""
    print(f"capex-gui: error: {message}", file=sys.stderr)
    return 2


def warn(message: str) -> None:
    """A warning on stderr (the command still succeeds)."""
    print(f"capex-gui: warning: {message}", file=sys.stderr)


def currency_code(text: str) -> str:
    """argparse type: a currency code this app knows, upper-cased."""
    code = text.strip().upper()
    if not is_known_currency(code):
        raise argparse.ArgumentTypeError(f"{text!r} is not a currency code this app knows")
    return code


def flush_output() -> None:
    """Write out what is buffered now, so a closed pipe shows up here and not at exit."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()


def end_on_closed_pipe() -> int:
    """The reader went away: say nothing more, and let the interpreter's last flush go to
    /dev/null instead of printing a BrokenPipeError."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError):  # no file descriptor behind it (a test's capture)
            continue
    os.close(devnull)
    return EXIT_CLOSED_PIPE
