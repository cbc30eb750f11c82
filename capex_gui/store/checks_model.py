"""The reconciliation checks kept current from the store's signals (for the Checks panel).

Rows are read once when attached, on a worker thread (the window never waits for them); after
that each committed change is applied to the copy here, and the checks are recomputed once per
burst of changes, also on the worker thread (they read every row: hundreds of milliseconds at
100,000 rows). Changes that arrive while the rows load are held and applied after them unless
the rows already include them; changes during a run mark the findings stale, and the checks run
once more when it ends. Widgets read the findings from this object and never query the database.
"""

from __future__ import annotations

import gc
import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from capex_gui.domain.checks import Facts, Finding, Severity, problems, run_checks
from capex_gui.domain.entities import ChipOrder, Investment
from capex_gui.errors import StorageError
from capex_gui.storage.changes import latest_seq
from capex_gui.storage.figure_rows import figure_table
from capex_gui.store.store import RowChange, TableKind
from capex_gui.store.workers import gc_paused, make_runner

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from capex_gui.store.store import CapexStore

#: Milliseconds a burst of changes may last before the checks run again (at least).
COALESCE_MS = 30
#: The wait after the last change is this many times the last run's duration: on a large file
#: (a run of seconds) the checks wait for a pause in the typing instead of competing with it for
#: the GIL and the CPU; on a small one they follow each edit at once.
IDLE_FACTOR = 2

#: Figure rows above which the checks run only when asked (``run_now``): they hold every row in
#: memory (about 1 KB each) and take minutes over a million; the panel and badge say so.
AUTO_LIMIT = 250_000

#: Rows from which a read freezes the heap (below, full collections are quick anyway).
FREEZE_ROWS = 20_000

logger = logging.getLogger(__name__)


def _read_rows(s: Session) -> tuple[int, list[Investment], list[ChipOrder]]:
    """Every figure row and the change-log position they reflect (a worker's job)."""
    with gc_paused():
        seq = latest_seq(s)
        investments = figure_table("investments").read(s, None)
        orders = figure_table("chip_orders").read(s, None)
        rows = (
            seq,
            [i for i in investments if isinstance(i, Investment)],
            [o for o in orders if isinstance(o, ChipOrder)],
        )
        # the rows live as long as the window: keep full collections from scanning them again
        # and again (each scan of 100,000 rows held the GIL, and so the window, 0.1-0.5 s);
        # they are plain values, freed by reference counting when replaced
        if len(rows[1]) + len(rows[2]) >= FREEZE_ROWS:
            gc.freeze()
    return rows


def _run(facts: Facts) -> tuple[list[Finding], float]:
    """The checks over *facts* and the seconds they took (a worker's job). Their groupings of
    every row live through the run: automatic full collections would scan them repeatedly,
    holding the GIL (and so the window)."""
    start = time.perf_counter()
    with gc_paused():
        findings = run_checks(facts)
    return findings, time.perf_counter() - start


