"""Edit menu work of the main window: add, duplicate, delete, copy and paste rows."""

from __future__ import annotations

from enum import Enum, auto
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QCheckBox, QMessageBox, QWidget

from capex_gui.dataio.tsv import parse_tsv
from capex_gui.errors import ValidationError
from capex_gui.models.provenance import describe, has_provenance

if TYPE_CHECKING:
    from capex_gui.app.main_window import MainWindow
    from capex_gui.models.paste import PastePlan
    from capex_gui.widgets.figure_table_view import FigureTableView


class PasteChoice(Enum):
    """What the user chose when a paste would overwrite records."""

    OVERWRITE = auto()  # overwrite; the old sources of records that change are cleared
    OVERWRITE_KEEP_SOURCES = auto()  # overwrite and keep those sources (the user said so)
    INSERT = auto()  # paste every row as a new record


def ask_paste_choice(parent: QWidget, plan: PastePlan) -> PasteChoice | None:
    """Ask before a paste overwrites records: Overwrite / Insert as new rows / Cancel."""
    n = len(plan.overwritten_rows)
    rows = ", ".join(str(r + 1) for r in plan.overwritten_rows[:8])
    more = "…" if n > 8 else ""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Paste over records?")
    box.setText(
        f"The paste would overwrite values of {n} existing record{'s' if n != 1 else ''} "
        f"(row{'s' if n != 1 else ''} {rows}{more})."
    )
    details = [describe(plan.old[i]) for i in plan.orphaned[:5]]
    keep: QCheckBox | None = None
    if details:
        box.setInformativeText(
            "These become different figures, so their sources, links and quotes would no "
            "longer back them; they are cleared and the rows marked “no source”:\n• "
            + "\n• ".join(details)
        )
        keep = QCheckBox("Keep their sources, links and quotes", box)
        box.setCheckBox(keep)
    overwrite = box.addButton("&Overwrite", QMessageBox.ButtonRole.AcceptRole)
    insert = box.addButton("&Insert as new rows", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(insert)
    box.exec()
    clicked = box.clickedButton()
    if clicked is overwrite:
        kept = keep is not None and keep.isChecked()
        return PasteChoice.OVERWRITE_KEEP_SOURCES if kept else PasteChoice.OVERWRITE
    if clicked is insert:
        return PasteChoice.INSERT
    return None


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
            what, them = ("1 row", "it") if n == 1 else (f"{n} rows", "them")
            window.statusBar().showMessage(
                f"Deleted {what} — Undo (Ctrl+Z) brings {them} back", 6000
            )

    def copy_cells(self) -> None:
        """Copy the selection as tab-separated text."""
        if self._window.current_view().copy_selection():
            self._window.statusBar().showMessage("Copied", 2000)

    def paste_cells(self, *, insert: bool = False) -> None:
        """Paste tab-separated cells at the current cell, all or nothing, as one undo step.

        A paste that would overwrite values of existing records asks first (overwrite, insert
        as new rows, cancel); with *insert* (Ctrl+Shift+V) every pasted row is a new record.
        """
        window = self._window
        view = window.current_view()
        model = view.figure_model()
        try:
            grid = parse_tsv(QGuiApplication.clipboard().text())
        except ValidationError as exc:
            self._refuse([str(exc)])
            return
        if not grid:
            self._refuse(["the clipboard holds no cells to paste"])
            return
        top, targets = view.paste_origin()
        plan = model.plan_paste(top, targets, grid, insert=insert)
        if not plan.errors and plan.overwrites:
            choice = window.ask_paste_choice(plan)
            if choice is None:
                window.statusBar().showMessage("Nothing pasted", 4000)
                return
            if choice is PasteChoice.INSERT:
                plan = model.plan_paste(top, targets, grid, insert=True)
            elif choice is PasteChoice.OVERWRITE:
                plan = plan.clearing_sources()
        errors = plan.errors or model.apply_paste(plan, at=top if plan.insert else None)
        if errors:
            self._refuse(errors)
            return
        rows = f"{plan.rows} row{'s' if plan.rows != 1 else ''}"
        text = f"Pasted {rows}: {len(plan.new)} overwritten, {len(plan.added)} added"
        cleared = sum(1 for i in plan.orphaned if not has_provenance(plan.new[i]))
        if cleared:
            text += (
                f"; the old source of {cleared} changed record{'s' if cleared != 1 else ''} "
                "was cleared"
            )
        window.statusBar().showMessage(text, 8000)

    def _refuse(self, errors: list[str]) -> None:
        window = self._window
        shown = "\n".join(f"• {e}" for e in errors[:15])
        more = f"\n…and {len(errors) - 15} more" if len(errors) > 15 else ""
        window.statusBar().showMessage(f"Nothing pasted: {errors[0]}", 10000)
        window.show_paste_errors(f"Nothing was pasted:\n\n{shown}{more}")

    def focus_row(self, view: FigureTableView, row: int) -> None:
        """Make *row* current, visible and focused (after rows were added)."""
        index = view.model().index(row, 0)
        view.setCurrentIndex(index)
        view.scrollTo(index)
        view.setFocus()
