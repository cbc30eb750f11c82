"""``capex-gui generate PATH --orders N``: a new file of SYNTHETIC data, to try the app at scale."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from capex_gui.app.cli.base import command, fail, parser_for
from capex_gui.errors import CapexError

#: Most rows one command writes (a file of ten million orders is about 3 GB).
MAX_ROWS = 10_000_000


def _count(text: str) -> int:
    """argparse type: a row count from 0 to MAX_ROWS ("1000000", "1_000_000", "1e6")."""
    try:
        n = float(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of rows") from None
    if n != int(n) or not 0 <= n <= MAX_ROWS:
        raise argparse.ArgumentTypeError(f"a row count is a whole number from 0 to {MAX_ROWS:,}")
    return int(n)


@command("generate", "write a new file of synthetic data (for trying the app at scale)")
def cmd_generate(argv: list[str]) -> int:
    """Write a new database filled with synthetic companies, rates and figures."""
    parser = parser_for(
        "generate",
        "Write a new .capex file of SYNTHETIC data: about ten companies, eight suppliers, twenty "
        "chip models, 2020-2026 in quarters and years, USD/CNY/EUR with rates, and N chip "
        "orders. Every source says 'Synthetic'; none of the figures is real. The same --seed "
        "gives the same file. Refuses to overwrite an existing file.",
    )
    parser.add_argument("path", type=Path, help="the new database file, e.g. big.capex")
    parser.add_argument("--orders", type=_count, required=True, help="chip orders to write")
    parser.add_argument(
        "--investments", type=_count, default=1000, help="investments to write (default: 1000)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    args = parser.parse_args(argv)
    from capex_gui.storage.database import open_database
    from capex_gui.storage.repository import Repository
    from capex_gui.storage.synthetic import write_synthetic

    path: Path = args.path
    if path.exists():
        return fail(f"{path} exists already; choose a new file name")
    total = args.orders + args.investments
    started = time.monotonic()

    def progress(done: int) -> None:
        if sys.stderr.isatty() and total >= 100_000:
            print(f"\r{done:,} of {total:,} rows", end="", file=sys.stderr, flush=True)

    try:
        db = open_database(path, create=True)
        try:
            write_synthetic(
                Repository(db.engine),
                orders=args.orders,
                investments=args.investments,
                seed=args.seed,
                progress=progress,
            )
        finally:
            db.close()
    except CapexError as exc:
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        return fail(str(exc))
    if sys.stderr.isatty() and total >= 100_000:
        print(file=sys.stderr)
    seconds = time.monotonic() - started
    print(
        f"wrote {args.orders:,} synthetic chip orders and {args.investments:,} investments "
        f"to {path} in {seconds:.1f} s"
    )
    return 0
