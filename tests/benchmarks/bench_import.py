"""Benchmark (on demand): importing a 50 MB CSV of chip orders, time and peak memory.

Peers measured in the same run: reading the same file whole into memory with the stdlib
``csv`` module (what a naive importer would hold), and parsing it with ``csv`` alone (the
floor under any CSV importer's time).

    .venv/bin/python tests/benchmarks/bench_import.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from capex_gui.app.paths import create_sample_database  # noqa: E402
from tests.dataio.test_big_file import peak_rss_mb, write_big  # noqa: E402

PEER = """
import csv, resource, sys, time
start = time.perf_counter()
with open(sys.argv[1], newline="", encoding="utf-8") as handle:
    rows = list(csv.reader(handle))
print(len(rows), time.perf_counter() - start,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        db = work / "sample.capex"
        create_sample_database(db).close()
        tiny, big = work / "tiny.csv", work / "big.csv"
        write_big(tiny, 10_000)
        rows = write_big(big, 50 * 1024 * 1024)
        size = big.stat().st_size / 1024**2
        _c, baseline, _e = peak_rss_mb(db, tiny, "--dry-run")
        start = time.perf_counter()
        code, peak, err = peak_rss_mb(db, big)
        took = time.perf_counter() - start
        assert code == 0, err
        out = subprocess.run(
            [sys.executable, "-c", PEER, str(big)], capture_output=True, text=True, check=True
        ).stdout.split()
        print(f"file: {size:.1f} MB, {rows:,} rows")
        print(
            f"capex-gui import (check + write, one transaction): {took:.1f} s, "
            f"peak RSS {peak:.1f} MB ({peak - baseline:+.1f} MB over a 10 kB file)"
        )
        print(
            f"peer, csv.reader into a list (no conversion, no database): "
            f"{float(out[1]):.1f} s, peak RSS {float(out[2]):.1f} MB"
        )


if __name__ == "__main__":
    main()
