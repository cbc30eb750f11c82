"""File → Import data… and File → Export data… / Export summary… of the main window."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from capex_gui import APP_NAME
from capex_gui.app.status_bar import FX_TAB
from capex_gui.dataio.fields import ImportTable
from capex_gui.errors import CapexError

if TYPE_CHECKING:
    from capex_gui.app.main_window import MainWindow
    from capex_gui.widgets.import_dialog import ImportDialog

KEY_EXPORT_FOLDER = "export_data/folder"
KEY_EXPORT_SUFFIX = "export_data/suffix"
EXPORT_FILTER = "Excel workbook (*.xlsx);;CSV (*.csv)"


class DataActions(QObject):
    """Figures in from CSV/XLSX files, and tables and the summary out to them."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.dialog: ImportDialog | None = None

    def current_table(self) -> ImportTable:
        """The table of the visible tab (investments, chip orders or FX rates)."""
        index = self._window.tabs.currentIndex()
        if index == FX_TAB:
            return ImportTable.FX_RATES
        return ImportTable.CHIP_ORDERS if index == 1 else ImportTable.INVESTMENTS

    def make_import_dialog(self) -> ImportDialog:
        """The import dialog for the open database (kept as ``dialog`` for tests)."""
        from capex_gui.widgets.import_dialog import ImportDialog

        window = self._window
        assert window.store is not None
        self.dialog = ImportDialog(
            window.store,
            window.undo_stack,
            window.settings,
            table=self.current_table(),
            parent=window,
        )
        self.dialog.accepted.connect(self._on_imported)
        return self.dialog

    def import_data(self) -> None:
        """Open the import dialog."""
        self.make_import_dialog().open()

    def show_imports(self) -> None:
        """File → Imports…: the recorded imports; remove one whole."""
        from capex_gui.widgets.imports_dialog import ImportsDialog

        window = self._window
        assert window.store is not None
        dialog = ImportsDialog(window.store, parent=window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _on_imported(self) -> None:
        dialog = self.dialog
        if dialog is None or dialog.outcome is None:
            return
        record = dialog.outcome.record
        tab = {"investments": 0, "chip_orders": 1}.get(record.table, FX_TAB)
        self._window.tabs.setCurrentIndex(tab)
        self._window.statusBar().showMessage(
            f"Imported {record.row_count:,} rows from {record.file_name} (Ctrl+Z undoes it)",
            10000,
        )

    def export_data(self) -> None:
        """Write the table on show to CSV or XLSX."""
        table = self.current_table()
        self._export(table.value, table.label)

    def export_summary(self) -> None:
        """Write the summary (totals, spend, shares, what was left out) to CSV or XLSX."""
        self._export("summary", "Summary")

    def _export(self, what: str, label: str) -> None:
        window = self._window
        assert window.store is not None
        settings = window.settings
        folder = Path(str(settings.value(KEY_EXPORT_FOLDER, "") or Path.home()))
        suffix = str(settings.value(KEY_EXPORT_SUFFIX, ".xlsx") or ".xlsx")
        name, chosen = QFileDialog.getSaveFileName(
            window,
            f"Export {label.lower()} as",
            str(folder / f"{label}{suffix}"),
            EXPORT_FILTER if suffix == ".xlsx" else ";;".join(reversed(EXPORT_FILTER.split(";;"))),
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() not in (".csv", ".xlsx"):
            path = path.with_suffix(".csv" if "CSV" in chosen else ".xlsx")
        self.write_export(what, path)

    def write_export(self, what: str, path: Path) -> int | None:
        """Write *what* to *path* (the dialog-free part, which tests call)."""
        from capex_gui.dataio.export import export_data

        window = self._window
        assert window.store is not None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            count = export_data(
                window.store.repo, what, path, currency=window.store.display_currency
            )
        except CapexError as exc:
            QMessageBox.warning(window, APP_NAME, f"Could not export.\n\n{exc}")
            return None
        finally:
            QApplication.restoreOverrideCursor()
        window.settings.setValue(KEY_EXPORT_FOLDER, str(path.parent))
        window.settings.setValue(KEY_EXPORT_SUFFIX, path.suffix.lower())
        window.statusBar().showMessage(f"Exported {count:,} rows to {path}", 10000)
        return count
