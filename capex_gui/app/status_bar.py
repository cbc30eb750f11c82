"""The main window's status bar: row counts, the sum of the selection, messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QMessageBox

from capex_gui import APP_NAME
from capex_gui.domain.entities import ChipOrder, Investment
from capex_gui.domain.money import CENT, exact_sum
from capex_gui.domain.parsing import format_amount
from capex_gui.errors import MissingRateError
from capex_gui.store.store import RowChange, TableKind

if TYPE_CHECKING:
    from decimal import Decimal

    from capex_gui.app.main_window import MainWindow
    from capex_gui.widgets.figure_table_view import FigureTableView

FX_TAB = 2


class WindowStatus(QObject):
    """Keeps the count and sum labels of one main window's status bar current."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._table_sizes: dict[TableKind, int] = {}
        self.count_label = QLabel(window)
        self.count_label.setObjectName("rowCountLabel")
        self.sum_label = QLabel(window)
        self.sum_label.setObjectName("selectionSumLabel")
        window.statusBar().addPermanentWidget(self.sum_label)
        window.statusBar().addPermanentWidget(self.count_label)

    def count_tables(self) -> None:
        """Count the rows of each table once (later kept by the changes, no COUNT(*) per edit)."""
        store = self._window.store
        assert store is not None
        self._table_sizes = {
            kind: store.repo.count_rows(kind.value)
            for kind in (TableKind.INVESTMENTS, TableKind.CHIP_ORDERS)
        }

    def on_rows_changed(self, change: RowChange) -> None:
        """Keep the table sizes (the models update their rows after this and refresh the label)."""
        self._table_sizes[change.table] += len(change.added) - len(change.removed)

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
        for row in rows[:100_000]:
            item = model.item_at(row)
            amount = (
                item.amount
                if isinstance(item, Investment)
                else (item.value if isinstance(item, ChipOrder) else None)
            )
            if amount is None or item.currency is None:
                continue
            try:
                amounts.append(fx.convert(amount, item.currency, item.year, cur))
            except MissingRateError as exc:
                missing.add(str(exc))
        text = f"Selected {len(rows)}: sum {format_amount(exact_sum(amounts).quantize(CENT), cur)}"
        if missing:
            text += f" (left out: {', '.join(sorted(missing))})"
        self.sum_label.setText(text)

    def show_input_rejected(self, view: FigureTableView, message: str, row: int, col: int) -> None:
        """A typed value was refused: say why in the status bar and next to the cell."""
        self._window.statusBar().showMessage(message, 10000)
        view.show_error_at(message, row, col)

    def show_storage_error(self, message: str) -> None:
        """A change the database refused: say so, keep running."""
        self._window.statusBar().showMessage(message, 10000)
        QMessageBox.warning(self._window, APP_NAME, message)
