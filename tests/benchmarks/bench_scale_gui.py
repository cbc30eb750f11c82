"""The window part of bench_scale.py: one process, one database, the main window as a user has it.

Run by bench_scale.py (``python bench_scale_gui.py DB --runs 5``); prints one JSON object.

What it measures, each several times, with a 10 ms QTimer watching the GUI thread all along
(its worst lateness is the longest stall of each step):

* open      — the window built and shown on DB, until its charts have drawn (the window's
              ``charts_drawn`` signal);
* edit      — a chip order's value typed through the table model (``setData``), until the
              supplier chart has redrawn and both the chart's and the table's viewports have
              painted; ``setData`` alone is timed too. Every edit writes a new value;
* sort      — a column header clicked, until the table shows the new first rows and has painted;
              the peer, alternated with it, is the bare SQL sort on the same file (the table's
              own column, no joins: ``SELECT id FROM chip_orders ORDER BY col, id``);
* filter    — "H20" typed into the filter box (key by key), until the table shows the matching
              rows; then cleared. Peer: the same words as a bare ``LIKE`` over the table's text
              columns;
* scroll    — from the top to the last row (``scrollToBottom``), until the last row has painted.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

#: Give up on one step after this long (the old OFFSET paging needs minutes to reach row 1M).
STEP_TIMEOUT_S = 180.0


class StallWatch(QObject):
    """A 10 ms timer on the GUI thread; its worst lateness per step is the step's longest stall."""

    def __init__(self) -> None:
        super().__init__()
        self._clock = QElapsedTimer()
        self._clock.start()
        self._last = 0
        self.worst = 0.0
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = self._clock.nsecsElapsed()
        if self._last:
            self.worst = max(self.worst, (now - self._last) / 1e9 - 0.010)
        self._last = now

    def reset(self) -> None:
        """Start a new step: forget the worst so far."""
        self._last = self._clock.nsecsElapsed()
        self.worst = 0.0

    def step_worst(self) -> float:
        """The worst lateness since reset, counting the time since the last tick."""
        pending = (self._clock.nsecsElapsed() - self._last) / 1e9 - 0.010
        return max(self.worst, pending)


