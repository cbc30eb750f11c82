"""Report text to rows and the Checks panel, wired into the main window.

Edit → Paste report text… (and text dropped on a table) opens the review dialog; the accepted
rows go through the store as one undo step. View → Checks shows the reconciliation dock, and a
badge in the status bar keeps the count of findings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu

from capex_gui.errors import CapexError
from capex_gui.store.accept import add_accepted
from capex_gui.store.checks_model import ChecksModel
from capex_gui.store.store import TableKind
from capex_gui.widgets.checks_panel import ChecksBadge, ChecksPanel

if TYPE_CHECKING:
    from PySide6.QtGui import QDropEvent

    from capex_gui.app.main_window import MainWindow
    from capex_gui.domain.checks import RowRef
    from capex_gui.widgets.figure_table_view import FigureTableView
    from capex_gui.widgets.proposal_review import ProposalReviewDialog


class ReportActions(QObject):
    """The Paste report text action, text drops, the Checks dock and its status-bar badge."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.checks: ChecksModel | None = None
        self.panel: ChecksPanel | None = None
        self.badge: ChecksBadge | None = None
        self.paste_report_action = QAction("Paste &report text…", window)
        # Ctrl+Shift+V is Paste as new rows (issue 9); R for report
        self.paste_report_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        tip = "Read a paragraph of a report and propose rows from it (Ctrl+Shift+R)"
        self.paste_report_action.setToolTip(tip)
        self.paste_report_action.setStatusTip(tip)
        self.paste_report_action.triggered.connect(lambda: self.open_review())
        self.dock = QDockWidget("Checks", window)
        self.dock.setObjectName("checksDock")
        self.dock.hide()
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.show_checks_action = self.dock.toggleViewAction()
        self.show_checks_action.setText("&Checks")
        self.show_checks_action.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.show_checks_action.setStatusTip("Show the reconciliation checks (Ctrl+Shift+K)")
        self._add_to_menus()
        for view in (window.investments_view, window.chip_orders_view):
            view.viewport().setAcceptDrops(True)
            view.viewport().installEventFilter(self)

    def _add_to_menus(self) -> None:
        bar = self._window.menuBar()
        for action in bar.actions():
            menu = action.menu()
            if not isinstance(menu, QMenu):
                continue
            if action.text() == "&Edit":
                menu.addSeparator()
                menu.addAction(self.paste_report_action)
            elif action.text() == "&View":
                menu.addSeparator()
                menu.addAction(self.show_checks_action)

    def attach(self) -> None:
        """Follow the window's (new) store: a fresh checks model, panel and badge."""
        store = self._window.store
        assert store is not None
        old = (self.checks, self.panel, self.badge)
        self.checks = ChecksModel(store, self)
        self.panel = ChecksPanel(self.checks, self.dock)
        self.panel.rows_requested.connect(self.select_rows)
        self.panel.message_shown.connect(lambda t: self._window.statusBar().showMessage(t, 8000))
        self.dock.setWidget(self.panel)
        self.badge = ChecksBadge(self.checks, self._window)
        self.badge.clicked.connect(self.show_checks)
        self._window.statusBar().addPermanentWidget(self.badge)
        for item in old:
            if item is not None:
                if item is old[2]:
                    self._window.statusBar().removeWidget(item)
                item.deleteLater()

    def show_checks(self) -> None:
        """Show and focus the Checks dock."""
        self.dock.show()
        self.dock.raise_()
        if self.panel is not None:
            self.panel.table.setFocus()

    # -- report text ---------------------------------------------------------------------------
    def make_review(self, text: str) -> ProposalReviewDialog:
        """The review dialog for *text* (a separate step so tests can drive it)."""
        from capex_gui.widgets.proposal_review import ProposalReviewDialog

        assert self._window.store is not None
        return ProposalReviewDialog(self._window.store, text, self._window)

    def open_review(self, text: str | None = None) -> bool:
        """Review *text* (default: the clipboard's) and add what the user accepts."""
        if text is None:
            text = QGuiApplication.clipboard().text()
        dialog = self.make_review(text)
        try:
            if not self._window.run_dialog(dialog) or dialog.result_rows is None:
                return False
            return self.add(dialog)
        finally:
            dialog.deleteLater()

    def add(self, dialog: ProposalReviewDialog) -> bool:
        """Write the dialog's accepted rows as one undo step."""
        window, rows = self._window, dialog.result_rows
        assert window.store is not None
        assert rows is not None
        label = f"Add {rows.count} row{'s' if rows.count != 1 else ''} from report text"
        try:
            add_accepted(window.store, window.undo_stack, rows, label)
        except CapexError as exc:
            window.status.show_storage_error(str(exc))
            return False
        window.statusBar().showMessage(f"{label} — Undo (Ctrl+Z) takes them out again", 8000)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            drag: QDropEvent = event  # type: ignore[assignment]
            if drag.mimeData().hasText() and not drag.mimeData().hasUrls():
                drag.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop:
            drop: QDropEvent = event  # type: ignore[assignment]
            if drop.mimeData().hasText() and not drop.mimeData().hasUrls():
                drop.acceptProposedAction()
                text = drop.mimeData().text()
                self.open_review(text)
                return True
        return super().eventFilter(watched, event)

    # -- selecting a check's rows --------------------------------------------------------------
    def select_rows(self, rows: tuple[RowRef, ...]) -> None:
        """Select the investments or chip orders a finding names (its first table's tab)."""
        window = self._window
        tables = {"investments": TableKind.INVESTMENTS, "chip_orders": TableKind.CHIP_ORDERS}
        wanted = [r for r in rows if r.table in tables]
        if not wanted:
            window.statusBar().showMessage("This check is about totals, shares or FX rates", 5000)
            return
        table = tables[wanted[0].table]
        ids = [r.id for r in wanted if tables[r.table] is table]
        view = (
            window.investments_view if table is TableKind.INVESTMENTS else window.chip_orders_view
        )
        window.tabs.setCurrentWidget(view)
        model = view.figure_model()
        noun = table.label.lower()

        def report(found: list[int]) -> None:
            window.statusBar().showMessage(f"Selected {len(found)} of the check's {noun}", 5000)

        def select_all_rows() -> None:  # filtered out: show every row, then select
            report(self._select_ids(view, ids))

        def select_shown_rows() -> None:
            found = self._select_ids(view, ids)
            if len(found) < len(ids):
                window.clear_filters()
                model.when_idle(select_all_rows)
            else:
                report(found)

        model.when_idle(select_shown_rows)  # once the table shows all its rows

    @staticmethod
    def _select_ids(view: FigureTableView, ids: list[int]) -> list[int]:
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        model = view.figure_model()
        shown = model.rows_of(ids)
        rows = [shown[i] for i in ids if i in shown]
        selection = QItemSelection()
        last = model.columnCount() - 1
        for row in rows:
            selection.select(model.index(row, 0), model.index(row, last))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        view.selectionModel().select(selection, flags)
        if rows:
            view.scrollTo(model.index(rows[0], 0))
            view.selectionModel().setCurrentIndex(
                model.index(rows[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )
        return [i for i in ids if i in shown]
