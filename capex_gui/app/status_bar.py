"""The main window's status bar: row counts, the sum of the selection, messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QMessageBox

from capex_gui import APP_NAME
from capex_gui.domain.entities import Investment
from capex_gui.domain.money import CENT, exact_sum
from capex_gui.domain.parsing import format_amount
from capex_gui.errors import MissingRateError
from capex_gui.store.store import RowChange, TableKind

if TYPE_CHECKING:
    from decimal import Decimal

    from capex_gui.app.main_window import MainWindow
    from capex_gui.models.figure_table_model import FigureTableModel
    from capex_gui.widgets.figure_table_view import FigureTableView

FX_TAB = 2
#: Rows the selection sum reads at most (a bigger selection says what it left out).
MAX_SUMMED_ROWS = 100_000


class WindowStatus(QObject):
    """Keeps the count and sum labels of one main window's status bar current."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._table_sizes: dict[TableKind, int] = {}
        self._last_refusal = ""
        self.count_label = QLabel(window)
        self.count_label.setObjectName("rowCountLabel")
        self.sum_label = QLabel(window)
        self.sum_label.setObjectName("selectionSumLabel")
        window.statusBar().addPermanentWidget(self.sum_label)
        window.statusBar().addPermanentWidget(self.count_label)
        # the sum follows edits, undo, FX and currency changes of the selected rows: the
        # models' own signals (after their rows are current), coalesced into one update
        self._sum_timer = QTimer(self)
        self._sum_timer.setSingleShot(True)
        self._sum_timer.setInterval(0)
        self._sum_timer.timeout.connect(self.update_selection_sum)

    def follow(self, model: FigureTableModel, view: FigureTableView) -> None:
        """Keep the count and the selection sum current as *model* and *view* change."""
        model.modelReset.connect(self.update_counts)
        model.rowsInserted.connect(lambda *_: self.update_counts())
        model.rowsRemoved.connect(lambda *_: self.update_counts())
        for signal in (model.dataChanged, model.modelReset, model.rowsRemoved, model.layoutChanged):
            signal.connect(lambda *_: self._sum_timer.start())
        view.selectionModel().selectionChanged.connect(lambda *_: self.update_selection_sum())

    def follow_fx(self) -> None:
        """Keep the FX rate count current (the FX tab's count follows added and deleted rates)."""
        store = self._window.store
        assert store is not None
        store.fx_changed.connect(self._on_fx_changed)

    def _on_fx_changed(self) -> None:
        if self._window.tabs.currentIndex() == FX_TAB:
            self.update_counts()

    def count_tables(self) -> None:
        """Count the rows of each table once (later kept by the changes, no COUNT(*) per edit)."""
        store = self._window.store
        assert store is not None
        self._table_sizes = {
            kind: store.repo.count_rows(kind.value)
            for kind in (TableKind.INVESTMENTS, TableKind.CHIP_ORDERS)
        }

    def on_rows_changed(self, change: RowChange) -> None:
        """Keep the table sizes (the models update their rows after this and refresh the label);
        an accepted change clears the refusal shown before it."""
        self._table_sizes[change.table] += len(change.added) - len(change.removed)
        self.clear_refusal()

    def clear_refusal(self) -> None:
        """Take down the last refusal (status bar and beside its cell), if it still shows."""
        window = self._window
        if self._last_refusal and window.statusBar().currentMessage() == self._last_refusal:
            window.statusBar().clearMessage()
        self._last_refusal = ""
        for view, _model in window.pairs():
            view.clear_error()

    def update_counts(self) -> None:
        """'12 investments' or '3 of 12 investments' (or the FX rate count on the FX tab)."""
        window = self._window
        assert window.store is not None
        if window.tabs.currentIndex() == FX_TAB:
            n = len(window.store.fx_rates())
            self.count_label.setText(f"{n} FX rate{'s' if n != 1 else ''}")
            return
        model = window.current_model()
        total = self._table_sizes[model.table]
        shown = model.rowCount()
        noun = model.table.label.lower()
        text = f"{shown:,} {noun}" if shown == total else f"{shown:,} of {total:,} {noun}"
        self.count_label.setText(text)

    def update_selection_sum(self) -> None:
        """Sum of the selected rows' amounts in the display currency."""
        window = self._window
        store = window.store
        if store is None or window.tabs.currentIndex() == FX_TAB:
            self.sum_label.setText("")
            return
        view = window.current_view()
        selected = view.selectionModel().selectedIndexes() if view.selectionModel() else []
        rows = sorted({i.row() for i in selected})
        if len(rows) < 1:
            self.sum_label.setText("")
            return
        model = view.figure_model()
        fx, cur = store.fx_table(), store.display_currency
        amounts: list[Decimal] = []
        missing: set[str] = set()
        no_value = 0
        for row in rows[:MAX_SUMMED_ROWS]:
            if row >= model.rowCount():
                continue
            item = model.item_at(row)
            amount = item.amount if isinstance(item, Investment) else item.value
            if amount is None or item.currency is None:
                no_value += 1
                continue
            try:
                amounts.append(fx.convert(amount, item.currency, item.year, cur))
            except MissingRateError as exc:
                missing.add(str(exc))
        text = f"Selected {len(rows)}: sum {format_amount(exact_sum(amounts).quantize(CENT), cur)}"
        left_out = sorted(missing)
        if no_value:
            left_out.append(f"{no_value} without a value")
        if len(rows) > MAX_SUMMED_ROWS:
            left_out.append(f"rows past the first {MAX_SUMMED_ROWS:,}")
        if left_out:
            text += f" (left out: {', '.join(left_out)})"
        self.sum_label.setText(text)

    def show_input_rejected(self, view: FigureTableView, message: str, row: int, col: int) -> None:
        """A typed value was refused: say why in the status bar and next to the cell."""
        self._last_refusal = message
        self._window.statusBar().showMessage(message, 15000)
        view.show_error_at(message, row, col)

    def show_storage_error(self, message: str) -> None:
        """A change the database refused: say so, keep running."""
        self._window.statusBar().showMessage(message, 10000)
        QMessageBox.warning(self._window, APP_NAME, message)