class ChecksModel(QObject):
    """Findings of :func:`run_checks` over the store's rows, recomputed as they change."""

    #: The findings changed (a list of Finding).
    findings_changed = Signal(object)

    def __init__(self, store: CapexStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._investments: dict[int, Investment] = {}
        self._orders: dict[int, ChipOrder] = {}
        self._findings: list[Finding] = []
        #: True once the findings reflect the rows (False while the first run is on its way).
        self.ready = False
        #: Figure rows in a file too large to check by itself (0: the checks run by themselves).
        self.deferred_rows = 0
        self._forced = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self.recompute)
        self._stopped = False
        # one thread of its own: a long run never holds up the charts' or the tables' reads
        self._runner = make_runner(store.repo.engine, self, threads=1)
        self._seq = 0
        self._loading = False
        self._held: list[RowChange] = []
        self._running = False  # a run of the checks is on its way
        self._stale = False  # rows changed during that run
        store.rows_changed.connect(self._on_rows_changed)
        for signal in (store.fx_changed, store.references_changed, store.statements_changed):
            signal.connect(self._schedule)
        store.reloaded.connect(self.reload)
        # a runner without threads reads at once: a file whose rows cannot be read is refused
        # as it opens, as before; read on a thread, the failure is reported when it comes
        self._failure: StorageError | None = None
        self._at_once = True
        self.reload()
        self._at_once = False
        if self._failure is not None:
            raise self._failure

    @property
    def findings(self) -> list[Finding]:
        """The current findings, hard inconsistencies first."""
        return list(self._findings)

    @property
    def problem_count(self) -> int:
        """Findings that are not agreements (the badge's number)."""
        return len(problems(self._findings))

    @property
    def hard_count(self) -> int:
        """Hard inconsistencies."""
        return sum(1 for f in self._findings if f.severity is Severity.HARD)

    @property
    def busy(self) -> bool:
        """True while rows load or the checks run (the findings may be behind the rows)."""
        return self._loading or self._running or self._timer.isActive()

    @property
    def delay_ms(self) -> int:
        """Milliseconds without a change before the checks run again."""
        return int(self._timer.interval())

    def facts(self) -> Facts:
        """What the checks read, from the copy kept here and the store's caches."""
        store = self._store
        return Facts(
            investments=list(self._investments.values()),
            chip_orders=list(self._orders.values()),
            fx_rates=store.fx_rates(),
            headlines=store.headlines(),
            shares=store.stated_shares(),
            countries=store.countries(),
        )

    def stop(self) -> None:
        """Recompute no more: the store's database is about to close (a pending run would
        open a new connection on it and leave it open)."""
        self._stopped = True
        self._timer.stop()
        self._runner.shutdown()
        if gc.get_freeze_count():
            gc.unfreeze()  # the rows go with the database; let what else was frozen be collected

    def run_now(self) -> None:
        """Run the checks on a file too large for them to run by themselves (the user asked)."""
        self._forced = True
        self.reload()

    def reload(self) -> None:
        """Read every row again (at start, and when anything may have changed), off the GUI
        thread; the checks run when they arrive. Over ``AUTO_LIMIT`` rows, only when asked."""
        if self._stopped:
            return
        repo = self._store.repo
        rows = repo.count_rows("investments") + repo.count_rows("chip_orders")
        if rows > AUTO_LIMIT and not self._forced:
            self.deferred_rows, self.ready = rows, False
            self._investments, self._orders, self._findings = {}, {}, []
            self.findings_changed.emit([])
            return
        self.deferred_rows = 0
        self._loading, self._held = True, []
        self._runner.submit("", _read_rows, self._on_rows_read, self._on_read_failed)

    def _on_rows_read(self, rows: tuple[int, list[Investment], list[ChipOrder]]) -> None:
        seq, investments, orders = rows
        self._seq, self._loading = seq, False
        self._investments = {i.id: i for i in investments if i.id is not None}
        self._orders = {o.id: o for o in orders if o.id is not None}
        held, self._held = self._held, []
        for change in held:
            if change.seq is None or change.seq > seq:
                self._apply(change)
        self.recompute()

    def _on_read_failed(self, error: Exception) -> None:
        self._loading, self._held = False, []
        logger.info("checks not run: the database cannot be read (%s)", error)
        if self._at_once and isinstance(error, StorageError):
            self._failure = error
        elif not self._stopped:
            self._store.error_occurred.emit(str(error))  # e.g. a damaged value: say so

    def recompute(self) -> None:
        """Run the checks (on the worker thread) and announce the result when it is back."""
        self._timer.stop()
        if self._stopped or self._loading:
            return
        if self._running:
            self._stale = True  # run once more when this run ends
            return
        try:
            facts = self.facts()
        except StorageError:  # the server is away: keep the last findings until it is back
            logger.info("checks not rerun: the database cannot be read", exc_info=True)
            return
        self._running, self._stale = True, False
        self._runner.submit("", lambda _s: _run(facts), self._on_findings, self._on_failed)

    def _on_findings(self, result: tuple[list[Finding], float]) -> None:
        self._running = False
        if self._stopped:
            return
        findings, took = result
        self._timer.setInterval(max(COALESCE_MS, int(IDLE_FACTOR * took * 1000)))
        self._findings = findings
        self.ready = True
        if self._stale:
            self._schedule()
        self.findings_changed.emit(self.findings)

    def _on_failed(self, error: Exception) -> None:
        self._running = False
        logger.info("checks not rerun: %s", error)

    def _schedule(self, *_args: object) -> None:
        if not self._stopped and not self.deferred_rows:
            self._timer.start()

    def _on_rows_changed(self, change: RowChange) -> None:
        if self.deferred_rows:
            return  # not checking this file (until asked)
        if self._loading:
            self._held.append(change)  # applied to the rows on their way, when they arrive
            return
        self._apply(change)
        self._schedule()

    def _apply(self, change: RowChange) -> None:
        rows: dict[int, Investment] | dict[int, ChipOrder]
        rows = self._investments if change.table is TableKind.INVESTMENTS else self._orders
        for gone in change.removed:
            rows.pop(gone.id or 0, None)
        for item in change.added:
            rows[item.id or 0] = item  # type: ignore[assignment]
        for _old, new in change.updated:
            rows[new.id or 0] = new  # type: ignore[assignment]
