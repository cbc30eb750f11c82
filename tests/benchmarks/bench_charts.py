"""Edit-to-charts-repainted latency at 1,000 and 100,000 chip orders: deltas vs re-querying.

Run:  .venv/bin/python tests/benchmarks/bench_charts.py [--edits N] [--sizes 1000,100000]

Each edit changes one chip order's value through the store (one committed transaction), then
waits until the visible chart (supplier shares of the company and year being edited) has
redrawn and its viewport has painted. Two peers run on the same database in the same process:

* delta     — the app's path: ledgers read once, each RowChange applied as a delta;
* re-query  — the same charts, but every change re-reads the ledgers and evidence with the
              GROUP BY queries (what a chart without deltas would have to do).

Every edit writes a new value (SQLite skips an UPDATE that stores the same value, so repeating
one edit would measure nothing). Not collected by pytest (the file name is bench_*.py).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from capex_gui.domain.money import to_minor
from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository
from capex_gui.storage.sample import write_sample
from capex_gui.store.store import CapexStore, RowChange, TableKind
from capex_gui.widgets.charts.chart_area import ChartArea
from capex_gui.widgets.charts.chart_data import ChartData

SUPPLIERS = ("Huawei", "Cambricon", "Nvidia")


class RequeryChartData(ChartData):
    """The peer: re-reads ledgers and evidence with the GROUP BY queries instead of applying
    deltas (once per coalesced burst, like the delta path's redraw)."""

    def __init__(
        self, store: CapexStore, parent: QObject | None = None, *, runner: object = None
    ) -> None:
        super().__init__(store, parent)  # re-reads at once, on the GUI thread, like before
        self._timer.timeout.disconnect(self.changed)
        self._timer.timeout.connect(self._reload_then_announce)

    def _on_rows_changed(self, change: RowChange) -> None:
        self.schedule()

    def _reload_then_announce(self) -> None:
        self.reload()
        self.changed.emit()


class PaintCounter(QObject):
    """Counts paint events of one widget (the chart's viewport)."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Count, never consume (Qt hook)."""
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def fill(repo: Repository, n: int, rng: random.Random) -> None:
    """Sample data plus *n* ByteDance 2025 chip orders, bulk-loaded."""
    write_sample(repo)
    company = next(c.id for c in repo.companies() if c.name == "ByteDance")
    region = next(r.id for r in repo.regions() if r.name == "China")
    suppliers = [s.id for s in repo.suppliers() if s.name in SUPPLIERS]
    rows: list[dict[str, Any]] = []
    for i in range(n):
        rows.append(
            {
                "company_id": company,
                "year": 2025,
                "region_id": region,
                "supplier_id": suppliers[i % len(suppliers)],
                "chip_model": "",
                "units": rng.randint(100, 10_000),
                "value_minor": to_minor(Decimal(rng.randint(10**6, 10**8))),
                "currency": "CNY",
                "status": "estimate" if i % 7 == 0 else "reported",
                "bound": "exact",
                "source": f"Bulk source {i % 50}",
                "source_url": "",
                "reported_on": None,
                "quote": "",
                "notes": "",
                "export_note": "",
            }
        )
    repo.bulk_insert_chip_orders(rows)


def settle(app: QApplication, chart: Any, before: int, painted: PaintCounter) -> None:
    """Run the event loop until *chart* has redrawn and its viewport has painted since."""
    deadline = time.perf_counter() + 30
    while chart.redraw_count == before:
        app.processEvents()
        if time.perf_counter() > deadline:
            raise RuntimeError("the chart never redrew")
    paints = painted.paints
    while painted.paints == paints:
        app.processEvents()
        if time.perf_counter() > deadline:
            raise RuntimeError("the chart never painted")


def measure(
    app: QApplication,
    store: CapexStore,
    data_type: type[ChartData],
    settings: QSettings,
    host: QWidget,
    edits: int,
    rng: random.Random,
) -> tuple[list[float], list[float], float]:
    """(edit-to-repainted seconds, store-write seconds, set-up seconds) over *edits* edits."""
    started = time.perf_counter()
    area = ChartArea(store, settings, host, data_type=data_type)
    host.layout().addWidget(area)  # type: ignore[union-attr]
    area.set_context("ByteDance", 2025)
    area.tabs.setCurrentIndex(1)
    host.show()
    for _ in range(5):
        app.processEvents()
    setup = time.perf_counter() - started
    chart = area.supplier_chart
    chart.ensure_current()
    painted = PaintCounter(area)
    chart.plot_widget.viewport().installEventFilter(painted)
    for _ in range(5):
        app.processEvents()
    ids = [o.id for o in store.repo.chip_orders() if o.year == 2025 and o.id is not None]
    picked = store.repo.chip_orders(rng.sample(ids, edits))
    totals: list[float] = []
    writes: list[float] = []
    for i, order in enumerate(picked):
        new = order.with_changes(value=(order.value or Decimal(0)) + Decimal(i + 1))
        before = chart.redraw_count
        t0 = time.perf_counter()
        store.update_row(TableKind.CHIP_ORDERS, new)
        t1 = time.perf_counter()
        settle(app, chart, before, painted)
        t2 = time.perf_counter()
        writes.append(t1 - t0)
        totals.append(t2 - t0)
    area.setParent(None)
    area.deleteLater()
    app.processEvents()
    return totals, writes, setup


def p95(values: list[float]) -> float:
    """95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=40, help="edits per size and peer")
    parser.add_argument("--sizes", default="1000,100000", help="chip orders, comma-separated")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    rng = random.Random(4)
    results: list[tuple[int, str, list[float], list[float], float]] = []
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            database = open_database(Path(folder) / "bench.capex", create=True)
            try:
                repo = Repository(database.engine)
                fill(repo, size, rng)
                host = QWidget()
                QVBoxLayout(host)
                host.resize(1000, 700)
                store = CapexStore(repo, host)
                settings = QSettings(str(Path(folder) / "bench.ini"), QSettings.Format.IniFormat)
                for name, data_type in (("delta", ChartData), ("re-query", RequeryChartData)):
                    totals, writes, setup = measure(
                        app, store, data_type, settings, host, args.edits, rng
                    )
                    results.append((size, name, totals, writes, setup))
                host.close()
                host.deleteLater()
                app.processEvents()
            finally:
                database.close()
    ms = 1000.0
    header = (
        f"{'chip orders':>11}  {'path':<9} {'median ms':>9} {'p95 ms':>8}"
        f"  {'write med':>9}  {'chart med':>9}  {'open ms':>8}"
    )
    print(f"edit -> charts repainted, {args.edits} edits per row (offscreen, this machine)")
    print(header)
    print("-" * len(header))
    for size, name, totals, writes, setup in results:
        chart_part = [t - w for t, w in zip(totals, writes, strict=True)]
        print(
            f"{size:>11,}  {name:<9} {statistics.median(totals) * ms:>9.2f} "
            f"{p95(totals) * ms:>8.2f}  {statistics.median(writes) * ms:>9.2f}"
            f"  {statistics.median(chart_part) * ms:>9.2f}  {setup * ms:>8.0f}"
        )
    print(
        "write = store.update_row (SELECT old row, UPDATE, commit, signal); chart = the rest: "
        "coalescing timer, (re-query), figures, plot items, viewport paint; "
        "open = building the chart area (initial reads)."
    )


if __name__ == "__main__":
    main()
