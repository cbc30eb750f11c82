"""The reconciliation checks kept current from the store's signals (for the Checks panel).

Rows are read once when attached; after that each committed change is applied to the copy
here, and the checks are recomputed once per burst of changes. Widgets read the findings from
this object and never query the database.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from capex_gui.domain.checks import Facts, Finding, Severity, problems, run_checks
from capex_gui.errors import StorageError
from capex_gui.store.store import RowChange, TableKind

if TYPE_CHECKING:
    from capex_gui.domain.entities import ChipOrder, Investment
    from capex_gui.store.store import CapexStore

#: Milliseconds a burst of changes may last before the checks run again.
COALESCE_MS = 30


logger = logging.getLogger(__name__)


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
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self.recompute)
        self._stopped = False
        repo = store.repo
        self._investments = {i.id: i for i in repo.investments() if i.id is not None}
        self._orders = {o.id: o for o in repo.chip_orders() if o.id is not None}
        store.rows_changed.connect(self._on_rows_changed)
        for signal in (store.fx_changed, store.references_changed, store.statements_changed):
            signal.connect(self._schedule)
        self.recompute()

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

    def recompute(self) -> None:
        """Run the checks now and announce the result."""
        self._timer.stop()
        if self._stopped:
            return
        try:
            facts = self.facts()
        except StorageError:  # the server is away: keep the last findings until it is back
            logger.info("checks not rerun: the database cannot be read", exc_info=True)
            return
        self._findings = run_checks(facts)
        self.findings_changed.emit(self.findings)

    def _schedule(self, *_args: object) -> None:
        if not self._stopped:
            self._timer.start()

    def _on_rows_changed(self, change: RowChange) -> None:
        rows: dict[int, Investment] | dict[int, ChipOrder]
        rows = self._investments if change.table is TableKind.INVESTMENTS else self._orders
        for gone in change.removed:
            rows.pop(gone.id or 0, None)
        for item in change.added:
            rows[item.id or 0] = item  # type: ignore[assignment]
        for _old, new in change.updated:
            rows[new.id or 0] = new  # type: ignore[assignment]
        self._schedule()
