"""A small editable table of FX rates (units of a currency per US dollar, per year).

Every change goes through the store and onto the undo stack; the table follows ``fx_changed``
whoever made the change (this widget, undo, an import).
"""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from capex_gui.domain.currencies import MINOR_UNITS
from capex_gui.domain.entities import MAX_YEAR, MIN_YEAR, FxRate
from capex_gui.domain.money import strip_zeros
from capex_gui.errors import CapexError, ValidationError
from capex_gui.store.fx_commands import DeleteFxRate, SetFxRate

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from capex_gui.store.store import CapexStore

logger = logging.getLogger(__name__)

COLUMNS = ("currency", "year", "units_per_usd", "note")
HEADERS = ("Currency", "Year", "Units per USD", "Note")
RATE_COLUMN = 2
NOTE_COLUMN = 3

Index = QModelIndex | QPersistentModelIndex
#: Room a line edit's frame and text margins take on each side (Fusion: about 6 px).
PLACEHOLDER_PADDING = 8


def parse_rate(text: str, currency: str = "") -> Decimal:
    """A rate typed by a person: Decimal, never float; raises ValidationError with what to fix."""
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        raise ValidationError("type a rate, e.g. 7.27 (units of the currency per US dollar)")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        per = f"{currency} " if currency else "units "
        raise ValidationError(
            f"“{text.strip()}” is not a number: type how many {per}buy one US dollar, e.g. 7.27"
        ) from None
    if not value.is_finite() or value <= 0:
        raise ValidationError("an FX rate must be a positive number, e.g. 7.27")
    return value


def rate_text(value: Decimal) -> str:
    """7.2700 -> "7.27", never scientific notation."""
    return f"{strip_zeros(value):f}"


def placeholder_width(edit: QLineEdit) -> int:
    """Width a line edit needs to show its whole placeholder text (frame and margins too)."""
    text = edit.fontMetrics().horizontalAdvance(edit.placeholderText())
    margins = edit.textMargins()
    return text + margins.left() + margins.right() + 2 * PLACEHOLDER_PADDING


