"""Start-up benchmark: launch to first painted main window, app vs a bare PySide6 window.

Run it directly (pytest does not collect ``bench_*.py``)::

    .venv/bin/python tests/benchmarks/bench_startup.py [--runs 7] [--bundle build/dist/capex-gui/capex-gui]
        [--platform offscreen|xcb]

Each run is a fresh process. The clock starts just before the process is launched and stops when
the process reports its first paint event on the main window: the app prints
``FIRST_PAINT <unix time>`` when ``CAPEX_GUI_REPORT_FIRST_PAINT`` is set (see
capex_gui/app/application.py); the process is then stopped. An app without that hook is
reported as n/a. The bare
window is a QMainWindow with an empty QTableView, measured the same way in the same run, so the
difference is what the app itself costs (imports, opening the database, filling the tables).
Runs alternate between the candidates so machine noise hits both alike.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

FIRST_PAINT_ENV = "CAPEX_GUI_REPORT_FIRST_PAINT"
QUIT_AFTER_ENV = "CAPEX_GUI_QUIT_AFTER_MS"

BARE = textwrap.dedent(
    """
    import sys, time
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QTableView(window))
    window.resize(1280, 800)

    class FirstPaint(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                print(f"FIRST_PAINT {time.time():.6f}", flush=True)
                watched.removeEventFilter(self)
                QTimer.singleShot(0, app.quit)
            return False

    window.installEventFilter(FirstPaint(window))
    window.show()
    sys.exit(app.exec())
    """
)


def first_paint_seconds(command: list[str], env: dict[str, str], timeout: float = 120) -> float:
    """Seconds from launching *command* to its FIRST_PAINT line; NaN if it never reports one.

    The process is stopped as soon as it has reported (its clean quit is not what is measured).
    """
    started = time.time()
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    result = float("nan")
    try:
        for line in proc.stdout:
            if line.startswith("FIRST_PAINT "):
                result = float(line.split()[1]) - started
                break
    finally:
        if proc.poll() is None:
            proc.terminate()
        try:
            _out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            _out, err = proc.communicate()
    if result != result and proc.returncode:
        print(f"  {command[0]} exited with {proc.returncode}: {err.strip()[-500:]}")
    return result


def summary(name: str, times: list[float]) -> str:
    """One line: median, min and max in milliseconds."""
    valid = [t for t in times if t == t]
    if not valid:
        return f"{name:<28} n/a (no first-paint report: is {FIRST_PAINT_ENV} supported?)"
    ms = [t * 1000 for t in valid]
    return (
        f"{name:<28} median {statistics.median(ms):7.0f} ms   "
        f"min {min(ms):7.0f}   max {max(ms):7.0f}   (n={len(ms)})"
    )


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--bundle", type=Path, help="also time this PyInstaller executable")
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": args.platform,
            "CAPEX_GUI_HOME": str(home),
            FIRST_PAINT_ENV: "1",
            QUIT_AFTER_ENV: "20000",  # a safety net: each run is stopped once it has painted
        }
        db = Path(tmp) / "bench.capex"
        made = subprocess.run(
            [sys.executable, "-m", "capex_gui", "sample", str(db)],
            capture_output=True,
            text=True,
            env=env,
        )
        if made.returncode:
            print(made.stderr)
            return 1
        candidates: dict[str, list[str]] = {
            "bare PySide6 window": [sys.executable, "-c", BARE],
            "capex-gui (python -m)": [sys.executable, "-m", "capex_gui", str(db)],
        }
        if args.bundle:
            candidates["capex-gui (bundle)"] = [str(args.bundle.resolve()), str(db)]
        times: dict[str, list[float]] = {name: [] for name in candidates}
        for command in candidates.values():  # warm the file cache once, unmeasured
            first_paint_seconds(command, env)
        for _ in range(args.runs):
            for name, command in candidates.items():
                times[name].append(first_paint_seconds(command, env))

    print(f"launch → first painted main window, {args.platform} platform, {args.runs} runs")
    for name, values in times.items():
        print(summary(name, values))
    bare = statistics.median(times["bare PySide6 window"])
    for name, values in times.items():
        valid = [t for t in values if t == t]
        if name != "bare PySide6 window" and valid:
            print(f"{name:<28} costs {1000 * (statistics.median(valid) - bare):+.0f} ms over bare")
    return 0


if __name__ == "__main__":
    sys.exit(main())
