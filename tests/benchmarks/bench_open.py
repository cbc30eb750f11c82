"""What checking a file on open costs, at 1M chip orders.

Run:  .venv/bin/python tests/benchmarks/bench_open.py [--rows 1000000] [--repeat 5]

Builds a file holding the sample plus ROWS chip orders (bulk-loaded), closes it, then times in
the same run, each the median of REPEAT tries:

* open (ours)       — ``open_database(path)`` then ``close()``: every check the app makes on
                      open (above 32 MB that is ``quick_check``);
* open, no check    — the same with the check switched off (the peer);
* quick_check       — as the app runs it (CHECK constraints not re-evaluated);
* integrity_check   — as the app runs it on files up to 32 MB (also compares index entries);
* quick_check with CHECKs — SQLite's default on a writable connection, which re-evaluates every
                      CHECK constraint of every row (why the app switches that pass off);
* daily backup      — one backup of the whole file through SQLite's online backup API.

The OS caches the file after the first read; every figure is warm-cache, as when a user reopens
the file they just closed. Not collected by pytest (the file name is bench_*.py).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_charts import fill  # the same 1M-row loader the chart benchmark uses

from capex_gui.storage import sqlite as sq
from capex_gui.storage.backup import take_backup
from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository

if TYPE_CHECKING:
    from collections.abc import Callable


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median seconds of *repeat* runs of *fn*."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pragma(path: Path, name: str, *, checks: bool = False) -> None:
    con = sqlite3.connect(sq.file_uri(path, mode="rw"), uri=True)
    try:
        con.execute(f"PRAGMA ignore_check_constraints = {'OFF' if checks else 'ON'}")
        assert con.execute(f"PRAGMA {name}").fetchall() == [("ok",)]
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.capex"
        db = open_database(path, create=True)
        fill(Repository(db.engine), args.rows, random.Random(1))
        db.close()
        size = path.stat().st_size / 2**20
        print(f"{args.rows:,} chip orders, file {size:.0f} MB, median of {args.repeat}")
        pragma(path, "quick_check")  # warm the OS cache
        ours = timed(lambda: open_database(path).close(), args.repeat)
        original = sq.check_integrity
        sq.check_integrity = lambda conn, full: []  # type: ignore[assignment]
        try:
            bare = timed(lambda: open_database(path).close(), args.repeat)
        finally:
            sq.check_integrity = original
        quick = timed(lambda: pragma(path, "quick_check"), args.repeat)
        full = timed(lambda: pragma(path, "integrity_check"), args.repeat)
        with_checks = timed(lambda: pragma(path, "quick_check", checks=True), args.repeat)
        backups = Path(tmp) / "backups"
        backup = timed(lambda: take_backup(path, backups, keep=2), args.repeat)
        print(f"open (ours, with quick_check)  {ours * 1000:8.0f} ms")
        print(f"open, no check (peer)          {bare * 1000:8.0f} ms")
        print(f"quick_check                    {quick * 1000:8.0f} ms")
        print(f"integrity_check                {full * 1000:8.0f} ms")
        print(f"quick_check with CHECKs        {with_checks * 1000:8.0f} ms")
        print(f"daily backup (one step)        {backup * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
