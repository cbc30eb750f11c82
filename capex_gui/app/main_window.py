"""The main window: investments and chip-order tables beside the charts, with menus and undo.

The window composes; the work lives beside it: window_actions (actions, menus, toolbar),
file_actions (new/open/recent/save a copy), edit_actions (rows and clipboard), filter_bar,
status_bar (counts, selection sum, messages) and chart_actions (charts, export, copy).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QUndoStack
from PySide6.QtWidgets import (  # QFileDialog/QMessageBox: tests patch them through this module
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from capex_gui import APP_NAME, __version__
from capex_gui.app import settings as keys
from capex_gui.app.chart_actions import ChartActions
from capex_gui.app.data_actions import DataActions
from capex_gui.app.edit_actions import EditActions, PasteChoice, ask_paste_choice
from capex_gui.app.file_actions import FileActions
from capex_gui.app.filter_bar import FilterBar
from capex_gui.app.focus_ring import FocusRing
from capex_gui.app.report_actions import ReportActions
from capex_gui.app.server_actions import ServerActions
from capex_gui.app.status_bar import FX_TAB, WindowStatus
from capex_gui.app.window_actions import build_actions, build_menus, name_step_in_tooltip
from capex_gui.errors import CapexError, ConflictError
from capex_gui.models.figure_table_model import (
    ChipOrderTableModel,
    FigureTableModel,
    InvestmentTableModel,
)
from capex_gui.storage.repository import Repository
from capex_gui.store.change_watcher import ChangeWatcher
from capex_gui.store.store import CapexStore
from capex_gui.widgets import conflict_dialog
from capex_gui.widgets.connection_banner import ConnectionBanner
from capex_gui.widgets.delegates import FigureDelegate
from capex_gui.widgets.figure_table_view import FigureTableView
from capex_gui.widgets.history_dialog import HistoryDialog
from capex_gui.widgets.read_only_banner import ReadOnlyBanner

if TYPE_CHECKING:
    from PySide6.QtGui import QPaintEvent, QResizeEvent

    from capex_gui.models.paste import PastePlan
    from capex_gui.storage.database import Database
    from capex_gui.store.conflicts import Resolution

logger = logging.getLogger(__name__)

__all__ = ["FX_TAB", "MainWindow", "QFileDialog", "QMessageBox"]


def _takes_tab(widget: QWidget) -> bool:
    return (
        widget.isVisible()
        and widget.isEnabled()
        and bool(widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value)
        and widget.focusProxy() is None
    )


def _tab_stops_inside(container: QWidget, *, include_self: bool = False) -> list[QWidget]:
    """*container* (when asked) and the widgets inside it, in their focus-chain order."""
    stops: list[QWidget] = [container] if include_self else []
    widget = container.nextInFocusChain()
    while widget is not None and widget is not container and container.isAncestorOf(widget):
        stops.append(widget)
        widget = widget.nextInFocusChain()
    return stops


class MainWindow(QMainWindow):
    """Tables of figures, charts beside them, everything saved as it is typed."""

    #: The chart on show first drew the open database's figures (once per database opened).
    charts_drawn = Signal()

    # actions, menus and toolbar widgets (made by window_actions.build_actions/build_menus)
    new_db_action: QAction
    open_action: QAction
    connect_action: QAction
    history_action: QAction
    save_copy_action: QAction
    restore_backup_action: QAction
    import_data_action: QAction
    imports_action: QAction
    export_data_action: QAction
    export_summary_action: QAction
    quit_action: QAction
    undo_action: QAction
    redo_action: QAction
    add_row_action: QAction
    duplicate_action: QAction
    delete_action: QAction
    copy_action: QAction
    paste_action: QAction
    paste_new_action: QAction
    find_action: QAction
    companies_action: QAction
    export_chart_action: QAction
    export_all_action: QAction
    copy_chart_action: QAction
    about_action: QAction
    where_action: QAction
    show_tables_action: QAction
    show_charts_action: QAction
    recent_menu: QMenu
    currency_menu: QMenu
    currency_actions: dict[str, QAction]
    currency_combo: QComboBox

    def __init__(
        self,
        database: Database,
        settings: QSettings,
        parent: QWidget | None = None,
        *,
        defer_charts: bool = False,
    ):
        super().__init__(parent)
        self._defer_charts = defer_charts
        self._charts_pending = False
        self.setObjectName("mainWindow")
        self.settings = settings
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undoStack")
        self.database: Database | None = None
        self.store: CapexStore | None = None
        self.fx_widget: QWidget | None = None
        self.watcher: ChangeWatcher | None = None
        self.files = FileActions(self)
        self.servers = ServerActions(self)
        self.edits = EditActions(self)
        self.charts = ChartActions(self)
        self.data = DataActions(self)
        self._build_tables()
        self.filters = FilterBar(self)
        self.filter_edit: QLineEdit = self.filters.filter_edit
        self.company_filter: QComboBox = self.filters.company_filter
        self.year_filter: QComboBox = self.filters.year_filter
        self.clear_filter_button: QToolButton = self.filters.clear_button
        self._build_layout()
        build_actions(self)
        build_menus(self)
        self.status = WindowStatus(self)
        self.count_label: QLabel = self.status.count_label
        self.sum_label: QLabel = self.status.sum_label
        self.reports = ReportActions(self)
        for view in (self.investments_view, self.chip_orders_view):
            view.link_refused.connect(
                lambda msg, r, c, v=view: self.status.show_input_rejected(v, msg, r, c)
            )
        self.focus_ring = FocusRing(self)
        self.splitter.splitterMoved.connect(lambda *_: self.focus_ring.follow())
        self.resize(1280, 800)
        self.load(database)
        self._restore_state()

    # -- construction -----------------------------------------------------------------------
    def _build_tables(self) -> None:
        self.investments_view = FigureTableView(self)
        self.investments_view.setObjectName("investmentsTable")
        self.investments_view.setAccessibleName("Investments table")
        self.chip_orders_view = FigureTableView(self)
        self.chip_orders_view.setObjectName("chipOrdersTable")
        self.chip_orders_view.setAccessibleName("Chip orders table")
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("tableTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.investments_view, "&Investments")
        self.tabs.addTab(self.chip_orders_view, "Chip &orders")
        self.tabs.currentChanged.connect(self._on_tab_changed)

    def _build_layout(self) -> None:
        self.tables_pane = QWidget(self)
        self.tables_pane.setObjectName("tablesPane")
        column = QVBoxLayout(self.tables_pane)
        column.setContentsMargins(6, 6, 0, 0)
        self.read_only_banner = ReadOnlyBanner(self.tables_pane)
        column.addWidget(self.read_only_banner)
        self.connection_banner = ConnectionBanner(self.tables_pane)
        column.addWidget(self.connection_banner)
        column.addLayout(self.filters.layout())
        column.addWidget(self.tabs)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.tables_pane)
        self.chart_area: QWidget = QWidget(self)
        self.chart_area.setObjectName("chartArea")
        self.splitter.addWidget(self.chart_area)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.setCentralWidget(self.splitter)

    # -- database ---------------------------------------------------------------------------
    def load(self, database: Database) -> None:
        """Show *database*: new store, models, charts; the old one is closed."""
        old_db, old_store = self.database, self.store
        self._stop_watching()
        self.database = database
        self.undo_stack.clear()
        self.store = CapexStore(Repository(database.engine), self)
        self.store.conflict_resolver = self.ask_about_conflict
        self.store.reloaded.connect(self._on_store_reloaded)
        self.store.set_display_currency(keys.DISPLAY_CURRENCY.get(self.settings))
        self.store.error_occurred.connect(self.status.show_storage_error)
        self.status.count_tables()
        self.store.rows_changed.connect(self.status.on_rows_changed)
        self.store.reloaded.connect(self.status.count_tables)  # an import, a bulk load
        self.store.reloaded.connect(self.filters.refresh_choices)
        self.store.references_changed.connect(self.filters.refresh_choices)
        self.store.rows_changed.connect(self.filters.on_rows_changed)
        self.store.display_currency_changed.connect(self._on_currency_changed)
        self.investments_model = InvestmentTableModel(self.store, self.undo_stack, self)
        self.chip_orders_model = ChipOrderTableModel(self.store, self.undo_stack, self)
        for view, model in self.pairs():
            view.setModel(model)
            view.setItemDelegate(FigureDelegate(self.store, view))  # one per view, as Qt wants
            view.apply_default_widths()
            model.input_rejected.connect(
                lambda msg, r, c, v=view: self.status.show_input_rejected(v, msg, r, c)
            )
            model.rows_added.connect(lambda row, v=view: self.edits.focus_row(v, row))
            model.message_shown.connect(lambda text: self.statusBar().showMessage(text, 10000))
            self.status.follow(model, view)
        self._install_fx_tab()
        self.reports.attach()
        self.status.follow_fx()
        if self._defer_charts and not self.isVisible():
            # tables first: the charts (pyqtgraph import, analytics) load after the first paint
            self._charts_pending = True
        else:
            self.charts.install_chart_area()
        self.filters.refresh_choices()
        self._on_currency_changed(self.store.display_currency)
        self.status.update_counts()
        self.setWindowTitle(f"{database.label} — {APP_NAME}")
        self.setWindowFilePath(str(database.path or ""))
        self.files.remember_recent(database)
        self.files.after_load(database)
        # other windows' and programs' commits show here within a second
        self.watcher = ChangeWatcher(self.store, self.store)
        self.watcher.connection_lost.connect(self.connection_banner.show_lost)
        self.watcher.connection_restored.connect(self._on_connection_restored)
        self.watcher.start()
        if database.backup is not None:
            self.statusBar().showMessage(
                f"Upgraded the database; a backup of the old file is at {database.backup}", 15000
            )
        if old_store is not None:
            old_store.runner.shutdown()  # no read of the old file may outlive it
            old_store.deleteLater()
        if old_db is not None:
            old_db.close()

    def ask_about_conflict(self, conflict: ConflictError) -> dict[int, Resolution] | None:
        """Someone else changed what the user changed: show both, let them choose."""
        return conflict_dialog.choose_resolutions(self, conflict)

    def _on_connection_restored(self) -> None:
        self.connection_banner.hide()
        self.statusBar().showMessage("Connected to the database server again.", 8000)

    def _on_store_reloaded(self) -> None:
        self.status.count_tables()
        self.status.update_counts()

    def _stop_watching(self) -> None:
        """Stop whatever reads the open database by itself (before it closes or is replaced)."""
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None
        if self.reports.checks is not None:
            self.reports.checks.stop()

    def _install_fx_tab(self) -> None:
        """The FX rates the display currency depends on, as a third tab."""
        assert self.store is not None
        from capex_gui.widgets.fx_rates import FxRatesWidget

        widget = FxRatesWidget(self.store, self.undo_stack, self)
        widget.message_shown.connect(lambda text: self.statusBar().showMessage(text, 8000))
        current = self.tabs.currentIndex()
        if self.fx_widget is not None:
            self.tabs.removeTab(FX_TAB)
            self.fx_widget.deleteLater()
        self.fx_widget = widget
        self.tabs.insertTab(FX_TAB, widget, "F&X rates")
        self.tabs.setTabToolTip(FX_TAB, "Units of each currency per US dollar, by year")
        self.tabs.setCurrentIndex(current)

    def tab_stops(self) -> list[QWidget]:
        """Where Tab goes, in the order things are seen: the toolbar's display currency, the
        filter bar, the table tabs and the table on show, then everything else (charts,
        status bar, docks) in Qt's focus-chain order."""
        front: list[QWidget] = [
            self.currency_combo,
            self.filter_edit,
            self.company_filter,
            self.year_filter,
            self.clear_filter_button,
            self.tabs.tabBar(),
        ]
        page = self.tabs.currentWidget()
        if page is not None:
            front += _tab_stops_inside(page, include_self=True)
        rest: list[QWidget] = []
        widget = self.nextInFocusChain()
        while widget is not None and widget is not self:
            if widget not in front and not self.tabs.isAncestorOf(widget):
                rest.append(widget)
            widget = widget.nextInFocusChain()
        status = self.statusBar()
        rest.sort(key=status.isAncestorOf)  # the status bar last, as it is seen
        return [w for w in (*front, *rest) if _takes_tab(w)]

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab and Shift+Tab follow ``tab_stops`` round the window."""
        stops = self.tab_stops()
        holder = QApplication.focusWidget()
        while holder is not None and holder not in stops:  # e.g. an editor inside a table
            holder = holder.parentWidget()
        if holder is None:
            return super().focusNextPrevChild(next)
        step = 1 if next else -1
        target = stops[(stops.index(holder) + step) % len(stops)]
        reason = Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
        target.setFocus(reason)
        return True

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.focus_ring.follow()

    def pairs(self) -> list[tuple[FigureTableView, FigureTableModel]]:
        """Each figure table's view and model."""
        return [
            (self.investments_view, self.investments_model),
            (self.chip_orders_view, self.chip_orders_model),
        ]

    def current_view(self) -> FigureTableView:
        """The table on the visible tab."""
        return self.chip_orders_view if self.tabs.currentIndex() == 1 else self.investments_view

    def current_model(self) -> FigureTableModel:
        """The model of the visible table."""
        return self.current_view().figure_model()

    def show_row_history(self) -> None:
        """Show who changed the current row and when (Edit → Row history…)."""
        view, model = self.current_view(), self.current_model()
        index = view.currentIndex()
        if self.store is None or not index.isValid():
            self.statusBar().showMessage("Select a row to see its history.", 5000)
            return
        row_id = model.id_at(index.row())
        try:
            entries = self.store.repo.row_history(model.table.value, row_id)
        except CapexError as exc:
            self.status.show_storage_error(str(exc))
            return
        title = f"{model.table.label[:-1].lower()} {row_id}"
        self.run_dialog(HistoryDialog(title, entries, self))

    def open_target(self, target: str) -> bool:
        """Open a file path or URL (used by Open recent and by a second instance)."""
        return self.files.open_path(target)

    def open_target_or_raise(self, target: str) -> bool:
        """Open a file handed over by a second instance (just come forward if it is open)."""
        if self.database is not None and self.database.label == str(target):
            return True
        return self.open_target(target)

    # -- editing ----------------------------------------------------------------------------
    def show_paste_errors(self, text: str) -> None:
        """Tell the user why a paste was refused (a separate method so tests can patch it)."""
        QMessageBox.warning(self, "Paste", text)

    def ask_paste_choice(self, plan: PastePlan) -> PasteChoice | None:
        """Ask before a paste overwrites records (a separate method so tests can patch it)."""
        return ask_paste_choice(self, plan)

    def focus_filter(self) -> None:
        """Put the cursor in the filter box."""
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def clear_filters(self) -> None:
        """Show every row."""
        self.filters.clear()

    def apply_chart_filter(self, request: dict[str, object]) -> None:
        """Show the rows behind a clicked bar segment or slice."""
        self.filters.apply_chart_filter(request)

    def run_dialog(self, dialog: QDialog) -> bool:
        """Show a modal dialog; True when accepted."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def name_undo_steps(self, *_args: object) -> None:
        """Undo/Redo tooltips name the step (the toolbar buttons just say Undo and Redo)."""
        name_step_in_tooltip(self.undo_action, "Ctrl+Z")
        name_step_in_tooltip(self.redo_action, "Ctrl+Shift+Z")

    # -- currency ---------------------------------------------------------------------------
    def set_display_currency(self, code: str) -> None:
        """Show totals and charts in *code*."""
        assert self.store is not None
        try:
            self.store.set_display_currency(code)
        except CapexError as exc:
            self.statusBar().showMessage(str(exc), 6000)

    def _on_currency_changed(self, code: str) -> None:
        keys.DISPLAY_CURRENCY.set(self.settings, code)
        self.currency_combo.setCurrentText(code)
        for c, act in self.currency_actions.items():
            act.setChecked(c == code)
        self.status.update_selection_sum()

    def _on_tab_changed(self, index: int) -> None:
        on_figures = index != FX_TAB
        for action in (
            self.add_row_action,
            self.duplicate_action,
            self.delete_action,
            self.copy_action,
            self.paste_action,
            self.paste_new_action,
        ):
            action.setEnabled(on_figures)
        if self.store is not None:
            self.status.update_counts()
            self.status.update_selection_sum()

    def show_companies(self) -> None:
        """The Companies dialog (name, country, fiscal-year end), one per open database."""
        from capex_gui.widgets.companies_dialog import CompaniesDialog

        assert self.store is not None
        dialog = getattr(self, "companies_dialog", None)
        if dialog is None or dialog.model.store is not self.store:
            if dialog is not None:
                dialog.close()
                dialog.deleteLater()
            dialog = CompaniesDialog(self.store, self.undo_stack, self)
            self.companies_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    # -- help -------------------------------------------------------------------------------
    def show_about(self) -> None:
        """Version and what the app is."""
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>Keeps AI-infrastructure investments and chip orders with their sources, "
            "and charts them live.</p>"
            f"<p>Database: {self.database.label if self.database else ''}</p>",
        )

    def show_database_location(self) -> None:
        """Where the open database lives."""
        assert self.database is not None
        QMessageBox.information(
            self, "Database location", f"The open database is:\n\n{self.database.label}"
        )

    # -- state ------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        s = self.settings
        geometry = keys.GEOMETRY.get(s)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = keys.WINDOW_STATE.get(s)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        splitter = keys.SPLITTER.get(s)
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([760, 520])
        for view, setting in (
            (self.investments_view, keys.INVESTMENT_HEADER),
            (self.chip_orders_view, keys.CHIP_ORDER_HEADER),
        ):
            header = setting.get(s)
            if isinstance(header, QByteArray) and not header.isEmpty():
                view.horizontalHeader().restoreState(header)
                view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.tabs.setCurrentIndex(min(max(keys.CURRENT_TAB.get(s), 0), FX_TAB))
        self.show_tables_action.setChecked(keys.SHOW_TABLES.get(s))
        self.show_charts_action.setChecked(keys.SHOW_CHARTS.get(s))

    def save_state(self) -> None:
        """Remember geometry, splitter, column widths, tab and panes."""
        s = self.settings
        keys.GEOMETRY.set(s, self.saveGeometry())
        keys.WINDOW_STATE.set(s, self.saveState())
        keys.SPLITTER.set(s, self.splitter.saveState())
        keys.INVESTMENT_HEADER.set(s, self.investments_view.horizontalHeader().saveState())
        keys.CHIP_ORDER_HEADER.set(s, self.chip_orders_view.horizontalHeader().saveState())
        keys.CURRENT_TAB.set(s, self.tabs.currentIndex())
        keys.SHOW_TABLES.set(s, self.show_tables_action.isChecked())
        keys.SHOW_CHARTS.set(s, self.show_charts_action.isChecked())
        s.sync()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._charts_pending:
            self._charts_pending = False
            QTimer.singleShot(0, self.charts.install_chart_area)

    def closeEvent(self, event: QCloseEvent) -> None:
        view = self.current_view()
        if view.state() == FigureTableView.State.EditingState:
            # commit the cell being typed in, as a spreadsheet does
            view.setFocus()
        self.save_state()
        self._stop_watching()
        if self.store is not None:
            self.store.runner.shutdown()
        if self.database is not None:
            self.database.close()
        super().closeEvent(event)
