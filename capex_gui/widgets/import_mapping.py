"""The import dialog's parts: the file preview and the column → field mapping editor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from capex_gui.dataio.fields import FIELDS, Field
from capex_gui.dataio.tabular import cell_text, column_label

if TYPE_CHECKING:
    from collections.abc import Sequence

    from capex_gui.dataio.convert import RowError
    from capex_gui.dataio.fields import ImportTable
    from capex_gui.dataio.mapping import ColumnMapping
    from capex_gui.dataio.tabular import TableRow

#: A previewed cell that cannot be imported: dark text on light red (in dark mode too).
BAD_CELL, BAD_CELL_TEXT = "#f4c7c3", "#1a1a1a"
#: Combo entry meaning "no column fills this field".
NO_COLUMN = "(none)"


class PreviewTable(QTableWidget):
    """The first rows of the file as read, each column headed by its letter, header and field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importPreview")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.setToolTip("The first rows of the file, as they will be read")

    def show_rows(
        self, headers: Sequence[str], rows: Sequence[TableRow], mapping: ColumnMapping | None
    ) -> None:
        """Fill the preview (line numbers down the side)."""
        width = max([len(headers), *(len(r.cells) for r in rows)], default=0)
        self.clear()
        self.setColumnCount(width)
        self.setRowCount(len(rows))
        self.set_mapping(headers, mapping)
        for r, row in enumerate(rows):
            self.setVerticalHeaderItem(r, QTableWidgetItem(str(row.line)))
            for c in range(width):
                text = cell_text(row.cell(c)).replace("\n", " ⏎ ")
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.setItem(r, c, item)
        self.resizeColumnsToContents()
        for c in range(width):
            self.setColumnWidth(c, min(self.columnWidth(c), 220))

    def _places(self, headers: Sequence[str]) -> tuple[dict[str, int], dict[str, int]]:
        """Line number -> preview row, and column label -> preview column."""
        rows = {}
        for r in range(self.rowCount()):
            item = self.verticalHeaderItem(r)
            if item is not None:
                rows[item.text()] = r
        return rows, {column_label(c, headers): c for c in range(self.columnCount())}

    def cell_of(
        self,
        headers: Sequence[str],
        error: RowError,
        places: tuple[dict[str, int], dict[str, int]] | None = None,
    ) -> tuple[int, int] | None:
        """(row, column) of the previewed cell an error is about (None when not shown)."""
        rows, columns = places or self._places(headers)
        row, column = rows.get(str(error.line)), columns.get(error.column)
        return None if row is None or column is None else (row, column)

    def show_cell(self, headers: Sequence[str], error: RowError) -> None:
        """Select and scroll to the previewed cell of *error*, if the preview holds it."""
        found = self.cell_of(headers, error)
        if found is not None:
            self.setCurrentCell(*found)
            item = self.item(*found)
            if item is not None:
                self.scrollToItem(item)

    def mark_errors(self, headers: Sequence[str], errors: Sequence[RowError]) -> None:
        """Tint the previewed cells that cannot be imported; their tooltip says why."""
        reasons: dict[tuple[int, int], list[str]] = {}
        places = self._places(headers)
        for error in errors:
            found = self.cell_of(headers, error, places)
            if found is not None:
                reasons.setdefault(found, []).append(error.reason)
        for r in range(self.rowCount()):
            for c in range(self.columnCount()):
                item = self.item(r, c)
                if item is None:
                    continue
                why = reasons.get((r, c))
                item.setBackground(QBrush(QColor(BAD_CELL)) if why else QBrush())
                item.setForeground(QBrush(QColor(BAD_CELL_TEXT)) if why else QBrush())
                item.setToolTip("\n".join(why) if why else item.text())

    def set_mapping(self, headers: Sequence[str], mapping: ColumnMapping | None) -> None:
        """Head each column with the field it fills ("A “Buyer” → Company")."""
        labels = {f.key: f.label for t in FIELDS.values() for f in t}
        for c in range(self.columnCount()):
            key = mapping.field_of(c) if mapping is not None else None
            text = column_label(c, headers)
            item = QTableWidgetItem(f"{text}\n→ {labels[key]}" if key else f"{text}\n(ignored)")
            if not key:
                item.setForeground(self.palette().placeholderText())
            self.setHorizontalHeaderItem(c, item)


