"""The spreadsheet-like view of a figure table: rectangle selection, copy/paste, link clicks."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices, QGuiApplication, QKeyEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

from capex_gui.models.cells import WARNING_COLOUR
from capex_gui.models.columns import Kind
from capex_gui.models.figure_table_model import FigureTableModel
from capex_gui.models.safe_links import is_openable_url

#: How long a refusal stays beside its cell (the next accepted edit clears it sooner).
MESSAGE_MS = 15000


class CellMessage(QLabel):
    """Why a typed value was refused, shown under its cell until the next accepted edit."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("cellMessage")
        self.setWordWrap(True)
        self.setMargin(4)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAutoFillBackground(True)
        self.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.setFrameShape(QFrame.Shape.Box)
        # a style sheet takes the background over from autoFillBackground: without one of its
        # own the label was transparent and the row under it showed through its text
        base = self.palette().color(QPalette.ColorRole.ToolTipBase).name()
        ink = self.palette().color(QPalette.ColorRole.ToolTipText).name()
        self.setStyleSheet(
            f"QLabel#cellMessage {{ border: 1px solid {WARNING_COLOUR.name()}; "
            f"background-color: {base}; color: {ink}; }}"
        )
        self.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(MESSAGE_MS)
        self._timer.timeout.connect(self.hide)

    def show_under(self, message: str, cell: QRect) -> None:
        """Show *message* below *cell* (above it when there is no room), inside the parent."""
        parent = self.parentWidget()
        area = parent.rect() if parent is not None else QRect()
        self.setText(message)
        width = min(max(cell.width(), 320), max(area.width() - 8, 120))
        self.setFixedWidth(width)
        self.adjustSize()
        x = max(0, min(cell.left(), area.right() - width))
        y = cell.bottom() + 1
        if y + self.height() > area.bottom() and cell.top() - self.height() >= 0:
            y = cell.top() - self.height()
        self.move(x, y)
        self.show()
        self.raise_()
        self._timer.start()



#: Ways of opening an editor that edit the text already there (cursor after it).
_EDITS_THE_TEXT = (
    QAbstractItemView.EditTrigger.EditKeyPressed,  # F2
    QAbstractItemView.EditTrigger.DoubleClicked,
    QAbstractItemView.EditTrigger.SelectedClicked,
)

class FigureTableView(QTableView):
    """A table view that behaves like a good spreadsheet."""

    #: A Ctrl+clicked link was not opened: (message, row, column).
    link_refused = Signal(str, int, int)

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
        self.cell_message = CellMessage(self.viewport())
        self.horizontalScrollBar().valueChanged.connect(lambda _v: self.clear_error())
        self.verticalScrollBar().valueChanged.connect(lambda _v: self.clear_error())
        self._opening_by_typing = False

    @property
    def opening_by_typing(self) -> bool:
        """True while an editor opens because a key was typed on the cell (it then replaces)."""
        return self._opening_by_typing

    def edit(  # type: ignore[override]
        self,
        index: QModelIndex | QPersistentModelIndex,
        trigger: QAbstractItemView.EditTrigger | None = None,
        event: QEvent | None = None,
    ) -> bool:
        """Open an editor: typed on, it starts empty (as in any spreadsheet); F2 keeps the text."""
        if trigger is None:
            super().edit(index)
            return True
        typing = trigger == QAbstractItemView.EditTrigger.AnyKeyPressed
        self._opening_by_typing = typing
        try:
            opened = super().edit(index, trigger, event)  # type: ignore[arg-type]
        finally:
            self._opening_by_typing = False
        if opened and trigger in _EDITS_THE_TEXT:
            self._put_cursor_last()
        return opened

    def _put_cursor_last(self) -> None:
        """Qt selects an opened editor's text (typing would replace it): F2 and double-click
        edit the text instead, with the cursor after it. The editor Tab opens on the next
        cell keeps its text selected, so typing there replaces it as in a spreadsheet."""
        editor = QApplication.focusWidget()
        if editor is None or not self.isAncestorOf(editor):
            return
        line: QLineEdit | None = None
        if isinstance(editor, QLineEdit):
            line = editor
        elif isinstance(editor, (QComboBox, QAbstractSpinBox)):
            line = editor.lineEdit()
        if line is not None:
            line.deselect()
            line.end(False)

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

    def paste_origin(self) -> tuple[int, list[int]]:
        """Where a paste goes: the current row, and the columns (logical indexes) from the
        current one rightwards in the order they are shown (a copy is in that order too)."""
        current = self.currentIndex()
        model = self.figure_model()
        top = current.row() if current.isValid() else model.rowCount()
        header = self.horizontalHeader()
        start = header.visualIndex(current.column()) if current.isValid() else 0
        targets = [header.logicalIndex(v) for v in range(max(start, 0), header.count())]
        return top, [t for t in targets if not header.isSectionHidden(t)]

    def show_error_at(self, message: str, row: int, column: int) -> None:
        """Show *message* right under the cell it concerns (top left when it concerns none).

        A label, not a tooltip: a tooltip vanishes with the focus change that closes the editor.
        """
        if row < 0 or column < 0:
            rect = QRect(4, 4, 0, 0)
        else:
            rect = self.visualRect(self.model().index(row, column))
        self.cell_message.show_under(message, rect)

    def clear_error(self) -> None:
        """Hide the message beside a cell (after the next accepted edit)."""
        self.cell_message.hide()

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
                self.open_link(url, index.row(), index.column())
                return
        super().mouseReleaseEvent(event)

    def open_link(self, url: str, row: int, column: int) -> bool:
        """Hand a web link (http, https) to the browser; anything else (file:, javascript:, a
        program) is never passed to the desktop: it stays text, and the user is told why."""
        if is_openable_url(url):
            QDesktopServices.openUrl(QUrl(url, QUrl.ParsingMode.StrictMode))
            return True
        shown = url if len(url) <= 80 else url[:79] + "…"
        self.link_refused.emit(
            f"Not opened: “{shown}” is not a web link (http or https), so it is shown as text only",
            row,
            column,
        )
        return False

    def _is_link(self, index: QModelIndex) -> bool:
        return self.figure_model().columns[index.column()].kind is Kind.URL

    def keyPressEvent(self, event: QKeyEvent) -> None:
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if ctrl and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            # Tab moves between cells; Ctrl+Tab leaves the table (as Qt's text editors do)
            backwards = event.key() == Qt.Key.Key_Backtab or bool(
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            )
            QWidget.focusNextPrevChild(self, not backwards)  # past the cells: out of the table
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != (
            QAbstractItemView.State.EditingState
        ):
            current = self.currentIndex()
            if current.isValid() and current.flags() & Qt.ItemFlag.ItemIsEditable:
                self.edit(current)
                return
        super().keyPressEvent(event)
