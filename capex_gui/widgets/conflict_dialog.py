"""Someone else changed what you were changing: show both values and let the user choose.

Opened by the window when the store refuses a change as a conflict. Nothing of the user's
change is written until they choose; Escape keeps what is stored (never a silent overwrite,
in either direction). ``choose_resolutions`` is what the window calls, so tests patch it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from capex_gui.domain.entities import ChipOrder, FxRate, Investment
from capex_gui.errors import field_label
from capex_gui.models.columns import CHIP_ORDER_COLUMNS, INVESTMENT_COLUMNS, Column, display_text
from capex_gui.store.conflicts import Resolution

if TYPE_CHECKING:
    from capex_gui.errors import ConflictError, RowConflict

#: Longest value shown in a cell (the whole of it is in the tooltip).
MAX_SHOWN = 60

_COLUMNS: dict[str, dict[str, Column]] = {
    "investments": {c.key: c for c in INVESTMENT_COLUMNS},
    "chip_orders": {c.key: c for c in CHIP_ORDER_COLUMNS},
}


def field_title(table: str, field: str) -> str:
    """A field as its table column is headed ("source_url" -> "Source URL")."""
    column = _COLUMNS.get(table, {}).get(field)
    return column.header if column else field_label(field).capitalize()


def shown_value(table: str, field: str, value: Any) -> str:
    """A value as its table shows it; "(empty)" for nothing."""
    column = _COLUMNS.get(table, {}).get(field)
    if value is None or value == "":
        return "(empty)"
    try:
        text = display_text(column, value) if column else str(value)
    except (KeyError, ValueError, TypeError, AttributeError):
        text = str(value)
    return text or "(empty)"


def describe_row(row: RowConflict) -> str:
    """Which record a conflict is about: "Investment 12: ByteDance 2025, AI chips"."""
    item = row.theirs or row.yours or row.seen
    if isinstance(item, Investment):
        return f"Investment {row.row_id}: {item.company} {item.year}, {item.category}"
    if isinstance(item, ChipOrder):
        model = f" {item.chip_model}" if item.chip_model else ""
        return f"Chip order {row.row_id}: {item.company} {item.year}, {item.supplier}{model}"
    if isinstance(item, FxRate):
        return f"The {item.currency} rate for {item.year}"
    return f"Row {row.row_id}"


def _lines(row: RowConflict) -> list[tuple[str, str, str]]:
    """(what, theirs, yours) lines of one conflicting row."""
    table = row.table
    if row.deleted_by_them:
        return [("The whole row", "deleted", "your edit of it")]
    if row.deleted_by_you:
        changed = "; ".join(
            f"{field_title(table, f.field)}: {shown_value(table, f.field, f.theirs)}"
            for f in row.fields
        )
        return [("The whole row", f"changed ({changed})", "deleted")]
    return [
        (
            field_title(table, f.field),
            shown_value(table, f.field, f.theirs),
            shown_value(table, f.field, f.yours),
        )
        for f in row.fields
    ]


def _buttons_for(row: RowConflict) -> tuple[str, str]:
    """(keep mine, keep theirs) button texts for a single conflicting row."""
    if row.deleted_by_them:
        return "&Re-create the row", "&Drop my edit"
    if row.deleted_by_you:
        return "&Delete it anyway", "&Keep the row"
    return "Keep &mine", "Keep &theirs"


class ConflictDialog(QDialog):
    """Both values side by side; the user keeps theirs or their own, row by row."""

    def __init__(self, conflict: ConflictError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle("Changed by someone else")
        self._rows = list(conflict.rows)
        self._choice: Resolution | None = None
        single = len(self._rows) == 1
        layout = QVBoxLayout(self)
        if single:
            intro = (
                f"<b>{describe_row(self._rows[0])}</b> was changed by someone else while you "
                "were editing it. Nothing of yours is saved yet: choose which to keep."
            )
        else:
            intro = (
                f"<b>{len(self._rows)} rows</b> you changed were changed by someone else "
                "meanwhile. Nothing of yours is saved yet. Tick the rows where yours should win "
                "(Space ticks the current row), or keep all of one side."
            )
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.table = self._build_table(single)
        self.table.installEventFilter(self)
        layout.addWidget(self.table)
        self.buttons = QDialogButtonBox(self)
        if single:
            mine, theirs = _buttons_for(self._rows[0])
        else:
            mine, theirs = "Keep all &mine", "Keep all &theirs"
        self.keep_mine_button = QPushButton(mine, self)
        self.keep_mine_button.setToolTip("Write your values over the ones stored now")
        self.keep_theirs_button = QPushButton(theirs, self)
        self.keep_theirs_button.setToolTip("Leave the stored values as they are (Esc)")
        self.buttons.addButton(self.keep_mine_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.keep_theirs_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.keep_mine_button.clicked.connect(lambda: self._finish(Resolution.KEEP_MINE))
        self.keep_theirs_button.clicked.connect(lambda: self._finish(Resolution.KEEP_THEIRS))
        self.apply_button: QPushButton | None = None
        if not single:
            self.apply_button = QPushButton("&Apply my choices", self)
            self.apply_button.setToolTip("Yours where ticked, theirs elsewhere")
            self.buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.ApplyRole)
            self.apply_button.clicked.connect(lambda: self._finish(None))
            self.apply_button.setDefault(True)
        else:
            self.keep_theirs_button.setDefault(True)  # Enter never overwrites by accident
        layout.addWidget(self.buttons)
        self.table.setFocus()
        self.resize(self._preferred_width(), min(480, 170 + 28 * self.table.rowCount()))

    def _build_table(self, single: bool) -> QTableWidget:
        headers = ["What", "Theirs (saved now)", "Yours"]
        if not single:  # the intro names a single row; several need a name and a box each
            headers[:0] = ["Keep mine", "Row"]
        table = QTableWidget(0, len(headers), self)
        table.setObjectName("conflictTable")
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setWordWrap(False)
        table.setAccessibleName("Conflicting values")
        self._ticks: dict[int, QTableWidgetItem] = {}
        for conflict in self._rows:
            for n, (what, theirs, yours) in enumerate(_lines(conflict)):
                line = table.rowCount()
                table.insertRow(line)
                cells = [what, theirs, yours]
                if not single:
                    cells.insert(0, describe_row(conflict) if n == 0 else "")
                if not single:
                    tick = QTableWidgetItem()
                    if n == 0:
                        tick.setFlags(
                            Qt.ItemFlag.ItemIsUserCheckable
                            | Qt.ItemFlag.ItemIsEnabled
                            | Qt.ItemFlag.ItemIsSelectable
                        )
                        tick.setCheckState(Qt.CheckState.Unchecked)
                        tick.setToolTip("Ticked: your values win for this row")
                        self._ticks[conflict.row_id] = tick
                    else:
                        tick.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                    table.setItem(line, 0, tick)
                offset = 0 if single else 1
                for c, text in enumerate(cells):
                    item = QTableWidgetItem(_elide(text))
                    item.setToolTip(text)
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                    table.setItem(line, c + offset, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for side in (len(headers) - 2, len(headers) - 1):  # theirs and yours share the room
            header.setSectionResizeMode(side, QHeaderView.ResizeMode.Stretch)
        if table.rowCount():
            table.setCurrentCell(0, 0)
        return table

    def _preferred_width(self) -> int:
        header = self.table.horizontalHeader()
        width = sum(
            max(self.table.sizeHintForColumn(c), header.sectionSizeHint(c)) + 8
            for c in range(self.table.columnCount())
        )
        return max(560, min(1000, width + 60))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Space on the table ticks its row's box, whichever column is current
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Space
            and self._ticks
            and self.table.currentRow() >= 0
        ):
            self._toggle_line(self.table.currentRow())
            return True
        return super().eventFilter(watched, event)

    def _toggle_line(self, line: int) -> None:
        for row_line in range(line, -1, -1):  # the box sits on the row's first line
            tick = self.table.item(row_line, 0)
            if tick is not None and tick.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                checked = tick.checkState() == Qt.CheckState.Checked
                tick.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)
                return

    def _finish(self, everything: Resolution | None) -> None:
        self._choice = everything
        self.accept()

    def choices(self) -> dict[int, Resolution]:
        """The user's choice per row id (after the dialog was accepted)."""
        if self._choice is not None:
            return {row.row_id: self._choice for row in self._rows}
        return {
            row_id: Resolution.KEEP_MINE
            if tick.checkState() == Qt.CheckState.Checked
            else Resolution.KEEP_THEIRS
            for row_id, tick in self._ticks.items()
        }


def _elide(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_SHOWN else flat[: MAX_SHOWN - 1] + "…"


def choose_resolutions(
    parent: QWidget | None, conflict: ConflictError
) -> dict[int, Resolution] | None:
    """Ask the user about a conflict; None when they closed the dialog (keep what is stored)."""
    dialog = ConflictDialog(conflict, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.choices()
    finally:
        dialog.deleteLater()
