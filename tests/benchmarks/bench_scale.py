"""Scale benchmark (issue 14): the app at 10k, 100k and 1M chip orders, each step beside its peer.

One command (the peers, pandas and matplotlib, come with the ``bench`` extra, not with the app):

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python tests/benchmarks/bench_scale.py [--sizes 10k,100k,1M] [--runs 5]
        [--steps startup,gui,headless,import] [--out table.md]

Not collected by pytest (the file name is bench_*.py). Databases are made once with
``capex-gui generate --seed 1`` and cached in ``--cache`` (default: $TMPDIR/capex-bench), keyed
by size and schema revision; at 1M making one takes a few minutes. Every measured run is a fresh
process unless said otherwise, and each candidate runs alternately with its peer, so machine noise
(other work on a shared 2-core machine) hits both alike. Each cell gives the median and the range
(min–max) of the runs. The steps:

* startup  — ``python -m capex_gui DB`` against the floor process (Qt + pyqtgraph + SQLAlchemy +
             one query, a window with a table and a plot): launch → first paint (both), launch →
             charts drawn (the app's CAPEX_GUI_REPORT_CHARTS_DRAWN hook), the longest GUI-thread
             stall from first paint until one second after the charts drew (a 10 ms timer's
             lateness, CAPEX_GUI_REPORT_STALLS), and peak memory (the process's max RSS, with the
             file open and charts drawn, one second after). One unmeasured warm-up run first
             (file cache; the day's backup of the file).
* gui      — bench_scale_gui.py in one process: open, edit → repainted, sort, filter, scroll to
             the end, each with its longest stall (see that file).
* headless — ``capex-gui summary DB --json`` against pandas ``read_sql`` + ``groupby`` producing
             the same numbers (checked: spend, totals, shares, left-out rows), and ``capex-gui
             export-chart`` of each chart as PNG and SVG against matplotlib drawing a comparable
             chart from the same file (bench_scale_peers.py); time and peak memory.
* import   — a CSV of the largest size's chip orders imported with the app's importer against
             ``pandas.read_csv`` + ``to_sql`` and the ``sqlite3`` command line's ``.import``.

The table it prints marks each of the issue's targets met or missed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PY = sys.executable
SEED = 1

FLOOR = textwrap.dedent(
    """
    import os, sys, time
    os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QTableView
    import pyqtgraph as pg
    import sqlalchemy as sa

    app = QApplication(sys.argv[:1])
    engine = sa.create_engine("sqlite:///" + sys.argv[1])
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT id, year, units, value_minor, currency FROM chip_orders ORDER BY id LIMIT 200"
        ).fetchall()
    model = QStandardItemModel(len(rows), 5)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            model.setItem(r, c, QStandardItem(str(value)))
    window = QMainWindow()
    split = QSplitter(window)
    table = QTableView(split)
    table.setModel(model)
    plot = pg.PlotWidget(split)
    plot.plot([1, 2, 3], [3, 1, 2])
    window.setCentralWidget(split)
    window.resize(1280, 800)

    class FirstPaint(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                print(f"FIRST_PAINT {time.time():.6f}", flush=True)
                watched.removeEventFilter(self)
                QTimer.singleShot(1000, app.quit)
            return False

    window.installEventFilter(FirstPaint(window))
    window.show()
    sys.exit(app.exec())
    """
)


# -- running things ---------------------------------------------------------------------------
@dataclass
class Run:
    """One process: seconds from launch to each reported mark, peak RSS in MB, its stdout."""

    marks: dict[str, float] = field(default_factory=dict)
    values: dict[str, float] = field(default_factory=dict)
    seconds: float = float("nan")
    peak_mb: float = float("nan")
    ok: bool = True
    stderr: str = ""


def launch(
    cmd: list[str], env: dict[str, str], *, stdout_file: Path | None = None, timeout: float = 900
) -> Run:
    """Run *cmd*: the marks it prints ("NAME <unix time>" → seconds after launch; "NAME=value"),
    its wall time and its peak RSS (``os.wait4``: the child's own, not the largest child's)."""
    import threading

    started = time.time()
    t0 = time.perf_counter()
    out_handle = stdout_file.open("w") if stdout_file else subprocess.PIPE
    proc = subprocess.Popen(cmd, stdout=out_handle, stderr=subprocess.PIPE, text=True, env=env)
    chunks: dict[str, str] = {}

    def drain(name: str, stream: Any) -> None:
        chunks[name] = stream.read() if stream else ""

    readers = [threading.Thread(target=drain, args=("err", proc.stderr))]
    if not stdout_file:
        readers.append(threading.Thread(target=drain, args=("out", proc.stdout)))
    for reader in readers:
        reader.start()
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    _pid, status, usage = os.wait4(proc.pid, 0)  # reaped here, so the RSS is this child's
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    if stdout_file:
        out_handle.close()  # type: ignore[union-attr]
    run = Run()
    run.seconds = time.perf_counter() - t0
    run.peak_mb = usage.ru_maxrss / 1024
    run.ok = proc.returncode == 0
    run.stderr = chunks.get("err", "")[-3000:]
    for line in chunks.get("out", "").splitlines():
        name, _, rest = line.partition(" ")
        if name.isupper() and rest.replace(".", "", 1).isdigit():
            run.marks[name] = float(rest) - started
        elif "=" in line and line.split("=", 1)[0].isupper():
            key, value = line.split("=", 1)
            with contextlib.suppress(ValueError):
                run.values[key] = float(value)
    return run


# -- statistics and the table -----------------------------------------------------------------
def med(values: list[float]) -> float:
    ok = [v for v in values if v == v]
    return statistics.median(ok) if ok else float("nan")


def cell(values: list[float], unit: str) -> str:
    ok = [v for v in values if v == v]
    if not ok:
        return "n/a"
    scale, fmt = {"s": (1, "{:.2f} s"), "ms": (1000, "{:.0f} ms"), "MB": (1, "{:.0f} MB")}[unit]
    if unit == "ms" and max(ok) < 0.01:
        fmt = "{:.1f} ms"

    def f(v: float) -> str:
        return "∞" if v == float("inf") else fmt.format(v * scale)

    if len(ok) == 1:
        return f(ok[0])
    return f"{f(med(ok))} ({f(min(ok))}–{f(max(ok))})"


@dataclass
class Row:
    """One line of the result table."""

    work: str
    size: str
    ours: str
    peer: str
    ratio: str
    target: str
    verdict: str  # "met", "MISSED", or "" (no target on this line)


ROWS: list[Row] = []


def add(
    work: str,
    size: str,
    ours: list[float],
    unit: str,
    *,
    peer: list[float] | None = None,
    target: str = "",
    limit: float | None = None,
    ratio_limit: float | None = None,
    peer_name: str = "",
) -> None:
    """Record a line; *limit* is an absolute bound on the median, *ratio_limit* on ours/peer."""
    ratio = med(ours) / med(peer) if peer else float("nan")
    verdict = ""
    if limit is not None:
        verdict = "met" if med(ours) <= limit else "MISSED"
    if ratio_limit is not None and peer:
        verdict = "met" if ratio <= ratio_limit else "MISSED"
    ROWS.append(
        Row(
            work,
            size,
            cell(ours, unit),
            (f"{peer_name}: " if peer_name else "") + (cell(peer, unit) if peer else "—"),
            f"{ratio:.2f}×" if ratio == ratio else "—",
            target,
            verdict,
        )
    )


def table() -> str:
    head = "| work | chip orders | ours: median (range) | peer: median (range) | ratio | target | |"
    lines = [head, "|---|---|---|---|---|---|---|"]
    for r in ROWS:
        lines.append(
            f"| {r.work} | {r.size} | {r.ours} | {r.peer} | {r.ratio} | {r.target} | {r.verdict} |"
        )
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{platform.node()}: {cpu}, {os.cpu_count()} cores{mem}, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


# -- databases --------------------------------------------------------------------------------
def size_label(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    factor = {"k": 1000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


def database(cache: Path, n: int, env: dict[str, str]) -> Path:
    """The synthetic database of *n* chip orders (made once per schema revision)."""
    sys.path.insert(0, str(ROOT))
    from capex_gui.storage.database import head_revision

    stem = f"chips-{size_label(n)}-seed{SEED}-rev"
    path = cache / f"{stem}{head_revision()}.capex"
    if path.exists():
        return path
    tmp = path.with_suffix(".part.capex")
    tmp.unlink(missing_ok=True)
    older = sorted(p for p in cache.glob(f"{stem}*.capex") if ".part" not in p.name)
    if older:  # an older schema's file: a copy upgraded (seconds) instead of made anew (minutes)
        print(f"  upgrading a copy of {older[-1].name} to {path.name}…", flush=True)
        with sqlite3.connect(older[-1]) as src, sqlite3.connect(tmp) as dst:
            src.backup(dst)
        cmd = [
            PY,
            "-c",
            f"from capex_gui.storage.database import open_database as o; o({str(tmp)!r}).close()",
        ]
    else:
        print(f"  making {path.name} (capex-gui generate)…", flush=True)
        cmd = [PY, "-m", "capex_gui", "generate", str(tmp), "--orders", str(n), "--seed", str(SEED)]
    made = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if made.returncode:
        raise SystemExit(made.stderr)
    for suffix in ("-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    tmp.rename(path)
    return path


# -- steps ------------------------------------------------------------------------------------
def step_startup(
    db: Path,
    n: int,
    runs: int,
    env: dict[str, str],
    home: Path,
    largest: bool,
    sizes: dict[int, dict[str, Any]],
) -> None:
    app_env = {
        **env,
        "CAPEX_GUI_HOME": str(home),
        "CAPEX_GUI_REPORT_FIRST_PAINT": "1",
        "CAPEX_GUI_REPORT_CHARTS_DRAWN": "1",
        "CAPEX_GUI_REPORT_STALLS": "1",
        "CAPEX_GUI_QUIT_AFTER_CHARTS_MS": "1000",
        "CAPEX_GUI_QUIT_AFTER_MS": "600000",
    }
    app_cmd = [PY, "-m", "capex_gui", str(db)]
    floor_cmd = [PY, "-c", FLOOR, str(db)]
    launch(app_cmd, app_env)  # warm-up: file cache, the day's backup
    launch(floor_cmd, env)
    apps, floors = [], []
    for _ in range(runs):
        floors.append(launch(floor_cmd, env))
        apps.append(launch(app_cmd, app_env))
    label = size_label(n)
    first = [r.marks.get("FIRST_PAINT", float("nan")) for r in apps]
    floor_first = [r.marks.get("FIRST_PAINT", float("nan")) for r in floors]
    drawn = [
        r.marks.get("CHARTS_DRAWN", float("nan")) - r.marks.get("FIRST_PAINT", float("nan"))
        for r in apps
    ]
    stalls = [r.values.get("STALL_MAX_MS", float("nan")) / 1000 for r in apps]
    for r in apps:
        if not r.ok or "CHARTS_DRAWN" not in r.marks:
            print(f"  app run failed: {r.stderr[-800:]}")
    add(
        "launch → first paint",
        label,
        first,
        "s",
        peer=floor_first,
        peer_name="floor",
        target="≤ 1.3× floor",
        ratio_limit=1.3,
    )
    add(
        "first paint → charts drawn",
        label,
        drawn,
        "s",
        target="≤ 1.0 s at 1M" if largest else "",
        limit=1.0 if largest else None,
    )
    add(
        "longest GUI stall, start (first paint → charts + 1 s)",
        label,
        stalls,
        "ms",
        target="≤ 100 ms",
        limit=0.1,
    )
    mem = [r.peak_mb for r in apps]
    floor_mem = [r.peak_mb for r in floors]
    add(
        "peak memory, file open, charts drawn",
        label,
        mem,
        "MB",
        peer=floor_mem,
        peer_name="floor",
        target="≤ 1.5× floor at 1M" if largest else "",
        ratio_limit=1.5 if largest else None,
    )
    sizes[n]["startup"] = {"first": first, "drawn": drawn}


def step_gui(
    db: Path,
    n: int,
    runs: int,
    env: dict[str, str],
    sizes: dict[int, dict[str, Any]],
    smallest: int,
    largest: bool,
) -> None:
    proc = subprocess.run(
        [PY, str(HERE / "bench_scale_gui.py"), str(db), "--runs", str(runs)],
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode:
        print(f"  gui step failed: {proc.stderr[-3000:]}")
        return
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    sizes[n]["gui"] = got
    label = size_label(n)
    add("open window → charts drawn (in process)", label, got.get("open_to_charts", []), "s")
    add(
        "longest GUI stall, open",
        label,
        got.get("open_stall", []),
        "ms",
        target="≤ 100 ms",
        limit=0.1,
    )
    edit = got.get("edit_repainted", [])
    base = sizes.get(smallest, {}).get("gui", {}).get("edit_repainted")
    if base and n != smallest:
        add(
            "edit → database → charts and table repainted",
            label,
            edit,
            "ms",
            peer=base,
            peer_name=f"same at {size_label(smallest)}",
            target="≤ 1.25× the same at 10k" if largest else "",
            ratio_limit=1.25 if largest else None,
        )
    else:
        add("edit → database → charts and table repainted", label, edit, "ms")
    add(
        "setData alone",
        label,
        got.get("edit_set_data", []),
        "ms",
        target="≤ 10 ms at 1M" if largest else "",
        limit=0.010 if largest else None,
    )
    add(
        "longest GUI stall, edit (incl. 300 ms after)",
        label,
        got.get("edit_stall", []),
        "ms",
        target="≤ 100 ms",
        limit=0.1,
    )
    for key in ("display_value", "units", "company", "period", "supplier"):
        ours = got.get(f"sort_{key}")
        if ours is None:
            continue
        add(
            f"sort by {key} → repainted",
            label,
            ours,
            "ms",
            peer=got[f"sort_{key}_peer"],
            peer_name="bare SQL sort",
            target="≤ 1.5× bare SQL sort",
            ratio_limit=1.5,
        )
        add(
            f"longest GUI stall, sort by {key}",
            label,
            got[f"sort_{key}_stall"],
            "ms",
            target="≤ 100 ms",
            limit=0.1,
        )
    add(
        "filter “H20” → repainted",
        label,
        got.get("filter", []),
        "ms",
        peer=got.get("filter_peer"),
        peer_name="bare SQL LIKE",
    )
    add(
        "longest GUI stall, filter",
        label,
        got.get("filter_stall", []),
        "ms",
        target="≤ 100 ms",
        limit=0.1,
    )
    add("longest keystroke in the filter box", label, got.get("filter_keystroke", []), "ms")
    add(
        "scroll to the last row",
        label,
        got.get("scroll_end", []),
        "ms",
        target="≤ 50 ms",
        limit=0.05,
    )
    add(
        "longest GUI stall, scroll to end",
        label,
        got.get("scroll_stall", []),
        "ms",
        target="≤ 100 ms",
        limit=0.1,
    )


def step_headless(
    db: Path, n: int, runs: int, env: dict[str, str], home: Path, largest: bool, check: bool
) -> None:
    label = size_label(n)
    cli_env = {**env, "CAPEX_GUI_HOME": str(home)}
    ours_out, peer_out = home / "ours.json", home / "peer.json"
    ours, peer = [], []
    for _ in range(runs):
        ours.append(
            launch(
                [PY, "-m", "capex_gui", "summary", str(db), "--json"], cli_env, stdout_file=ours_out
            )
        )
        peer.append(
            launch(
                [PY, str(HERE / "bench_scale_peers.py"), "summary", str(db)],
                env,
                stdout_file=peer_out,
            )
        )
    same = ""
    if check and ours[-1].ok and peer[-1].ok:
        same = compare_summaries(json.loads(ours_out.read_text()), json.loads(peer_out.read_text()))
    add(
        "`summary --json`" + (f" ({same})" if same else ""),
        label,
        [r.seconds for r in ours],
        "s",
        peer=[r.seconds for r in peer],
        peer_name="pandas",
        target="≤ 0.5× pandas at 1M" if largest else "",
        ratio_limit=0.5 if largest else None,
    )
    add(
        "`summary --json` peak memory",
        label,
        [r.peak_mb for r in ours],
        "MB",
        peer=[r.peak_mb for r in peer],
        peer_name="pandas",
        target="≤ 0.5× pandas at 1M" if largest else "",
        ratio_limit=0.5 if largest else None,
    )
    for chart in ("spend", "suppliers", "companies"):
        for fmt in ("png", "svg"):
            ours_t, peer_t = [], []
            for _ in range(runs):
                out = home / f"ours.{fmt}"
                r = launch(
                    [
                        PY,
                        "-m",
                        "capex_gui",
                        "export-chart",
                        str(db),
                        "--chart",
                        chart,
                        "-o",
                        str(out),
                    ],
                    cli_env,
                )
                if not r.ok:
                    print(f"  export {chart} {fmt} failed: {r.stderr[-500:]}")
                ours_t.append(r.seconds if r.ok else float("nan"))
                p = launch(
                    [
                        PY,
                        str(HERE / "bench_scale_peers.py"),
                        "chart",
                        chart,
                        str(db),
                        str(home / f"peer.{fmt}"),
                    ],
                    env,
                )
                peer_t.append(p.seconds if p.ok else float("nan"))
            add(
                f"`export-chart --chart {chart}` {fmt.upper()}",
                label,
                ours_t,
                "s",
                peer=peer_t,
                peer_name="matplotlib",
                target="≤ 1.0× matplotlib",
                ratio_limit=1.0,
            )


def compare_summaries(ours: dict[str, Any], peer: dict[str, Any]) -> str:
    """ "same numbers" when the peer's spend, totals, shares and left-out rows equal ours."""
    from decimal import Decimal

    def amounts(rows: list[dict[str, Any]], key: tuple[str, ...]) -> dict[Any, Decimal]:
        return {tuple(r[k] for k in key): Decimal(r["amount"]) for r in rows}

    bad = []
    for name, key in (
        ("spend", ("company", "year", "category", "region")),
        ("totals", ("company", "year")),
    ):
        a, b = amounts(ours[name], key), amounts(peer[name], key)
        if a.keys() != b.keys() or any(abs(a[k] - b[k]) > Decimal("0.02") for k in a):
            bad.append(name)
    for name in ("supplier_shares", "domestic_share"):
        a, b = _shares(ours[name], name), _shares(peer[name], name)
        if a.keys() != b.keys() or any(abs(a[k] - b[k]) > 2e-6 for k in a):
            bad.append(name)
    left = {(e["table"], e["id"]) for e in ours["excluded"]}
    if left != {(e["table"], e["id"]) for e in peer["excluded"]}:
        bad.append("excluded")
    return "same numbers as the peer" if not bad else "peer differs: " + ", ".join(bad)


def _shares(rows: list[dict[str, Any]], name: str) -> dict[Any, float]:
    """(company, year, metric, supplier) -> share (the domestic shares by value only)."""
    return {
        (r["company"], r["year"], r["metric"], r.get("supplier")): r["share"]
        for r in rows
        if r["metric"] == "value" or name == "supplier_shares"
    }


CSV_COLUMNS = (
    "company",
    "period",
    "supplier",
    "chip_model",
    "region",
    "units",
    "value",
    "currency",
    "status",
    "source",
    "source_url",
)


def write_csv(db: Path, path: Path) -> int:
    """The chip orders of *db* as a CSV a user would import (names, not ids)."""
    import csv

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute(
        "SELECT c.name, o.year, o.period_kind, o.period_start, s.name, o.chip_model, r.name, "
        "o.units, o.value_minor, o.currency, o.status, o.source, o.source_url "
        "FROM chip_orders o JOIN companies c ON c.id = o.company_id "
        "JOIN suppliers s ON s.id = o.supplier_id JOIN regions r ON r.id = o.region_id "
        "ORDER BY o.id"
    )
    n = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(CSV_COLUMNS)
        for (
            company,
            year,
            kind,
            start,
            supplier,
            model,
            region,
            units,
            value,
            cur,
            status,
            source,
            url,
        ) in rows:
            if kind == "quarter":
                period = f"Q{(start % 100 - 1) // 3 + 1} {start // 100}"
            else:
                period = str(year)
            w.writerow(
                [
                    company,
                    period,
                    supplier,
                    model,
                    region,
                    "" if units is None else units,
                    "" if value is None else f"{value / 100:.2f}",
                    cur or "",
                    status,
                    source,
                    url,
                ]
            )
            n += 1
    con.close()
    return n


PANDAS_IMPORT = textwrap.dedent(
    """
    import sqlite3, sys
    import pandas as pd
    con = sqlite3.connect(sys.argv[2])
    for chunk in pd.read_csv(sys.argv[1], chunksize=100_000):
        chunk.to_sql("chip_orders", con, if_exists="append", index=False)
    con.commit()
    con.close()
    """
)


def step_import(db: Path, n: int, runs: int, env: dict[str, str], home: Path) -> None:
    label = size_label(n)
    csv_path = home / f"chips-{label}.csv"
    if not csv_path.exists():
        write_csv(db, csv_path)
    sys.path.insert(0, str(ROOT))
    from capex_gui.app.cli import COMMANDS

    importer = next((name for name in ("import-data", "import") if name in COMMANDS), None)
    ours, pandas, cli = [], [], []
    for i in range(runs):
        target = home / f"import-{i}.capex"
        if importer:
            for suffix in ("", "-wal", "-shm"):
                Path(str(target) + suffix).unlink(missing_ok=True)
            made = subprocess.run(
                [
                    PY,
                    "-m",
                    "capex_gui",
                    "generate",
                    str(target),
                    "--orders",
                    "0",
                    "--investments",
                    "0",
                ],
                env=env,
                capture_output=True,
            )
            assert made.returncode == 0, made.stderr
            r = launch(
                [
                    PY,
                    "-m",
                    "capex_gui",
                    importer,
                    str(target),
                    str(csv_path),
                    "--table",
                    "chip-orders",
                ],
                {**env, "CAPEX_GUI_HOME": str(home)},
            )
            if not r.ok:
                print(f"  import failed: {r.stderr[-800:]}")
            ours.append(r)
        plain = home / f"pandas-{i}.sqlite"
        plain.unlink(missing_ok=True)
        pandas.append(launch([PY, "-c", PANDAS_IMPORT, str(csv_path), str(plain)], env))
        raw = home / f"cli-{i}.sqlite"
        raw.unlink(missing_ok=True)
        if shutil.which("sqlite3"):
            cli.append(
                launch(
                    ["sqlite3", str(raw), ".import --csv " + str(csv_path) + " chip_orders"], env
                )
            )
    ours_t = [r.seconds if r.ok else float("nan") for r in ours]
    add(
        f"CSV import ({'`' + importer + '`' if importer else 'no importer on main yet'})",
        label,
        ours_t,
        "s",
        peer=[r.seconds for r in pandas],
        peer_name="pandas read_csv + to_sql",
        target="≤ 1.0× pandas",
        ratio_limit=1.0 if ours else None,
    )
    if cli:
        add(
            "CSV import vs the sqlite3 CLI",
            label,
            ours_t,
            "s",
            peer=[r.seconds for r in cli],
            peer_name="sqlite3 .import",
            target="≤ 2× sqlite3 CLI",
            ratio_limit=2.0 if ours else None,
        )
    add(
        "CSV import peak memory",
        label,
        [r.peak_mb for r in ours],
        "MB",
        peer=[r.peak_mb for r in pandas],
        peer_name="pandas (100k-row chunks)",
        target="bounded (not growing with N)",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M")
    parser.add_argument("--runs", type=int, default=5, help="runs per step (3 at 1M)")
    parser.add_argument("--steps", default="startup,gui,headless,import")
    parser.add_argument("--import-size", default="", help="CSV import size (default: largest)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "capex-bench")
    parser.add_argument("--out", type=Path, help="also write the table (markdown) here")
    args = parser.parse_args()
    sizes = sorted(parse_size(s) for s in args.sizes.split(","))
    steps = set(args.steps.split(","))
    args.cache.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYQTGRAPH_QT_LIB": "PySide6"}
    started_load = load()
    print(f"machine: {machine()}\nload average at start: {started_load}", flush=True)
    results: dict[int, dict[str, Any]] = {n: {} for n in sizes}
    import_size = parse_size(args.import_size) if args.import_size else sizes[-1]
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        for n in sizes:
            runs = args.runs if n < 1_000_000 else max(3, args.runs // 2)
            db = database(args.cache, n, env)
            largest = n == sizes[-1]
            print(
                f"{size_label(n)} chip orders ({db.stat().st_size / 1e6:.0f} MB file), "
                f"{runs} runs, load {load()}",
                flush=True,
            )
            if "startup" in steps:
                step_startup(db, n, runs, env, home, largest, results)
            if "gui" in steps:
                step_gui(db, n, runs, env, results, sizes[0], largest)
            if "headless" in steps:
                step_headless(db, n, runs, env, home, largest, check=True)
            if "import" in steps and n == import_size:
                step_import(db, n, max(1, runs // 2), env, home)
    report = (
        f"Machine: {machine()}. Load average at start {started_load}, at end {load()}. "
        f"Offscreen Qt platform; warm file cache.\n\n{table()}\n"
    )
    print(report)
    if args.out:
        args.out.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
