"""File → Import data…: choose a file, see its first rows, match columns to fields, import.

Every change of file, table or mapping checks the whole file again (in a worker thread, with
progress and cancel) and lists every failing row; Import is enabled only when every row can
be imported and every new company and supplier has a country. The import is one undo step.
The mapping last used for a file with the same header row is remembered.
"""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from capex_gui.dataio.checking import CheckResult, ImportCancelled, MappingProblem, check_file
from capex_gui.dataio.convert import NewName, RowError, RowFailure
from capex_gui.dataio.fields import ImportTable, header_score
from capex_gui.dataio.formula_guard import neutralise
from capex_gui.dataio.importer import (
    ImportJob,
    ImportOutcome,
    new_references,
    reference_names,
    run_import,
)
from capex_gui.dataio.mapping import ColumnMapping, header_signature
from capex_gui.dataio.tabular import PREVIEW_ROWS, TableSource, open_table
from capex_gui.errors import CapexError
from capex_gui.store.import_commands import ImportData
from capex_gui.widgets.import_mapping import MappingEditor, PreviewTable
from capex_gui.widgets.task_runner import TaskRunner

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from capex_gui.store.store import CapexStore

logger = logging.getLogger(__name__)

KEY_FOLDER = "import/folder"
KEY_MAPPINGS = "import/mappings"
#: Header signatures whose mapping is remembered.
REMEMBERED = 50
FILE_FILTER = (
    "Tables (*.csv *.tsv *.txt *.xlsx);;CSV (*.csv *.tsv *.txt);;Excel (*.xlsx);;All files (*)"
)
ERROR_COLOUR = "#d9534f"