class MappingEditor(QTableWidget):
    """One row per field: the column that fills it (a combo) and a fixed value (a line edit)."""

    #: The user changed the mapping (the new ColumnMapping).
    mapping_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importMapping")
        self.setColumnCount(3)
        self.setHorizontalHeaderLabels(["Field", "Column of the file", "or a fixed value"])
        self.verticalHeader().setVisible(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self._mapping: ColumnMapping | None = None
        self._headers: tuple[str, ...] = ()
        self._fields: tuple[Field, ...] = ()
        self._combos: dict[str, QComboBox] = {}
        self._edits: dict[str, QLineEdit] = {}
        self._updating = False

    @property
    def mapping(self) -> ColumnMapping | None:
        """The mapping as the user set it."""
        return self._mapping

    def combo(self, key: str) -> QComboBox:
        """The column combo of field *key* (tests drive it as a user would)."""
        return self._combos[key]

    def fixed_edit(self, key: str) -> QLineEdit:
        """The fixed-value edit of field *key*."""
        return self._edits[key]

    def load(self, table: ImportTable, headers: Sequence[str], mapping: ColumnMapping) -> None:
        """Show *mapping* of a file with *headers* for *table*."""
        self._updating = True
        self._headers = tuple(headers)
        self._fields = FIELDS[table]
        self._mapping = mapping
        self._combos.clear()
        self._edits.clear()
        self.setRowCount(len(self._fields))
        bold = QFont()
        bold.setBold(True)
        choices = [NO_COLUMN] + [column_label(i, headers) for i in range(len(headers))]
        for row, f in enumerate(self._fields):
            name = QTableWidgetItem(f.label + (" *" if f.required else ""))
            name.setFlags(Qt.ItemFlag.ItemIsEnabled)
            name.setToolTip(f.tooltip + ("\n(required)" if f.required else ""))
            if f.required:
                name.setFont(bold)
            self.setItem(row, 0, name)
            combo = QComboBox(self)
            combo.setObjectName(f"mapColumn_{f.key}")
            combo.addItems(choices)
            combo.setToolTip(f"Which column of the file holds the {f.label.lower()}")
            combo.setAccessibleName(f"Column for {f.label}")
            index = mapping.columns.get(f.key)
            combo.setCurrentIndex(0 if index is None else index + 1)
            combo.currentIndexChanged.connect(lambda _i, key=f.key: self._on_column(key))
            self.setCellWidget(row, 1, combo)
            self._combos[f.key] = combo
            edit = QLineEdit(mapping.fixed.get(f.key, ""), self)
            edit.setObjectName(f"mapFixed_{f.key}")
            edit.setPlaceholderText("same for every row")
            edit.setToolTip(
                f"A {f.label.lower()} for every row the column leaves empty "
                f"(or for all rows, without a column). {f.tooltip}"
            )
            edit.setAccessibleName(f"Fixed {f.label}")
            edit.editingFinished.connect(lambda key=f.key: self._on_fixed(key))
            self.setCellWidget(row, 2, edit)
            self._edits[f.key] = edit
        self.resizeRowsToContents()
        self._updating = False

    def _on_column(self, key: str) -> None:
        if self._updating or self._mapping is None:
            return
        index = self._combos[key].currentIndex() - 1
        self._mapping = self._mapping.with_column(key, None if index < 0 else index)
        self._updating = True
        for other, combo in self._combos.items():  # a column fills one field at most
            column = self._mapping.columns.get(other)
            combo.setCurrentIndex(0 if column is None else column + 1)
        self._updating = False
        self.mapping_changed.emit(self._mapping)

    def _on_fixed(self, key: str) -> None:
        if self._updating or self._mapping is None:
            return
        text = self._edits[key].text()
        if text.strip() == self._mapping.fixed.get(key, ""):
            return
        self._mapping = self._mapping.with_fixed(key, text)
        self.mapping_changed.emit(self._mapping)
