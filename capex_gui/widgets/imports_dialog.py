"""File → Imports…: the imports recorded in this database, newest first, and removing one
whole (its rows, edited or not, and the names it created where nothing else uses them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from capex_gui.errors import CapexError

if TYPE_CHECKING:
    from capex_gui.storage.imports import ImportRecord
    from capex_gui.store.store import CapexStore

HEADERS = ("#", "When", "Into", "Rows", "File", "Names it created")
TABLE_LABELS = {"investments": "Investments", "chip_orders": "Chip orders", "fx_rates": "FX rates"}


def describe(record: ImportRecord) -> str:
    """'8 rows of chip orders from shipments.csv (import #3)'."""
    rows = f"{record.row_count:,} row{'s' if record.row_count != 1 else ''}"
    table = TABLE_LABELS.get(record.table, record.table).lower()
    return f"{rows} of {table} from {record.file_name} (import #{record.id})"


def created_names(record: ImportRecord) -> str:
    """'company Newco; supplier AMD' (or '' when it created none)."""
    return "; ".join(
        f"{kind} {', '.join(names)}" for kind, names in record.created.items() if names
    )


class ImportsDialog(QDialog):
    """The recorded imports; Remove deletes one whole after asking."""

    def __init__(self, store: CapexStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importsDialog")
        self.setWindowTitle("Imports")
        self._store = store
        self._records: list[ImportRecord] = []
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setObjectName("importsTable")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(len(HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.empty_label = QLabel("No imports are recorded in this database.", self)
        hint = QLabel(
            "Every import through File → Import data… or capex-gui import is recorded here. "
            "Removing one deletes all its rows, edited or not, and the companies and suppliers "
            "it created where nothing else uses them. Ctrl+Z does not bring them back: import "
            "the file again.",
            self,
        )
        hint.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("importsMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.remove_button = QPushButton("&Remove import…", self)
        self.remove_button.setObjectName("importsRemove")
        self.remove_button.setToolTip("Delete the chosen import's rows (asks first)")
        self.buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.remove_button.clicked.connect(lambda: self.remove_selected())
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.message)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self.resize(760, 360)
        self.refresh()

    def refresh(self) -> None:
        """Read the recorded imports again."""
        try:
            self._records = self._store.imports()
        except CapexError as exc:
            self._records = []
            self.message.setText(str(exc))
        self.table.setRowCount(len(self._records))
        for r, record in enumerate(self._records):
            cells = (
                f"{record.id}",
                record.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                TABLE_LABELS.get(record.table, record.table),
                f"{record.row_count:,}",
                record.file_name,
                created_names(record),
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(describe(record) if c != 5 else text)
                if c in (0, 3):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
        if self._records:
            self.table.selectRow(0)
        self.table.setVisible(bool(self._records))
        self.empty_label.setVisible(not self._records)
        self._update_buttons()

    def selected(self) -> ImportRecord | None:
        """The import chosen in the list."""
        rows = {i.row() for i in self.table.selectedIndexes()}
        return self._records[min(rows)] if rows else None

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.selected() is not None)

    def remove_selected(self, *, confirm: bool = True) -> ImportRecord | None:
        """Remove the chosen import (after asking); returns what was removed."""
        record = self.selected()
        if record is None:
            return None
        if confirm:
            replaced = (
                f" The {len(record.replaced)} rates it replaced are put back."
                if record.replaced
                else ""
            )
            answer = QMessageBox.question(
                self,
                "Remove import",
                f"Remove {describe(record)}?\n\nEvery row it added is deleted, edited or not; "
                f"Ctrl+Z does not bring them back.{replaced}",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        try:
            gone = self._store.remove_recorded_import(record.id)
        except CapexError as exc:
            self.message.setText(f"Not removed: {exc}.")
            return None
        self.message.setText(
            f"Removed {describe(gone)}." if gone else f"Import #{record.id} was removed already."
        )
        self.refresh()
        return gone