class ImportDialog(QDialog):
    """Import investments, chip orders or FX rates from a CSV or XLSX file."""

    def __init__(
        self,
        store: CapexStore,
        undo_stack: QUndoStack,
        settings: QSettings,
        *,
        table: ImportTable = ImportTable.INVESTMENTS,
        threaded: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import data")
        self.resize(980, 720)
        self._store = store
        self._undo = undo_stack
        self._settings = settings
        self._source: TableSource | None = None
        self._mapping: ColumnMapping | None = None
        self._check: CheckResult | None = None
        self._recheck = False
        self.outcome: ImportOutcome | None = None
        self.runner = TaskRunner(self, threaded=threaded)
        self.runner.progressed.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self._task = ""

        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("importPath")
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("Choose a CSV or Excel file")
        self.choose_button = QPushButton("&Choose file…", self)
        self.choose_button.setObjectName("importChoose")
        self.choose_button.clicked.connect(self.choose_file)
        self.table_combo = QComboBox(self)
        self.table_combo.setObjectName("importTable")
        for kind in ImportTable:
            self.table_combo.addItem(kind.label, kind.value)
        self.table_combo.setCurrentIndex(self.table_combo.findData(table.value))
        self.table_combo.currentIndexChanged.connect(self._on_table_changed)
        self.sheet_combo = QComboBox(self)
        self.sheet_combo.setObjectName("importSheet")
        self.sheet_combo.setToolTip("The sheet of the workbook to import")
        self.sheet_combo.currentTextChanged.connect(self._on_sheet_changed)
        self.info_label = QLabel(self)
        self.info_label.setObjectName("importInfo")
        self.info_label.setWordWrap(True)

        self.preview = PreviewTable(self)
        self.mapping_editor = MappingEditor(self)
        self.mapping_editor.mapping_changed.connect(self._on_mapping_changed)

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
        self.copy_button.clicked.connect(lambda: self.copy_errors(everything=True))
        self.save_button = QPushButton("&Save problems as CSV…", self)
        self.save_button.setObjectName("importSaveErrors")
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
        self.names_table.itemChanged.connect(self._update_buttons)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("importProgress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("importCancel")
        self.cancel_button.setToolTip("Stop reading or importing; nothing is written")
        self.cancel_button.clicked.connect(self.runner.cancel)

        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(
            "&Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("importRun")
        self.import_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.start_import)
        self.buttons.rejected.connect(self.reject)

        self._lay_out()
        self._set_busy(False)
        self._update_buttons()

    def _lay_out(self) -> None:
        form = QFormLayout()
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.choose_button)
        file_label = QLabel("&File:", self)
        file_label.setBuddy(self.choose_button)
        form.addRow(file_label, file_row)
        into = QHBoxLayout()
        into.addWidget(self.table_combo)
        self.sheet_label = QLabel("S&heet:", self)
        self.sheet_label.setBuddy(self.sheet_combo)
        into.addWidget(self.sheet_label)
        into.addWidget(self.sheet_combo)
        into.addStretch(1)
        into_label = QLabel("Import &into:", self)
        into_label.setBuddy(self.table_combo)
        form.addRow(into_label, into)
        form.addRow("", self.info_label)
        results = QWidget(self)
        results_layout = QVBoxLayout(results)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addWidget(self.summary_label)
        results_layout.addWidget(self.error_list, 2)
        error_buttons = QHBoxLayout()
        error_buttons.addWidget(self.copy_button)
        error_buttons.addWidget(self.save_button)
        error_buttons.addStretch(1)
        results_layout.addLayout(error_buttons)
        results_layout.addWidget(self.names_label)
        results_layout.addWidget(self.names_table, 1)
        results_layout.addStretch(0)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.preview)
        middle = QSplitter(Qt.Orientation.Horizontal, splitter)
        middle.setChildrenCollapsible(False)
        middle.addWidget(self.mapping_editor)
        middle.addWidget(results)
        middle.setSizes([520, 440])
        splitter.addWidget(middle)
        splitter.setSizes([200, 420])
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(splitter, 1)
        layout.addLayout(progress_row)
        layout.addWidget(self.buttons)

    # -- choosing -------------------------------------------------------------------------
    @property
    def table(self) -> ImportTable:
        """Where the rows go."""
        return ImportTable(self.table_combo.currentData())

    @property
    def mapping(self) -> ColumnMapping | None:
        """The mapping in use."""
        return self._mapping

    def choose_file(self) -> None:
        """Ask for a file and open it."""
        folder = str(self._settings.value(KEY_FOLDER, "") or Path.home())
        name, _ = QFileDialog.getOpenFileName(self, "Import data from", folder, FILE_FILTER)
        if name:
            self.open_file(Path(name))

    def open_file(self, path: Path, *, sheet: str | None = None) -> bool:
        """Read *path*'s header and first rows, guess the mapping, and check every row."""
        self._settings.setValue(KEY_FOLDER, str(path.parent))
        self.path_edit.setText(str(path))
        self._source = None
        self._check = None
        try:
            source = open_table(path, sheet=sheet, score=header_score(self.table))
            rows = []
            for row in source.rows():
                rows.append(row)
                if len(rows) >= PREVIEW_ROWS:
                    break
        except CapexError as exc:
            self._show_file_error(str(exc))
            return False
        self._source = source
        self._fill_sheets(source)
        self.info_label.setText(f"{source.describe()} · header on line {source.header_line}")
        self._mapping = self._remembered(source.headers) or ColumnMapping.guess(
            self.table, source.headers
        )
        self.mapping_editor.load(self.table, source.headers, self._mapping)
        self.preview.show_rows(source.headers, rows, self._mapping)
        self.start_check()
        return True

    def _fill_sheets(self, source: TableSource) -> None:
        names = getattr(source, "sheet_names", ())
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(list(names))
        if names:
            self.sheet_combo.setCurrentText(str(getattr(source, "sheet", "")))
        self.sheet_combo.blockSignals(False)
        several = len(names) > 1
        self.sheet_combo.setVisible(several)
        self.sheet_label.setVisible(several)

    def _show_file_error(self, message: str) -> None:
        self.info_label.setText("")
        self.preview.clear()
        self.preview.setRowCount(0)
        self.preview.setColumnCount(0)
        self._mapping = None
        self.mapping_editor.setRowCount(0)
        self._show_summary(message + ".", error=True)
        self.error_list.clear()
        self.names_table.setRowCount(0)
        self._update_buttons()

    def _on_table_changed(self) -> None:
        path = self.path_edit.text()
        if path:
            self.open_file(Path(path), sheet=self.sheet_combo.currentText() or None)

    def _on_sheet_changed(self, name: str) -> None:
        if name and self.path_edit.text():
            self.open_file(Path(self.path_edit.text()), sheet=name)

    def _on_mapping_changed(self, mapping: ColumnMapping) -> None:
        self._mapping = mapping
        if self._source is not None:
            self.preview.set_mapping(self._source.headers, mapping)
        self.start_check()

    # -- remembering ----------------------------------------------------------------------
    def _remembered(self, headers: tuple[str, ...]) -> ColumnMapping | None:
        stored = self._stored_mappings().get(f"{self.table.value}:{header_signature(headers)}")
        if not stored:
            return None
        return ColumnMapping.from_json(stored, headers)

    def _stored_mappings(self) -> dict[str, str]:
        try:
            found = json.loads(str(self._settings.value(KEY_MAPPINGS, "") or "{}"))
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}

    def _remember(self) -> None:
        if self._source is None or self._mapping is None:
            return
        stored = self._stored_mappings()
        key = f"{self.table.value}:{header_signature(self._source.headers)}"
        stored.pop(key, None)
        stored[key] = self._mapping.to_json(self._source.headers)
        kept = dict(list(stored.items())[-REMEMBERED:])
        self._settings.setValue(KEY_MAPPINGS, json.dumps(kept))

    # -- checking -------------------------------------------------------------------------
    def start_check(self) -> None:
        """Read and convert every row (writing nothing); lists the problems."""
        if self._source is None or self._mapping is None:
            return
        if self._task:
            self._recheck = True  # check again once the running task has stopped
            self.runner.cancel()
            return
        self._check = None
        problems = self._mapping.problems(self._source.headers)
        if problems:
            self._show_summary(
                "The columns do not fit yet: " + "; ".join(problems) + ".", error=True
            )
            self.error_list.clear()
            self.names_table.setRowCount(0)
            self._update_buttons()
            return
        source, mapping, repo = self._source, self._mapping, self._store.repo
        names = reference_names(repo)

        def work(progress: Any, cancelled: Any) -> CheckResult:
            return check_file(source, mapping, names, progress=progress, cancelled=cancelled)

        self._start("check", work, "Checking every row…")

    def _on_check_done(self, result: CheckResult) -> None:
        self._check = result
        self.error_list.clear()
        self.error_list.addItems([e.sentence() + _found(e) for e in result.errors])
        self._fill_names(result.new_names if result.ok else [])
        hint = " Type the countries below, then Import." if self._missing_country() else ""
        self._show_summary(
            result.summary() + ("." + hint if result.ok else ":"), error=not result.ok
        )

    def _fill_names(self, names: list[NewName]) -> None:
        self.names_table.blockSignals(True)
        self.names_table.setRowCount(len(names))
        for r, name in enumerate(names):
            for c, text in enumerate((name.kind, name.name, str(name.first_line))):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.names_table.setItem(r, c, item)
            needs = name.kind in ("company", "supplier")
            country = QTableWidgetItem(name.country or "" if needs else "—")
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            country.setFlags(flags | Qt.ItemFlag.ItemIsEditable if needs else flags)
            country.setToolTip("Two-letter country code, e.g. CN or US" if needs else "")
            self.names_table.setItem(r, 3, country)
        self.names_table.resizeColumnsToContents()
        self.names_table.setVisible(bool(names))
        self.names_label.setVisible(bool(names))
        self.names_table.blockSignals(False)
        self._update_buttons()

    def countries(self) -> dict[tuple[str, str], str]:
        """Countries typed for new companies and suppliers."""
        out: dict[tuple[str, str], str] = {}
        for r in range(self.names_table.rowCount()):
            kind, name, _line, country = (self._cell(r, c) for c in range(4))
            if kind in ("company", "supplier") and country.strip():
                out[(kind, name)] = country.strip().upper()
        return out

    def _cell(self, row: int, column: int) -> str:
        item = self.names_table.item(row, column)
        return item.text() if item is not None else ""

    def _missing_country(self) -> bool:
        if self._check is None:
            return False
        wanted = {
            (n.kind, n.name) for n in self._check.new_names if n.kind in ("company", "supplier")
        }
        return bool(wanted - set(self.countries()))

    # -- importing ------------------------------------------------------------------------
    def start_import(self) -> None:
        """Import every row in one transaction (progress, cancel); one undo step."""
        if self._source is None or self._mapping is None or self._check is None:
            return
        if not self._check.ok:
            return
        try:
            references = new_references(self._check.new_names, self.countries())
            for ref in references:
                if ref.country:
                    from capex_gui.domain.entities import check_country

                    check_country(ref.country)
        except CapexError as exc:
            self._show_summary(f"{str(exc)[:1].upper()}{str(exc)[1:]}.", error=True)
            return
        job = ImportJob(
            self._source.path, self._mapping, sheet=getattr(self._source, "sheet", None)
        )
        repo = self._store.repo
        self._job = job

        def work(progress: Any, cancelled: Any) -> ImportOutcome:
            return run_import(
                job, repo, references=references, progress=progress, cancelled=cancelled
            )

        self._start("import", work, "Importing…")

    def _on_import_done(self, outcome: ImportOutcome) -> None:
        self.outcome = outcome
        self._store.announce_import(outcome)
        self._undo.push(ImportData(self._store, self._job, outcome, done=True))
        self._remember()
        self.accept()

    # -- running --------------------------------------------------------------------------
    def _start(self, task: str, work: Any, text: str) -> None:
        self._task = task
        self._recheck = False
        self.progress.setValue(0)
        self.progress.setFormat(text + " %p%")
        self._set_busy(True)
        self.runner.start(work)

    def _on_progress(self, fraction: float, rows: int) -> None:
        self.progress.setValue(int(fraction * 1000))
        verb = "Checking" if self._task == "check" else "Importing"
        self.progress.setFormat(f"{verb}: {rows:,} rows read · %p%")

    def _on_finished(self, result: object) -> None:
        task, self._task = self._task, ""
        self._set_busy(False)
        self.progress.setValue(1000)
        self.progress.setFormat("Done")
        if task == "check" and isinstance(result, CheckResult):
            if self._recheck:
                self.start_check()
                return
            self._on_check_done(result)
        elif task == "import" and isinstance(result, ImportOutcome):
            self._on_import_done(result)
        self._update_buttons()

    def _on_failed(self, exc: object) -> None:
        task, self._task = self._task, ""
        self._set_busy(False)
        self.progress.setValue(0)
        self.progress.setFormat("")
        if self._recheck:
            self.start_check()
            return
        if isinstance(exc, ImportCancelled):
            self._show_summary("Cancelled: nothing was imported.", error=False)
        elif isinstance(exc, RowFailure):
            self.error_list.clear()
            self.error_list.addItems([e.sentence() + _found(e) for e in exc.errors])
            self._show_summary("Rows failed; nothing was imported:", error=True)
        elif isinstance(exc, MappingProblem | CapexError):
            text = str(exc)
            verb = "import" if task == "import" else "check"
            self._show_summary(f"Could not {verb}: {text}. Nothing was imported.", error=True)
        else:
            raise exc  # type: ignore[misc]  # a bug: the crash handler takes it
        if task == "import" and not isinstance(exc, ImportCancelled):
            self._check = None  # the file or the database changed: check again first
        self._update_buttons()

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.cancel_button.setEnabled(busy)
        # while a check runs the mapping stays editable (a change checks again); an import
        # holds everything still but Cancel
        importing = busy and self._task == "import"
        for widget in (self.choose_button, self.table_combo, self.sheet_combo):
            widget.setEnabled(not busy)
        self.mapping_editor.setEnabled(not importing)
        self.names_table.setEnabled(not importing)
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        ready = (
            not self._task
            and self._check is not None
            and self._check.ok
            and self._check.rows > 0
            and not self._missing_country()
        )
        self.import_button.setEnabled(ready)
        if self._check is not None and self._check.ok and self._missing_country():
            self.import_button.setToolTip("Type the country of each new company and supplier")
        else:
            self.import_button.setToolTip("Import every row (one step to undo)")
        has_errors = self.error_list.count() > 0
        for widget in (self.error_list, self.copy_button, self.save_button):
            widget.setVisible(has_errors)
            widget.setEnabled(has_errors)
        has_names = self.names_table.rowCount() > 0
        self.names_table.setVisible(has_names)
        self.names_label.setVisible(has_names)

    def _show_summary(self, text: str, *, error: bool) -> None:
        self.summary_label.setText(text)
        self.summary_label.setStyleSheet(f"color: {ERROR_COLOUR}" if error else "")

    # -- problems out -----------------------------------------------------------------------
    def errors(self) -> list[RowError]:
        """The problems of the last check."""
        return list(self._check.errors) if self._check is not None else []

    def copy_errors(self, *, everything: bool = False) -> None:
        """Put the selected problems (or all) on the clipboard, one per line."""
        items = [self.error_list.item(i) for i in range(self.error_list.count())]
        if not everything:
            items = [i for i in items if i.isSelected()] or items
        QGuiApplication.clipboard().setText("\n".join(i.text() for i in items))

    def save_errors_dialog(self) -> None:
        """Ask where, then save the problems as CSV."""
        folder = str(self._settings.value(KEY_FOLDER, "") or Path.home())
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
                for e in self.errors():
                    writer.writerow(
                        [e.line, neutralise(e.column), neutralise(e.text), neutralise(e.reason)]
                    )
        except OSError as exc:
            QMessageBox.warning(
                self, "Import data", f"Could not save {path.name}: {exc.strerror or exc}"
            )

    def reject(self) -> None:
        """Close; a running task is cancelled first (it writes nothing)."""
        if self._task:
            self.runner.cancel()
            self.runner.wait()
        super().reject()


def _found(error: RowError) -> str:
    if error.text and error.text not in error.reason:
        return f" (found “{error.text}”)"
    return ""
