"""File → Import data…: choose a file, see its first rows, match columns to fields, import.

Every change of file, table or mapping checks the whole file again (in a worker thread, with
progress and cancel) and lists every failing row; Import is enabled only when every row can
be imported and every new company and supplier has a country. The import is one undo step.
The mapping last used for a file with the same header row is remembered.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from capex_gui.dataio.checking import CheckResult, ImportCancelled, MappingProblem, check_file
from capex_gui.dataio.convert import RowError, RowFailure
from capex_gui.dataio.fields import ImportTable, header_score
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
from capex_gui.widgets.import_problems import ProblemsPanel
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

        self.problems = ProblemsPanel(self)
        self.problems.countries_changed.connect(self._update_buttons)
        # the panel's parts, by the names tests and callers use
        self.summary_label = self.problems.summary_label
        self.error_list = self.problems.error_list
        self.error_list.currentRowChanged.connect(self._show_error_cell)
        self.names_table = self.problems.names_table

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
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.preview)
        middle = QSplitter(Qt.Orientation.Horizontal, splitter)
        middle.setChildrenCollapsible(False)
        middle.addWidget(self.mapping_editor)
        middle.addWidget(self.problems)
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
        self.problems.folder = str(path.parent)
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
        self.problems.clear()
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
            self.problems.clear()
            self.preview.mark_errors(self._source.headers, [])
            self._update_buttons()
            return
        source, mapping, repo = self._source, self._mapping, self._store.repo
        names = reference_names(repo)

        def work(progress: Any, cancelled: Any) -> CheckResult:
            return check_file(source, mapping, names, progress=progress, cancelled=cancelled)

        self._start("check", work, "Checking every row…")

    def _on_check_done(self, result: CheckResult) -> None:
        self._check = result
        self.problems.show_errors(result.errors)
        if self._source is not None:
            self.preview.mark_errors(self._source.headers, result.errors)
        self.problems.fill_names(result.new_names if result.ok else [])
        hint = " Type the countries below, then Import." if self._missing_country() else ""
        self._show_summary(
            result.summary() + ("." + hint if result.ok else ":"), error=not result.ok
        )

    def _show_error_cell(self, row: int) -> None:
        """Bring the previewed cell of the problem chosen in the list into view."""
        errors = self.problems.errors()
        if self._source is not None and 0 <= row < len(errors):
            self.preview.show_cell(self._source.headers, errors[row])

    def countries(self) -> dict[tuple[str, str], str]:
        """Countries typed for new companies and suppliers."""
        return self.problems.countries()

    def _missing_country(self) -> bool:
        return self._check is not None and self.problems.lacks_country(self._check.new_names)

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
            self.problems.show_errors(exc.errors)
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
        self.problems.update_visibility()

    def _show_summary(self, text: str, *, error: bool) -> None:
        self.problems.show_summary(text, error=error)

    # -- problems out -----------------------------------------------------------------------
    def errors(self) -> list[RowError]:
        """The problems shown (of the last check, or of a failed import)."""
        return self.problems.errors()

    def copy_errors(self, *, everything: bool = False) -> None:
        """Put the selected problems (or all) on the clipboard, one per line."""
        self.problems.copy_errors(everything=everything)

    def save_errors(self, path: Path) -> None:
        """Line, column, text found and reason of every problem, as CSV."""
        self.problems.save_errors(path)

    def reject(self) -> None:
        """Close; a running task is cancelled first (it writes nothing)."""
        if self._task:
            self.runner.cancel()
            self.runner.wait()
        super().reject()
