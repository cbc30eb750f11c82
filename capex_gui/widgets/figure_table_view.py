"""The spreadsheet-like view of a figure table: rectangle selection, copy/paste, link clicks."""

from __future__ import annotations

import csv
import io

from PySide6.QtCore import QModelIndex, QPoint, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QToolTip, QWidget

from capex_gui.models.columns import Kind
from capex_gui.models.figure_table_model import FigureTableModel


def parse_tsv(text: str) -> list[list[str]]:
    """Tab-separated text from a spreadsheet (quoted cells allowed) as rows of cells."""
    text = text.replace("\r\n", "\n").rstrip("\n")
    if not text:
        return []
    return [row for row in csv.reader(io.StringIO(text), delimiter="\t")]


class FigureTableView(QTableView):
    """A table view that behaves like a good spreadsheet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setSortingEnabled(True)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(True)
        self.horizontalHeader().setSectionsMovable(True)
        self.horizontalHeader().setHighlightSections(True)
        self.horizontalHeader().setSortIndicatorShown(True)
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)

    def figure_model(self) -> FigureTableModel:
        """The model, typed."""
        model = self.model()
        assert isinstance(model, FigureTableModel)
        return model

    def apply_default_widths(self) -> None:
        """Column widths from the column declarations."""
        for i, column in enumerate(self.figure_model().columns):
            self.setColumnWidth(i, column.width)

    # -- selection helpers ------------------------------------------------------------------
    def selected_rows(self) -> list[int]:
        """Rows with any selected cell (or the current row)."""
        rows = {i.row() for i in self.selectionModel().selectedIndexes()}
        if not rows and self.currentIndex().isValid():
            rows = {self.currentIndex().row()}
        return sorted(rows)

    def selected_rectangle(self) -> tuple[list[int], list[int]]:
        """Rows and columns spanned by the selection (the bounding rectangle)."""
        indexes = self.selectionModel().selectedIndexes() or (
            [self.currentIndex()] if self.currentIndex().isValid() else []
        )
        rows = sorted({i.row() for i in indexes})
        cols = sorted({i.column() for i in indexes}, key=self.horizontalHeader().visualIndex)
        return rows, cols

    def copy_selection(self) -> str:
        """Copy the selected rectangle as tab-separated text; returns it."""
        rows, cols = self.selected_rectangle()
        if not rows:
            return ""
        text = self.figure_model().copy_text(rows, cols)
        QGuiApplication.clipboard().setText(text)
        return text

    def paste_text(self, text: str) -> list[str]:
        """Paste tab-separated text at the current cell. Returns errors (empty on success)."""
        grid = parse_tsv(text)
        if not grid:
            return ["the clipboard holds no cells to paste"]
        current = self.currentIndex()
        top = current.row() if current.isValid() else self.figure_model().rowCount()
        left = current.column() if current.isValid() else 0
        return self.figure_model().paste_grid(top, left, grid)

    def show_error_at(self, message: str, row: int, column: int) -> None:
        """A tooltip with *message* next to the cell it concerns."""
        if row < 0:
            QToolTip.showText(self.viewport().mapToGlobal(QPoint(10, 10)), message, self)
            return
        rect = self.visualRect(self.model().index(row, column))
        QToolTip.showText(self.viewport().mapToGlobal(rect.bottomLeft()), message, self)

    # -- events -----------------------------------------------------------------------------
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        if (
            index.isValid()
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
            and self._is_link(index)
        ):
            url = str(index.data(Qt.ItemDataRole.UserRole) or "")
            if url:
                QDesktopServices.openUrl(QUrl(url))
                return
        super().mouseReleaseEvent(event)

    def _is_link(self, index: QModelIndex) -> bool:
        return self.figure_model().columns[index.column()].kind is Kind.URL

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != (
            QAbstractItemView.State.EditingState
        ):
            current = self.currentIndex()
            if current.isValid() and current.flags() & Qt.ItemFlag.ItemIsEditable:
                self.edit(current)
                return
        super().keyPressEvent(event)