class FxRateTableModel(QAbstractTableModel):
    """FX rates as rows; the rate and the note are editable (currency and year are the key)."""

    #: Input was refused (message for the user, row, column).
    input_rejected = Signal(str, int, int)

    def __init__(
        self, store: CapexStore, undo_stack: QUndoStack, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._undo = undo_stack
        self._rates: list[FxRate] = store.fx_rates()

    def rates(self) -> list[FxRate]:
        """The rates shown, in row order."""
        return list(self._rates)

    def reload(self) -> None:
        """Re-read the rates; same keys -> dataChanged for changed rows, else a reset."""
        new = self._store.fx_rates()
        old_keys = [(r.currency, r.year) for r in self._rates]
        new_keys = [(r.currency, r.year) for r in new]
        if old_keys != new_keys:
            self.beginResetModel()
            self._rates = new
            self.endResetModel()
            return
        changed = [i for i, (a, b) in enumerate(zip(self._rates, new, strict=True)) if a != b]
        self._rates = new
        for row in changed:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # -- Qt model API -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Rows (Qt hook)."""
        return 0 if parent.isValid() else len(self._rates)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Columns (Qt hook)."""
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles (Qt hook)."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Rate and note are editable (Qt hook)."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (RATE_COLUMN, NOTE_COLUMN):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """DisplayRole and EditRole: text; numbers right-aligned (Qt hook)."""
        if not index.isValid() or not 0 <= index.row() < len(self._rates):
            return None
        rate = self._rates[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == 0:
                return rate.currency
            if column == 1:
                return str(rate.year)
            if column == RATE_COLUMN:
                return rate_text(rate.units_per_usd)
            return rate.note
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, RATE_COLUMN):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (0, 1):
                return (
                    "Currency and year identify a rate: delete it and add a new one to change them"
                )
            if column == RATE_COLUMN:
                return f"How many {rate.currency} buy one US dollar in {rate.year}"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Validate, write through the store, push the undo step (Qt hook)."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        old = self._rates[index.row()]
        try:
            if index.column() == RATE_COLUMN:
                new = old.with_changes(units_per_usd=parse_rate(str(value), old.currency))
            elif index.column() == NOTE_COLUMN:
                new = old.with_changes(note=str(value).strip())
            else:
                return False
            if new == old:
                return True
            # only what the user changed, and only if nobody changed it meanwhile (else asks)
            written = self._store.change_fx_rate(new, seen=old, ask=True)
        except CapexError as exc:
            self.input_rejected.emit(f"Not saved: {exc}", index.row(), index.column())
            return False
        if written is not None:  # None: the user kept the other change
            replaced, stored = written
            self._undo.push(SetFxRate(self._store, stored, replaced, done=True))
        return True


class FxRatesWidget(QWidget):
    """The FX rates table with a line to add a rate and a button to delete the selected ones."""

    #: A message for the user (also shown under the table).
    message_shown = Signal(str)

    def __init__(
        self, store: CapexStore, undo_stack: QUndoStack, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("fxRates")
        self._store = store
        self._undo = undo_stack
        self.model = FxRateTableModel(store, undo_stack, self)
        self.view = QTableView(self)
        self.view.setObjectName("fxRatesTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NOTE_COLUMN, QHeaderView.ResizeMode.Stretch)

        self.currency_combo = QComboBox(self)
        self.currency_combo.setObjectName("fxCurrency")
        for code in sorted(c for c in MINOR_UNITS if c != "USD"):
            self.currency_combo.addItem(code)
        self.currency_combo.setCurrentText("CNY")
        self.year_spin = QSpinBox(self)
        self.year_spin.setObjectName("fxYear")
        self.year_spin.setRange(MIN_YEAR, MAX_YEAR)
        self.year_spin.setValue(datetime.date.today().year)
        self.rate_edit = QLineEdit(self)
        self.rate_edit.setObjectName("fxRate")
        self.rate_edit.setPlaceholderText("units per USD, e.g. 7.27")
        self.note_edit = QLineEdit(self)
        self.note_edit.setObjectName("fxNote")
        self.note_edit.setPlaceholderText("note (where the rate comes from)")
        for edit in (self.rate_edit, self.note_edit):  # room for the whole placeholder
            edit.setMinimumWidth(placeholder_width(edit))
        self.add_button = QPushButton("&Add rate", self)
        self.delete_button = QPushButton("&Delete selected", self)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("fxMessage")
        self.message_label.setWordWrap(True)

        # two lines, so that both placeholders show whole without widening the window
        add_rate = QHBoxLayout()
        for widget in (self.currency_combo, self.year_spin, self.rate_edit):
            add_rate.addWidget(widget)
        add_rate.setStretch(2, 1)
        add_note = QHBoxLayout()
        add_note.addWidget(self.note_edit, 1)
        add_note.addWidget(self.add_button)
        buttons = QHBoxLayout()
        hint = QLabel("USD is always 1; a figure needs its currency's rate for its year.", self)
        hint.setWordWrap(True)  # wraps in a narrow window instead of widening it
        buttons.addWidget(hint, 1)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        layout.addLayout(add_rate)
        layout.addLayout(add_note)
        layout.addWidget(self.message_label)

        self.add_button.clicked.connect(self.add_rate)
        self.rate_edit.returnPressed.connect(self.add_rate)
        self.note_edit.returnPressed.connect(self.add_rate)
        self.delete_button.clicked.connect(self.delete_selected)
        self.model.input_rejected.connect(self._on_input_rejected)
        store.fx_changed.connect(self.model.reload)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    # -- actions ----------------------------------------------------------------------------
    def add_rate(self) -> bool:
        """Add the rate typed in the line under the table; True when it was saved."""
        currency = self.currency_combo.currentText().strip().upper()
        year = self.year_spin.value()
        try:
            value = parse_rate(self.rate_edit.text(), currency)
            if any((r.currency, r.year) == (currency, year) for r in self.model.rates()):
                raise ValidationError(
                    f"there is a {currency} rate for {year} already; edit it in the table"
                )
            rate = FxRate(currency, year, value, self.note_edit.text().strip())
            written = self._store.change_fx_rate(rate, seen=None, ask=True)
        except CapexError as exc:
            self._show(f"Not added: {exc}")
            self.rate_edit.setFocus()
            return False
        if written is None:
            self._show(f"Kept the {currency} rate for {year} someone else added meanwhile.")
            return False
        replaced, stored = written
        self._undo.push(SetFxRate(self._store, stored, replaced, done=True))
        self.rate_edit.clear()
        self.note_edit.clear()
        self._show(f"Added the {currency} rate for {year}.")
        return True

    def delete_selected(self) -> int:
        """Delete the selected rates (one undo step); returns how many."""
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        rates = [self.model.rates()[r] for r in rows]
        if not rates:
            return 0
        gone: list[FxRate] = []
        try:
            for rate in rates:
                old = self._store.delete_fx_rate(rate.currency, rate.year, seen=rate, ask=True)
                if old is not None:
                    gone.append(old)
        except CapexError as exc:
            self._show(f"Not deleted: {exc}")
        if not gone:
            return 0
        if len(gone) == 1:
            self._undo.push(DeleteFxRate(self._store, gone[0], done=True))
        else:
            self._undo.beginMacro(f"Delete {len(gone)} FX rates")
            for old in gone:
                self._undo.push(DeleteFxRate(self._store, old, done=True))
            self._undo.endMacro()
        self._show(
            f"Deleted {len(gone)} rate{'s' if len(gone) != 1 else ''} (Undo brings them back)."
        )
        return len(gone)

    def message(self) -> str:
        """The last message shown (for tests)."""
        return self.message_label.text()

    # -- helpers ----------------------------------------------------------------------------
    def _show(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_shown.emit(text)

    def _on_input_rejected(self, message: str, _row: int, _column: int) -> None:
        self._show(message)

    def _update_buttons(self) -> None:
        self.delete_button.setEnabled(self.view.selectionModel().hasSelection())
