"""Edit menu work of the main window: add, duplicate, delete, copy and paste rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:
    from capex_gui.app.main_window import MainWindow
    from capex_gui.widgets.figure_table_view import FigureTableView


class EditActions(QObject):
    """Row and clipboard commands on the table on show."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def add_row(self) -> None:
        """Add a row with sensible defaults below the current row."""
        view = self._window.current_view()
        current = view.currentIndex()
        view.figure_model().add_row(current.row() if current.isValid() else None)

    def duplicate_rows(self) -> None:
        """Duplicate the selected rows."""
        view = self._window.current_view()
        rows = view.selected_rows()
        if rows:
            view.figure_model().duplicate_rows(rows)

    def delete_rows(self) -> None:
        """Delete the selected rows (undoable)."""
        window = self._window
        view = window.current_view()
        rows = view.selected_rows()
        if not rows:
            window.statusBar().showMessage("Select the rows to delete first", 4000)
            return
        n = view.figure_model().delete_rows(rows)
        if n:
            window.statusBar().showMessage(
                f"Deleted {n} row{'s' if n != 1 else ''} — Undo (Ctrl+Z) brings them back", 6000
            )

    def copy_cells(self) -> None:
        """Copy the selection as tab-separated text."""
        if self._window.current_view().copy_selection():
            self._window.statusBar().showMessage("Copied", 2000)

    def paste_cells(self) -> None:
        """Paste tab-separated cells at the current cell (all or nothing)."""
        window = self._window
        text = QGuiApplication.clipboard().text()
        errors = window.current_view().paste_text(text)
        if errors:
            shown = "\n".join(f"• {e}" for e in errors[:15])
            more = f"\n…and {len(errors) - 15} more" if len(errors) > 15 else ""
            window.statusBar().showMessage(f"Nothing pasted: {errors[0]}", 10000)
            window.show_paste_errors(f"Nothing was pasted:\n\n{shown}{more}")
        else:
            window.statusBar().showMessage("Pasted", 3000)

    def focus_row(self, view: FigureTableView, row: int) -> None:
        """Make *row* current, visible and focused (after rows were added)."""
        index = view.model().index(row, 0)
        view.setCurrentIndex(index)
        view.scrollTo(index)
        view.setFocus()
