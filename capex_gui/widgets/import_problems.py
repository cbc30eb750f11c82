"""The import dialog's right-hand side: what a check found (a sentence, every failing row,
copyable and savable as CSV) and the names the file brings (with a country to type for each
new company and supplier)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from capex_gui.dataio.formula_guard import neutralise

if TYPE_CHECKING:
    from capex_gui.dataio.convert import NewName, RowError

ERROR_COLOUR = "#d9534f"
#: What an empty country cell that needs one shows (greyed).
COUNTRY_PROMPT = "type a country, e.g. US"
#: Kinds of new name that need a country.
NEEDS_COUNTRY = ("company", "supplier")


class _CountryDelegate(QStyledItemDelegate):
    """Shows a greyed 'type a country, e.g. US' in an empty country cell that needs one."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Any) -> None:
        super().initStyleOption(option, index)
        editable = bool(index.flags() & Qt.ItemFlag.ItemIsEditable)
        if editable and not str(index.data() or "").strip():
            option.text = COUNTRY_PROMPT
            option.palette.setColor(
                QPalette.ColorRole.Text,
                option.palette.color(QPalette.ColorRole.PlaceholderText),
            )


class ProblemsPanel(QWidget):
    """A check's sentence, its failing rows and the new names of a file."""

    #: A country was typed or changed.
    countries_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._errors: list[RowError] = []
        self.folder = ""
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("importSummary")
        self.summary_label.setWordWrap(True)
        self.error_list = QListWidget(self)
        self.error_list.setObjectName("importErrors")
        self.error_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.error_list.setToolTip("Every row that cannot be imported (Ctrl+C copies)")
        self.error_list.setWordWrap(True)
        self.error_list.setAlternatingRowColors(True)
        self.error_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QShortcut(QKeySequence.StandardKey.Copy, self.error_list, self.copy_errors)
        self.copy_button = QPushButton("Cop&y problems", self)
        self.copy_button.setObjectName("importCopyErrors")
        self.copy_button.setToolTip("Copy every problem, one per line")
        self.copy_button.clicked.connect(lambda: self.copy_errors(everything=True))
        self.save_button = QPushButton("&Save problems as CSV…", self)
        self.save_button.setObjectName("importSaveErrors")
        self.save_button.setToolTip("Line, column, text found and reason of every problem")
        self.save_button.clicked.connect(self.save_errors_dialog)
        self.names_label = QLabel(
            "Names the database lacks, created with the import. Type the two-letter country "
            "(CN, US…) of each new company and supplier:",
            self,
        )
        self.names_label.setWordWrap(True)
        self.names_table = QTableWidget(0, 4, self)
        self.names_table.setObjectName("importNewNames")
        self.names_table.setHorizontalHeaderLabels(["New", "Name", "First on line", "Country"])
        self.names_table.horizontalHeader().setStretchLastSection(True)
        self.names_table.verticalHeader().setVisible(False)
        self.names_table.setToolTip(
            "Names the database lacks; they are created with the import. Type the two-letter "
            "country (CN, US) of each new company and supplier."
        )
        self.names_table.setItemDelegateForColumn(3, _CountryDelegate(self.names_table))
        self.names_table.itemChanged.connect(lambda _item: self.countries_changed.emit())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.error_list, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.names_label)
        layout.addWidget(self.names_table, 1)
        layout.addStretch(0)
        self.update_visibility()

    # -- showing ---------------------------------------------------------------------------
    def show_summary(self, text: str, *, error: bool) -> None:
        """The one sentence above the problems (red when something is wrong)."""
        self.summary_label.setText(text)
        self.summary_label.setStyleSheet(f"color: {ERROR_COLOUR}" if error else "")

    def show_errors(self, errors: list[RowError]) -> None:
        """List *errors*, one line each (the text found added when the reason lacks it)."""
        self._errors = list(errors)
        self.error_list.clear()
        self.error_list.addItems([e.sentence() + found_text(e) for e in errors])
        self.update_visibility()

    def clear(self) -> None:
        """No problems, no new names."""
        self.show_errors([])
        self.fill_names([])

    def errors(self) -> list[RowError]:
        """The problems shown."""
        return list(self._errors)

    def fill_names(self, names: list[NewName]) -> None:
        """The names a file brings; a country cell to type for companies and suppliers."""
        table = self.names_table
        table.blockSignals(True)
        table.setRowCount(len(names))
        shown = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        for r, name in enumerate(names):
            for c, text in enumerate((name.kind, name.name, str(name.first_line))):
                item = QTableWidgetItem(text)
                item.setFlags(shown)
                table.setItem(r, c, item)
            needs = name.kind in NEEDS_COUNTRY
            country = QTableWidgetItem(name.country or "" if needs else "—")
            country.setFlags(shown | Qt.ItemFlag.ItemIsEditable if needs else shown)
            country.setToolTip("Two-letter country code, e.g. CN or US" if needs else "")
            table.setItem(r, 3, country)
        table.resizeColumnsToContents()
        table.blockSignals(False)
        self.update_visibility()

    def update_visibility(self) -> None:
        """Show the problem list and the names table only when they hold something."""
        has_errors = self.error_list.count() > 0
        for widget in (self.error_list, self.copy_button, self.save_button):
            widget.setVisible(has_errors)
            widget.setEnabled(has_errors)
        has_names = self.names_table.rowCount() > 0
        self.names_table.setVisible(has_names)
        self.names_label.setVisible(has_names)

    # -- countries -------------------------------------------------------------------------
    def countries(self) -> dict[tuple[str, str], str]:
        """(kind, name) -> the country typed for a new company or supplier."""
        out: dict[tuple[str, str], str] = {}
        for r in range(self.names_table.rowCount()):
            kind, name, _line, country = (self._cell(r, c) for c in range(4))
            if kind in NEEDS_COUNTRY and country.strip():
                out[(kind, name)] = country.strip().upper()
        return out

    def lacks_country(self, names: list[NewName]) -> bool:
        """True while a new company or supplier of *names* has no country typed."""
        wanted = {(n.kind, n.name) for n in names if n.kind in NEEDS_COUNTRY}
        return bool(wanted - set(self.countries()))

    def _cell(self, row: int, column: int) -> str:
        item = self.names_table.item(row, column)
        return item.text() if item is not None else ""

    # -- problems out ----------------------------------------------------------------------
    def copy_errors(self, *, everything: bool = False) -> None:
        """Put the selected problems (or all) on the clipboard, one per line."""
        items = [self.error_list.item(i) for i in range(self.error_list.count())]
        if not everything:
            items = [i for i in items if i.isSelected()] or items
        QGuiApplication.clipboard().setText("\n".join(i.text() for i in items))

    def save_errors_dialog(self) -> None:
        """Ask where, then save the problems as CSV."""
        folder = self.folder or str(Path.home())
        name, _ = QFileDialog.getSaveFileName(
            self, "Save problems as", str(Path(folder) / "import problems.csv"), "CSV (*.csv)"
        )
        if name:
            self.save_errors(Path(name))

    def save_errors(self, path: Path) -> None:
        """Line, column, text found and reason of every problem, as CSV."""
        try:
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["Line", "Column", "Text found", "Reason"])
                for e in self._errors:
                    writer.writerow(
                        [e.line, neutralise(e.column), neutralise(e.text), neutralise(e.reason)]
                    )
        except OSError as exc:
            QMessageBox.warning(
                self, "Import data", f"Could not save {path.name}: {exc.strerror or exc}"
            )


def found_text(error: RowError) -> str:
    """' (found “x”)' when the reason does not quote the text already."""
    if error.text and error.text not in error.reason:
        return f" (found “{error.text}”)"
    return ""