class Paints(QObject):
    """Counts paint events of the widgets it watches."""

    def __init__(self) -> None:
        super().__init__()
        self.count: dict[int, int] = {}

    def watch(self, widget: Any) -> None:
        widget.installEventFilter(self)
        self.count.setdefault(id(widget), 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Count, never consume (Qt hook)."""
        if event.type() == QEvent.Type.Paint:
            self.count[id(watched)] = self.count.get(id(watched), 0) + 1
        return False

    def of(self, widget: Any) -> int:
        return self.count.get(id(widget), 0)


def run_until(app: QApplication, done: Any, what: str, timeout: float = STEP_TIMEOUT_S) -> None:
    """Turn the event loop until *done()* is true."""
    deadline = time.perf_counter() + timeout
    while not done():
        app.processEvents()
        time.sleep(0.0002)  # an idle event loop waits (and lets worker threads run)
        if time.perf_counter() > deadline:
            raise TimeoutError(what)


def model_idle(model: Any) -> bool:
    """True when the table model has no sort, filter or count still running (app ≥ issue 14)."""
    return not getattr(model, "busy", False)


def chip_view(window: Any) -> tuple[Any, Any]:
    window.tabs.setCurrentIndex(1)
    return window.chip_orders_view, window.chip_orders_model


def open_window(app: QApplication, db_path: Path, home: Path, watch: StallWatch) -> Any:
    from capex_gui.app.main_window import MainWindow
    from capex_gui.storage.database import open_database

    settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
    database = open_database(db_path)
    drawn: list[float] = []
    window = MainWindow(database, settings, defer_charts=True)
    signal = getattr(window, "charts_drawn", None)
    if signal is not None:
        signal.connect(lambda: drawn.append(time.perf_counter()))
    window.resize(1400, 900)
    window.show()
    run_until(app, lambda: bool(drawn) or (signal is None and _charts_up(window)), "charts")
    return window


def _charts_up(window: Any) -> bool:
    area = window.chart_area
    return hasattr(area, "current_chart") and not area.current_chart().stale


def measure_open(app: QApplication, db: Path, runs: int, watch: StallWatch) -> dict[str, Any]:
    times, stalls = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as home:
            os.environ["CAPEX_GUI_HOME"] = home
            watch.reset()
            t0 = time.perf_counter()
            window = open_window(app, db, Path(home), watch)
            times.append(time.perf_counter() - t0)
            stalls.append(watch.step_worst())
            window.close()
            window.deleteLater()
            app.processEvents()
    return {"open_to_charts": times, "open_stall": stalls}


def measure_edits(app: QApplication, window: Any, runs: int, watch: StallWatch) -> dict[str, Any]:
    from decimal import Decimal

    view, model = chip_view(window)
    area = window.chart_area
    area.tabs.setCurrentIndex(1)  # supplier shares, all companies, the edited rows' year
    run_until(app, lambda: model_idle(model), "table")
    column = model.column_index("value")
    rows = [r for r in range(min(model.rowCount(), 400)) if model.item_at(r).value is not None]
    year = model.item_at(rows[0]).year
    rows = [r for r in rows if model.item_at(r).year == year][: runs + 2]
    area.set_context(None, year)
    chart = area.supplier_chart
    run_until(app, lambda: not chart.stale, "chart")
    paints = Paints()
    paints.watch(chart.plot_widget.viewport())
    paints.watch(view.viewport())
    for _ in range(10):
        app.processEvents()
    total, set_data, stalls = [], [], []
    for i, row in enumerate(rows[:runs]):
        item = model.item_at(row)
        view.scrollTo(model.index(row, column))
        for _ in range(5):
            app.processEvents()
        new = (item.value or Decimal(0)) + Decimal(i + 1)
        before = chart.redraw_count
        chart_paints, table_paints = (
            paints.of(chart.plot_widget.viewport()),
            paints.of(view.viewport()),
        )
        watch.reset()
        t0 = time.perf_counter()
        ok = model.setData(model.index(row, column), f"{new}", Qt.ItemDataRole.EditRole)
        t1 = time.perf_counter()
        assert ok, "the edit was refused"
        run_until(
            app,
            lambda b=before, c=chart_paints, t=table_paints: (
                chart.redraw_count > b
                and paints.of(chart.plot_widget.viewport()) > c
                and paints.of(view.viewport()) > t
            ),
            "edit repaint",
        )
        t2 = time.perf_counter()
        settle_until = time.perf_counter() + 0.3  # what runs after the repaint (checks, ...)
        run_until(app, lambda s=settle_until: time.perf_counter() > s, "settle")
        total.append(t2 - t0)
        set_data.append(t1 - t0)
        stalls.append(watch.step_worst())
    return {"edit_repainted": total, "edit_set_data": set_data, "edit_stall": stalls}


SORTS = {
    # column key in the table -> the stored column a bare SQL sort orders by
    "display_value": "value_minor",
    "units": "units",
    "company": "company_id",
    "period": "period_start",
    "supplier": "supplier_id",
}


def bare_sort(db: Path, column: str, descending: bool) -> float:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        t0 = time.perf_counter()
        order = "DESC" if descending else "ASC"
        con.execute(f"SELECT id FROM chip_orders ORDER BY {column} {order}, id").fetchall()
        return time.perf_counter() - t0
    finally:
        con.close()


def measure_sorts(
    app: QApplication, window: Any, db: Path, runs: int, watch: StallWatch
) -> dict[str, Any]:
    view, model = chip_view(window)
    paints = Paints()
    paints.watch(view.viewport())
    out: dict[str, Any] = {}
    for key, raw in SORTS.items():
        try:
            column = model.column_index(key)
        except KeyError:
            continue
        ours, peer, stalls = [], [], []
        for i in range(runs):
            descending = i % 2 == 0
            order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            seen = paints.of(view.viewport())
            watch.reset()
            t0 = time.perf_counter()
            view.sortByColumn(column, order)
            run_until(
                app,
                lambda s=seen: model_idle(model) and paints.of(view.viewport()) > s,
                f"sort {key}",
            )
            ours.append(time.perf_counter() - t0)
            stalls.append(watch.step_worst())
            peer.append(bare_sort(db, raw, descending))
        out[f"sort_{key}"] = ours
        out[f"sort_{key}_peer"] = peer
        out[f"sort_{key}_stall"] = stalls
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    run_until(app, lambda: model_idle(model), "unsort")
    return out


def bare_filter(db: Path, word: str) -> float:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    cols = ("chip_model", "source", "notes", "quote", "status", "source_url", "currency")
    where = " OR ".join(f"{c} LIKE ?" for c in cols)
    try:
        t0 = time.perf_counter()
        con.execute(
            f"SELECT id FROM chip_orders WHERE {where} ORDER BY id", [f"%{word}%"] * len(cols)
        ).fetchall()
        return time.perf_counter() - t0
    finally:
        con.close()


def measure_filter(
    app: QApplication, window: Any, db: Path, runs: int, watch: StallWatch
) -> dict[str, Any]:
    view, model = chip_view(window)
    paints = Paints()
    paints.watch(view.viewport())
    ours, cleared, peer, stalls, typing = [], [], [], [], []
    total = model.rowCount()
    for _ in range(runs):
        window.filter_edit.setFocus()
        watch.reset()
        t0 = time.perf_counter()
        worst_key = 0.0
        for ch in "H20":
            k0 = time.perf_counter()
            QTest.keyClick(window.filter_edit, ch)
            worst_key = max(worst_key, time.perf_counter() - k0)
        typed = time.perf_counter()
        seen = paints.of(view.viewport())
        run_until(
            app,
            lambda s=seen: (
                model.query.text == "H20" and model_idle(model) and paints.of(view.viewport()) > s
            ),
            "filter",
        )
        ours.append(time.perf_counter() - typed)
        stalls.append(watch.step_worst())
        typing.append(worst_key)
        peer.append(bare_filter(db, "H20"))
        seen = paints.of(view.viewport())
        t1 = time.perf_counter()
        window.filter_edit.clear()
        run_until(
            app,
            lambda s=seen: (
                model.query.text == ""
                and model_idle(model)
                and model.rowCount() in (total, min(total, 5000))
                and paints.of(view.viewport()) > s
            ),
            "clear filter",
        )
        cleared.append(time.perf_counter() - t1)
        _ = t0
    return {
        "filter": ours,
        "filter_peer": peer,
        "filter_stall": stalls,
        "filter_clear": cleared,
        "filter_keystroke": typing,
    }


def measure_scroll(app: QApplication, window: Any, runs: int, watch: StallWatch) -> dict[str, Any]:
    view, model = chip_view(window)
    paints = Paints()
    paints.watch(view.viewport())
    times, stalls = [], []
    total = window.status._table_sizes.get(model.table) if hasattr(window, "status") else None
    for _ in range(runs):
        view.scrollToTop()
        run_until(app, lambda: model_idle(model), "top")
        for _ in range(5):
            app.processEvents()
        watch.reset()
        t0 = time.perf_counter()
        deadline = t0 + STEP_TIMEOUT_S

        def at_end() -> bool:
            view.scrollToBottom()
            last = view.rowAt(view.viewport().height() - 2)
            n = model.rowCount()
            return n == (total or n) and last == n - 1 and model_idle(model)

        try:
            run_until(app, at_end, "scroll", timeout=deadline - time.perf_counter())
            seen = paints.of(view.viewport())
            run_until(app, lambda s=seen: paints.of(view.viewport()) > s, "scroll paint")
            times.append(time.perf_counter() - t0)
        except TimeoutError:
            times.append(float("inf"))
        stalls.append(watch.step_worst())
        view.scrollToTop()
    return {"scroll_end": times, "scroll_stall": stalls}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--steps", default="open,edit,sort,filter,scroll")
    args = parser.parse_args()
    steps = set(args.steps.split(","))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    from capex_gui.app.application import create_application

    create_application()
    watch = StallWatch()
    db = args.db.resolve()
    results: dict[str, Any] = {}
    if "open" in steps:
        results |= measure_open(app, db, max(1, args.runs // 2), watch)
    with tempfile.TemporaryDirectory() as home:
        os.environ["CAPEX_GUI_HOME"] = home
        work = Path(home) / db.name  # edits go into a copy: the cached file stays as made
        con = sqlite3.connect(db)
        dest = sqlite3.connect(work)
        con.backup(dest)
        con.close()
        dest.close()
        window = open_window(app, work, Path(home), watch)
        if "edit" in steps:
            results |= measure_edits(app, window, args.runs, watch)
        if "sort" in steps:
            results |= measure_sorts(app, window, work, args.runs, watch)
        if "filter" in steps:
            results |= measure_filter(app, window, work, args.runs, watch)
        if "scroll" in steps:
            results |= measure_scroll(app, window, max(1, args.runs // 2), watch)
        window.close()
        app.processEvents()
    print(json.dumps({k: v for k, v in results.items()}))
    _ = statistics
    return 0


if __name__ == "__main__":
    sys.exit(main())
