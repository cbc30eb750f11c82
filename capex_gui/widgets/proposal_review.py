"""Paste report text: the paragraph with each proposal's words highlighted, one source entry for
the paragraph, and a review table where each proposed row is accepted, edited or rejected."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QTableView,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from capex_gui.domain.extraction import KnownNames, extract
from capex_gui.domain.extraction.accept import AcceptedRows, SourceInfo, to_rows
from capex_gui.errors import ValidationError
from capex_gui.models.proposal_model import CHOICES, COLUMNS, ProposalTableModel

if TYPE_CHECKING:
    from PySide6.QtCore import QAbstractItemModel, QPersistentModelIndex
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QStyleOptionViewItem

    from capex_gui.store.store import CapexStore

#: Highlight of every proposal's words, and of the current proposal's.
SPAN_COLOUR = QColor("#fff1a8")
CURRENT_COLOUR = QColor("#ffc24d")
#: Longest text the dialog reads.
MAX_TEXT_CHARS = 200_000


class _ChoiceDelegate(QStyledItemDelegate):
    """A combo box for columns with a fixed or suggested list of values."""

    def __init__(self, choices: dict[str, list[tuple[str, str]]], parent: QObject) -> None:
        super().__init__(parent)
        self._choices = choices

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        key = COLUMNS[index.column()].key
        options = self._choices.get(key)
        if options is None:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setEditable(key not in CHOICES)
        for value, label in options:
            combo.addItem(label, value)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            value = index.data(Qt.ItemDataRole.EditRole)
            at = editor.findData(value)
            if at >= 0:
                editor.setCurrentIndex(at)
            else:
                editor.setEditText(str(value or ""))
            return
        super().setEditorData(editor, index)

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        if isinstance(editor, QComboBox):
            text = editor.currentText()
            data = editor.currentData()
            chosen = (
                data
                if data is not None and editor.itemText(editor.currentIndex()) == text
                else text
            )
            model.setData(index, chosen, Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class ProposalReviewDialog(QDialog):
    """Read a report's paragraph, review the proposed rows, add the accepted ones."""

    def __init__(self, store: CapexStore, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("proposalReviewDialog")
        self.setWindowTitle("Paste report text")
        self._store = store
        self.result_rows: AcceptedRows | None = None
        self._names = KnownNames.build(
            {c.name: c.country for c in store.companies()},
            {s.name: s.country for s in store.suppliers()},
            store.company_aliases(),
        )
        self._read_timer = QTimer(self)
        self._read_timer.setSingleShot(True)
        self._read_timer.setInterval(250)
        self._read_timer.timeout.connect(self.read_text)
        self._build()
        self.text_edit.setPlainText(text[:MAX_TEXT_CHARS])
        self.read_text()
        self.resize(1180, 720)

    # -- construction ------------------------------------------------------------------------
    def _build(self) -> None:
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setObjectName("reportText")
        self.text_edit.setPlaceholderText("Paste a paragraph of a report here…")
        self.text_edit.setAccessibleName("Report text")
        self.text_edit.textChanged.connect(self._read_timer.start)
        text_label = QLabel("Report &text (each proposed figure is highlighted):", self)
        text_label.setBuddy(self.text_edit)

        self.source_edit = QLineEdit(self)
        self.source_edit.setObjectName("sourceEdit")
        self.source_edit.setPlaceholderText("e.g. Financial Times")
        self.date_edit = QLineEdit(self)
        self.date_edit.setObjectName("dateEdit")
        self.date_edit.setPlaceholderText("YYYY-MM-DD: dates “this year” in the text")
        self.date_edit.setMaximumWidth(260)
        self.date_edit.editingFinished.connect(self._on_date_edited)
        self.url_edit = QLineEdit(self)
        self.url_edit.setObjectName("urlEdit")
        self.url_edit.setPlaceholderText("https://…")
        form = QFormLayout()
        form.addRow("&Source:", self.source_edit)
        url_label = QLabel("  &URL:", self)
        url_label.setBuddy(self.url_edit)
        row = QHBoxLayout()
        row.addWidget(self.date_edit)
        row.addWidget(url_label)
        row.addWidget(self.url_edit, 1)
        date_label = QLabel("&Date:", self)
        date_label.setBuddy(self.date_edit)
        form.addRow(date_label, row)

        self.model = ProposalTableModel("", [], self)
        self.model.proposals_changed.connect(self._on_proposals_changed)
        self.model.input_rejected.connect(self._show_error)
        self.table = QTableView(self)
        self.table.setObjectName("proposalTable")
        self.table.setAccessibleName("Proposed rows")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setItemDelegate(_ChoiceDelegate(self._choices(), self.table))
        for i, column in enumerate(COLUMNS):
            self.table.setColumnWidth(i, column.width)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.installEventFilter(self)
        self.table.selectionModel().currentRowChanged.connect(self._highlight)
        table_label = QLabel(
            "&Proposed rows: Space adds or rejects the current row, F2 edits a cell.", self
        )
        table_label.setBuddy(self.table)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("reviewError")
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.setWordWrap(True)

        accept_all = QPushButton("Accept a&ll", self)
        accept_all.clicked.connect(
            lambda: self.model.set_accepted(range(self.model.rowCount()), True)
        )
        reject_all = QPushButton("R&eject all", self)
        reject_all.clicked.connect(
            lambda: self.model.set_accepted(range(self.model.rowCount()), False)
        )
        self.buttons = QDialogButtonBox(self)
        self.add_button = self.buttons.addButton(
            "&Add rows", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.add_button.setObjectName("addRowsButton")
        self.add_button.setToolTip("Add the checked rows as one undo step (Ctrl+Return)")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(text_label)
        top_layout.addWidget(self.text_edit)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(table_label)
        bottom_layout.addWidget(self.table)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        footer = QHBoxLayout()
        footer.addWidget(accept_all)
        footer.addWidget(reject_all)
        footer.addWidget(self.error_label, 1)
        footer.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(form)
        layout.addLayout(footer)

    def _choices(self) -> dict[str, list[tuple[str, str]]]:
        store = self._store
        names = sorted({*self._names.companies.values()})
        suppliers = sorted({*self._names.suppliers.values()})
        return {
            **CHOICES,
            "company": [(n, n) for n in names],
            "supplier": [(n, n) for n in suppliers],
            "category": [(c.name, c.name) for c in store.categories()],
            "region": [(r.name, r.name) for r in store.regions()],
        }

    # -- reading -----------------------------------------------------------------------------
    def anchor(self) -> date | None:
        """The report's date as typed (None when blank or not a date)."""
        try:
            return date.fromisoformat(self.date_edit.text().strip())
        except ValueError:
            return None

    def read_text(self) -> None:
        """Propose rows for the text as it stands."""
        self._read_timer.stop()
        text = self.text_edit.toPlainText()
        self.model.set_proposals(text, extract(text, self._names, anchor=self.anchor()))
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))
        self._highlight()

    def _on_date_edited(self) -> None:
        typed = self.date_edit.text().strip()
        if typed and self.anchor() is None:
            self._show_error(f"“{typed}” is not a date: type it like 2025-02-24")
            return
        self.read_text()

    # -- reviewing ---------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        review_keys = (Qt.Key.Key_Space, Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
        if (
            watched is self.table
            and event.type() == QEvent.Type.ShortcutOverride
            and event.key() in review_keys  # type: ignore[attr-defined]
        ):
            # Space and Delete review rows here; the main window's Delete must not take them
            event.accept()
            return True
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if (
                key == Qt.Key.Key_Space
                and self.table.state() != QAbstractItemView.State.EditingState
            ):
                self._toggle_current()
                return True
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                rows = self._selected_rows()
                if rows:
                    self.model.set_accepted(rows, False)
                    return True
        return super().eventFilter(watched, event)

    def _selected_rows(self) -> list[int]:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        current = self.table.currentIndex()
        if current.isValid():
            rows.add(current.row())
        return sorted(rows)

    def _toggle_current(self) -> None:
        rows = self._selected_rows()
        if rows:
            on = not self.model.is_accepted(rows[0])
            self.model.set_accepted(rows, on)

    def _on_proposals_changed(self) -> None:
        n = len(self.model.accepted())
        self.add_button.setText(f"&Add {n} row{'s' if n != 1 else ''}")
        self.add_button.setEnabled(n > 0)
        self.error_label.setText("")
        self._highlight()

    def _show_error(self, message: str, *_where: int) -> None:
        self.error_label.setText(message)

    def _highlight(self, *_args: object) -> None:
        """Every proposal's words in light yellow, the current proposal's in orange."""
        doc = self.text_edit.document()
        current = self.table.currentIndex().row() if self.table.currentIndex().isValid() else -1
        selections = []
        length = len(self.text_edit.toPlainText())
        rows = [r for r in range(self.model.rowCount()) if r != current]
        for row in [*rows, current] if current >= 0 else rows:  # the current one drawn last
            proposal = self.model.proposal(row)
            colour = CURRENT_COLOUR if row == current else SPAN_COLOUR
            if not self.model.is_accepted(row) and row != current:
                continue
            for span in proposal.spans:
                if span.end > length:
                    continue
                cursor = QTextCursor(doc)
                cursor.setPosition(_qt_offset(self.text_edit.toPlainText(), span.start))
                cursor.setPosition(
                    _qt_offset(self.text_edit.toPlainText(), span.end),
                    QTextCursor.MoveMode.KeepAnchor,
                )
                fmt = QTextCharFormat()
                fmt.setBackground(colour)
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor
                selection.format = fmt
                selections.append(selection)
        self.text_edit.setExtraSelections(selections)
        if current >= 0:
            first = self.model.proposal(current).span
            cursor = QTextCursor(doc)
            cursor.setPosition(_qt_offset(self.text_edit.toPlainText(), min(first.start, length)))
            self.text_edit.setTextCursor(cursor)
            self.text_edit.ensureCursorVisible()

    # -- adding ------------------------------------------------------------------------------
    def source_info(self) -> SourceInfo:
        """The source, date and URL entered for the whole paragraph."""
        return SourceInfo(
            self.source_edit.text().strip(), self.url_edit.text().strip(), self.anchor()
        )

    def accept(self) -> None:
        """Check the accepted proposals; close with them as rows, or say what is missing."""
        typed = self.date_edit.text().strip()
        if typed and self.anchor() is None:
            self._show_error(f"“{typed}” is not a date: type it like 2025-02-24")
            self.date_edit.setFocus()
            return
        store = self._store
        try:
            rows = to_rows(
                self.model.accepted(),
                self.source_info(),
                companies={c.name: c.country for c in store.companies()},
                suppliers={s.name: s.country for s in store.suppliers()},
                countries=self._names.countries,
            )
        except ValidationError as exc:
            self._show_error(str(exc))
            return
        if not rows.count:
            self._show_error("No rows are checked: check the rows to add, or Cancel.")
            return
        self.result_rows = rows
        super().accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Ctrl+Return adds the rows; a plain Return in a field must not add them by accident.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.accept()
            return
        super().keyPressEvent(event)


def _qt_offset(text: str, offset: int) -> int:
    """Qt counts UTF-16 code units; Python counts code points (they differ past U+FFFF)."""
    return len(text[:offset].encode("utf-16-le")) // 2
