"""The numbers behind every chart, kept current from the store's signals.

Ledgers are read once (from the summary tables, on a worker thread when a runner is given, so
the window never waits for them); each RowChange is applied as a delta; FX, currency and
reference changes need no re-read (the ledgers keep native-currency sums). Changes that arrive
while the ledgers load are held and applied after them, unless the ledgers already include them.
Bursts are coalesced: ``changed`` fires once per turn of the event loop however many signals
arrived (a paste of 500 rows, an import).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from capex_gui.domain.analytics import SpendLedger, SupplierLedger
from capex_gui.domain.entities import ChipOrder, Investment
from capex_gui.domain.evidence import OrderEvidence, SpendEvidence
from capex_gui.storage.aggregates import chart_figures

if TYPE_CHECKING:
    from capex_gui.domain.entities import Countries
    from capex_gui.domain.fx import FxTable
    from capex_gui.storage.aggregates import ChartFigures
    from capex_gui.store.store import CapexStore, Figure, RowChange
    from capex_gui.store.workers import Runner

logger = logging.getLogger(__name__)


class ChartData(QObject):
    """Ledgers and evidence for the charts; ``changed`` once per burst of store signals."""

    #: The figures changed (rows, FX rates, display currency or reference lists).
    changed = Signal()
    #: Companies, suppliers, categories or regions were added or removed.
    references_changed = Signal()

    #: The ledgers arrived (the first time, and after each re-read).
    loaded_changed = Signal()

    def __init__(
        self, store: CapexStore, parent: QObject | None = None, *, runner: Runner | None = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._runner = runner
        self.spend = SpendLedger()
        self.suppliers = SupplierLedger()
        self.spend_evidence = SpendEvidence()
        self.order_evidence = OrderEvidence()
        #: True once the ledgers have been read (charts show "loading" until then).
        self.loaded = False
        self._seq = 0  # the change-log position the ledgers reflect
        self._ticket: int | None = None  # the read on its way
        self._loading = False
        self._held: list[RowChange] = []  # changes that arrived while it was on its way
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.changed)
        self.reload()
        store.rows_changed.connect(self._on_rows_changed)
        store.fx_changed.connect(self.schedule)
        store.display_currency_changed.connect(self._on_currency_changed)
        store.references_changed.connect(self._on_references_changed)
        store.reloaded.connect(self._on_reloaded)

    @property
    def store(self) -> CapexStore:
        """The store the figures come from."""
        return self._store

    def reload(self) -> None:
        """Read ledgers and evidence (at start, and when everything may have changed; deltas
        keep them current in between): on the runner's thread if there is one, else now."""
        if self._runner is None:
            with self._store.snapshot() as seq:  # one moment, so deltas after it apply once
                self.spend = self._store.spend_ledger()
                self.suppliers = self._store.supplier_ledger()
                self.spend_evidence = self._store.spend_evidence()
                self.order_evidence = self._store.order_evidence()
            self._seq = seq
            self.loaded = True
            return
        self._runner.cancel(self._ticket)
        self._ticket = None
        self._loading = True
        ticket = self._runner.submit(
            "Loading the charts…", chart_figures, self._on_loaded, self._on_load_failed
        )
        if self._loading:  # a runner without threads has delivered already
            self._ticket = ticket

    def _on_load_failed(self, error: Exception) -> None:
        self._ticket, self._loading, self._held = None, False, []
        self._store.error_occurred.emit(str(error))

    def _on_loaded(self, figures: ChartFigures) -> None:
        self._ticket, self._loading = None, False
        self.spend, self.suppliers = figures.spend, figures.suppliers
        self.spend_evidence, self.order_evidence = figures.spend_evidence, figures.order_evidence
        self._seq = figures.seq
        self.loaded = True
        held, self._held = self._held, []
        for change in held:
            self._on_rows_changed(change)
        self.loaded_changed.emit()
        self.schedule()

    # -- what the charts read ---------------------------------------------------------------
    @property
    def currency(self) -> str:
        """The display currency."""
        return self._store.display_currency

    def fx(self) -> FxTable:
        """Current FX rates."""
        return self._store.fx_table()

    def countries(self) -> Countries:
        """Company and supplier countries (domestic vs imported)."""
        return self._store.countries()

    def company_names(self) -> list[str]:
        """Every company, by name."""
        return [c.name for c in self._store.companies()]

    def category_order(self) -> list[str]:
        """The managed category list, in its order."""
        return [c.name for c in self._store.categories()]

    def region_order(self) -> list[str]:
        """The managed region list, in its order."""
        return [r.name for r in self._store.regions()]

    def years(self) -> list[int]:
        """Every year some figure is for, ascending."""
        years = {key.year for key, _cur in self.spend.sums}
        years.update(year for _c, year, _s, _cur in self.suppliers.values)
        years.update(year for _c, year, _s in self.suppliers.units)
        years.update(year for _c, year, _m in self.suppliers.missing)
        return sorted(years)

    def order_years(self, company: str | None = None) -> list[int]:
        """Years with chip orders (of *company*, or of anyone), ascending."""
        found = {y for c, y, _s, _cur in self.suppliers.values if company in (None, c)}
        found.update(y for c, y, _s in self.suppliers.units if company in (None, c))
        return sorted(found)

    # -- keeping current --------------------------------------------------------------------
    def schedule(self) -> None:
        """Announce a change on the next turn of the event loop (once per burst)."""
        if not self._timer.isActive():
            self._timer.start()

    def _on_rows_changed(self, change: RowChange) -> None:
        if self._loading:
            self._held.append(change)  # applied to the ledgers on their way, when they arrive
            return
        if change.seq is not None and change.seq <= self._seq:
            return  # committed before the ledgers were read: they include it
        for row in change.removed:
            self._apply(row, -1)
        for old, new in change.updated:
            self._apply(old, -1)
            self._apply(new, +1)
        for row in change.added:
            self._apply(row, +1)
        self.schedule()

    def _apply(self, row: Figure, sign: int) -> None:
        if isinstance(row, Investment):
            self.spend.add(row, sign)
            self.spend_evidence.add(row, sign)
        elif isinstance(row, ChipOrder):
            self.suppliers.add(row, sign)
            self.order_evidence.add(row, sign)

    def _on_reloaded(self) -> None:
        self.reload()
        self.references_changed.emit()
        self.schedule()

    def _on_currency_changed(self, _code: str) -> None:
        self.schedule()

    def _on_references_changed(self) -> None:
        self.references_changed.emit()
        self.schedule()
