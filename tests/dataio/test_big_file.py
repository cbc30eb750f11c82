"""A 50 MB file (made at test time): streamed in bounded memory, and one bad row near its end
is reported by its exact line, with nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from capex_gui.app.paths import create_sample_database
from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository

HEADER = "Buyer,Vendor,Units shipped,Year,Region,Value,Currency,Source,Notes\n"
ROW = (
    "ByteDance,Nvidia,{units},2025,China,{units}000.50,USD,Test feed {feed},"
    '"generated row {n}, test data only, not a real order"\n'
)


def write_big(path: Path, size: int, *, bad_at: int | None = None) -> int:
    """A chip-order CSV of about *size* bytes; the data row *bad_at* (1-based) is broken.

    Returns the number of data rows."""
    n = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER)
        written = len(HEADER)
        chunk: list[str] = []
        while written < size:
            n += 1
            line = ROW.format(units=1000 + n % 9000, feed=n % 97, n=n)
            if n == bad_at:
                line = line.replace(f",{1000 + n % 9000},", ",a few,", 1)
            chunk.append(line)
            written += len(line)
            if len(chunk) == 10_000:
                handle.write("".join(chunk))
                chunk.clear()
        handle.write("".join(chunk))
    return n


def peak_rss_mb(db: Path, csv_path: Path, *extra: str) -> tuple[int, float, str]:
    """Run ``capex-gui import`` in a fresh process; (exit code, its peak RSS in MB, stderr)."""
    code = (
        "import resource, sys\n"
        "from capex_gui.app.cli import main\n"
        f"code = main(['import', {str(db)!r}, {str(csv_path)!r}, '--table', 'chip-orders',"
        f" *{list(extra)!r}])\n"
        "print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=1200
    )
    peak = next(line for line in proc.stderr.splitlines() if line.startswith("PEAK"))
    return proc.returncode, int(peak.split()[1]) / 1024, proc.stderr


@pytest.mark.slow
def test_fifty_megabytes_bounded_memory_and_the_exact_bad_line(tmp_path: Path) -> None:
    db = tmp_path / "sample.capex"
    create_sample_database(db).close()
    tiny = tmp_path / "tiny.csv"
    write_big(tiny, 10_000, bad_at=3)
    big = tmp_path / "big.csv"
    rows = write_big(big, 50 * 1024 * 1024, bad_at=None)
    bad_at = rows - 10  # near the end: every row before it was read and converted
    write_big(big, 50 * 1024 * 1024, bad_at=bad_at)
    assert big.stat().st_size >= 50 * 1024 * 1024

    _code, baseline, _err = peak_rss_mb(db, tiny)
    code, peak, err = peak_rss_mb(db, big)
    assert code == 1
    line = bad_at + 1  # the header is line 1
    assert f"big.csv:{line}, column C “Units shipped”: " in err
    assert "1 row fails; nothing will be imported" in err
    # Streaming: reading 50 MB costs far less memory than the file's size.
    assert peak - baseline < 25, (baseline, peak)
    check = open_database(db)
    try:
        assert len(Repository(check.engine).chip_orders()) < 100  # nothing was written
    finally:
        check.close()
