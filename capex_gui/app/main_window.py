"""The main window: investments and chip-order tables beside the charts, with menus and undo."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from capex_gui import APP_NAME, __version__
from capex_gui.app import settings as keys
from capex_gui.domain.currencies import KNOWN_CURRENCIES
from capex_gui.domain.entities import ChipOrder, Investment
from capex_gui.domain.money import CENT, exact_sum
from capex_gui.domain.parsing import format_amount
from capex_gui.errors import CapexError, MissingRateError
from capex_gui.models.figure_table_model import (
    ChipOrderTableModel,
    FigureTableModel,
    InvestmentTableModel,
)
from capex_gui.storage import sqlite
from capex_gui.storage.database import Database, open_database
from capex_gui.storage.repository import FigureQuery, Repository
from capex_gui.store.store import CapexStore, RowChange, TableKind
from capex_gui.widgets.delegates import FigureDelegate
from capex_gui.widgets.figure_table_view import FigureTableView

if TYPE_CHECKING:
    from collections.abc import Callable
    from decimal import Decimal

    from PySide6.QtGui import QPaintEvent

    from capex_gui.export.chart_export import ChartKind, ChartSelection

logger = logging.getLogger(__name__)

ALL = "All"
FX_TAB = 2
FILE_FILTER = "AI Capex Tracker databases (*.capex);;All files (*)"


class MainWindow(QMainWindow):
    """Tables of figures, charts beside them, everything saved as it is typed."""

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
        self._build_tables()
        self._build_filters()
        self._build_layout()
        self._build_actions()
        self._build_menus()
        self._build_status_bar()
        self.resize(1280, 800)
        self._load(database)
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

    def _build_filters(self) -> None:
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("filterEdit")
        self.filter_edit.setPlaceholderText("Filter rows: type words from any column (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip("Shows rows that contain every word typed, in any column")
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(150)
        self._filter_timer.timeout.connect(self._apply_filters)
        self.filter_edit.textChanged.connect(lambda _t: self._filter_timer.start())
        self.company_filter = QComboBox(self)
        self.company_filter.setObjectName("companyFilter")
        self.company_filter.setToolTip("Show one company's rows")
        self.company_filter.setMinimumContentsLength(10)
        self.year_filter = QComboBox(self)
        self.year_filter.setObjectName("yearFilter")
        self.year_filter.setToolTip("Show one year's rows")
        self.company_filter.activated.connect(lambda _i: self._apply_filters())
        self.year_filter.activated.connect(lambda _i: self._apply_filters())

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.filter_edit, 3)
        company_label = QLabel("&Company:", self)
        company_label.setBuddy(self.company_filter)
        bar.addWidget(company_label)
        bar.addWidget(self.company_filter, 1)
        year_label = QLabel("&Year:", self)
        year_label.setBuddy(self.year_filter)
        bar.addWidget(year_label)
        bar.addWidget(self.year_filter)
        self.clear_filter_button = QToolButton(self)
        self.clear_filter_button.setText("Clear")
        self.clear_filter_button.setToolTip("Show every row again")
        self.clear_filter_button.clicked.connect(self.clear_filters)
        bar.addWidget(self.clear_filter_button)
        self.tables_pane = QWidget(self)
        self.tables_pane.setObjectName("tablesPane")
        column = QVBoxLayout(self.tables_pane)
        column.setContentsMargins(6, 6, 0, 0)
        column.addLayout(bar)
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

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.new_db_action = self._action(
            "&New database…",
            self.new_database,
            QKeySequence("Ctrl+Shift+N"),
            "Create a new, empty database file",
        )
        self.open_action = self._action(
            "&Open…", self.open_database_dialog, key.Open, "Open another database file"
        )
        self.save_copy_action = self._action(
            "Save a &copy as…",
            self.save_copy,
            key.SaveAs,
            "Write a copy of this database to another file",
        )
        self.quit_action = self._action("&Quit", self.close, key.Quit, "Close the window")
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts(key.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.add_row_action = self._action(
            "&Add row",
            self.add_row,
            QKeySequence("Ctrl+N"),
            "Add a row below the current one (Ctrl+N)",
        )
        self.duplicate_action = self._action(
            "D&uplicate rows",
            self.duplicate_rows,
            QKeySequence("Ctrl+D"),
            "Copy the selected rows below them (Ctrl+D)",
        )
        self.delete_action = self._action(
            "&Delete rows",
            self.delete_rows,
            QKeySequence(Qt.Key.Key_Delete),
            "Delete the selected rows (Delete); Undo brings them back",
        )
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_action = self._action(
            "&Copy", self.copy_cells, key.Copy, "Copy the selected cells as tab-separated text"
        )
        self.paste_action = self._action(
            "&Paste", self.paste_cells, key.Paste, "Paste cells copied from a spreadsheet"
        )
        for action in (self.delete_action, self.copy_action, self.paste_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.tabs.addAction(action)
        self.find_action = self._action(
            "&Find…", self.focus_filter, key.Find, "Filter the rows by words (Ctrl+F)"
        )
        self.export_chart_action = self._action(
            "&Export chart…",
            self.export_chart_dialog,
            QKeySequence("Ctrl+E"),
            "Save the chart on show as PNG, SVG or PDF (Ctrl+E)",
        )
        self.export_all_action = self._action(
            "Export &all charts…",
            self.export_all_charts,
            None,
            "Save every chart into a folder, with the last export's format and size",
        )
        self.copy_chart_action = self._action(
            "Copy c&hart",
            self.copy_chart,
            None,
            "Put the chart on show on the clipboard as an image (PNG and SVG)",
        )
        for action in (self.export_chart_action, self.export_all_action, self.copy_chart_action):
            action.setEnabled(False)  # until the charts are loaded
        self.about_action = self._action("&About", self.show_about)
        self.where_action = self._action("Where is my &database?", self.show_database_location)
        self.show_tables_action = QAction("Show &tables", self, checkable=True, checked=True)
        self.show_tables_action.toggled.connect(self.tables_pane.setVisible)
        self.show_charts_action = QAction("Show c&harts", self, checkable=True, checked=True)
        self.show_charts_action.toggled.connect(lambda on: self.chart_area.setVisible(on))

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addActions([self.new_db_action, self.open_action])
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.setObjectName("recentMenu")
        file_menu.addAction(self.save_copy_action)
        file_menu.addSeparator()
        file_menu.addActions(
            [self.export_chart_action, self.export_all_action, self.copy_chart_action]
        )
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menu.addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.add_row_action, self.duplicate_action, self.delete_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.copy_action, self.paste_action, self.find_action])
        view_menu = menu.addMenu("&View")
        self.currency_menu = view_menu.addMenu("Display &currency")
        self.currency_actions: dict[str, QAction] = {}
        for code in ("USD", "CNY", "EUR", "GBP", "JPY", "KRW", "TWD", "HKD"):
            act = QAction(code, self, checkable=True)
            act.triggered.connect(lambda _c=False, c=code: self.set_display_currency(c))
            self.currency_menu.addAction(act)
            self.currency_actions[code] = act
        view_menu.addSeparator()
        view_menu.addActions([self.show_tables_action, self.show_charts_action])
        help_menu = menu.addMenu("&Help")
        help_menu.addActions([self.where_action, self.about_action])
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolBar")
        toolbar.setMovable(False)
        toolbar.addActions([self.add_row_action, self.duplicate_action, self.delete_action])
        toolbar.addSeparator()
        toolbar.addActions([self.undo_action, self.redo_action])
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" Display currency: ", self))
        self.currency_combo = QComboBox(self)
        self.currency_combo.setObjectName("currencyCombo")
        self.currency_combo.addItems(list(KNOWN_CURRENCIES))
        self.currency_combo.setToolTip("Currency of totals, derived values and charts")
        self.currency_combo.activated.connect(
            lambda _i: self.set_display_currency(self.currency_combo.currentText())
        )
        toolbar.addWidget(self.currency_combo)

    def _build_status_bar(self) -> None:
        self.count_label = QLabel(self)
        self.count_label.setObjectName("rowCountLabel")
        self.sum_label = QLabel(self)
        self.sum_label.setObjectName("selectionSumLabel")
        self.statusBar().addPermanentWidget(self.sum_label)
        self.statusBar().addPermanentWidget(self.count_label)

    # -- database ---------------------------------------------------------------------------
    def _load(self, database: Database) -> None:
        """Show *database*: new store, models, charts; the old one is closed."""
        old_db, old_store = self.database, self.store
        self.database = database
        self.undo_stack.clear()
        self.store = CapexStore(Repository(database.engine), self)
        self.store.set_display_currency(keys.DISPLAY_CURRENCY.get(self.settings))
        self.store.error_occurred.connect(self.show_storage_error)
        # table sizes: counted once, then kept by the changes (no COUNT(*) per edit)
        self._table_sizes = {
            kind: self.store.repo.count_rows(kind.value)
            for kind in (TableKind.INVESTMENTS, TableKind.CHIP_ORDERS)
        }
        self.store.rows_changed.connect(self._on_rows_changed)
        self.store.references_changed.connect(self._refresh_filter_choices)
        self.store.rows_changed.connect(lambda _c: self._refresh_filter_choices())
        self.store.display_currency_changed.connect(self._on_currency_changed)
        self.investments_model = InvestmentTableModel(self.store, self.undo_stack, self)
        self.chip_orders_model = ChipOrderTableModel(self.store, self.undo_stack, self)
        for view, model in self._pairs():
            view.setModel(model)
            view.setItemDelegate(FigureDelegate(self.store, view))  # one per view, as Qt wants
            view.apply_default_widths()
            model.input_rejected.connect(
                lambda msg, r, c, v=view: self._on_input_rejected(v, msg, r, c)
            )
            model.rows_added.connect(lambda row, v=view: self._focus_row(v, row))
            model.modelReset.connect(self._update_counts)
            model.rowsInserted.connect(lambda *_: self._update_counts())
            model.rowsRemoved.connect(lambda *_: self._update_counts())
            view.selectionModel().selectionChanged.connect(lambda *_: self._update_selection_sum())
        self._install_fx_tab()
        if self._defer_charts and not self.isVisible():
            # tables first: the charts (pyqtgraph import, analytics) load after the first paint
            self._charts_pending = True
        else:
            self._install_chart_area()
        self._refresh_filter_choices()
        self._on_currency_changed(self.store.display_currency)
        self._update_counts()
        self.setWindowTitle(f"{database.label} — {APP_NAME}")
        self.setWindowFilePath(str(database.path or ""))
        self._remember_recent(database)
        if database.backup is not None:
            self.statusBar().showMessage(
                f"Upgraded the database; a backup of the old file is at {database.backup}", 15000
            )
        if old_store is not None:
            old_store.deleteLater()
        if old_db is not None:
            old_db.close()

    def _install_chart_area(self) -> None:
        """Put the charts beside the tables (imported here: pyqtgraph loads after first paint)."""
        if self.store is None:
            return
        from capex_gui.widgets.charts.chart_area import ChartArea

        area = ChartArea(self.store, self.settings, self)
        area.setObjectName("chartArea")
        area.filter_requested.connect(self.apply_chart_filter)
        old = self.chart_area
        self.splitter.replaceWidget(self.splitter.indexOf(old), area)
        old.deleteLater()
        self.chart_area = area
        area.setVisible(self.show_charts_action.isChecked())
        # right-click a chart to export or copy it; Ctrl+C copies it while a chart has focus
        chart_copy = QAction("Copy chart", area)
        chart_copy.setShortcut(QKeySequence.StandardKey.Copy)
        chart_copy.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        chart_copy.triggered.connect(self.copy_chart)
        area.addAction(chart_copy)
        for chart in area.charts():
            chart.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            chart.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            chart.addActions([self.export_chart_action, chart_copy, self.export_all_action])
        for action in (self.export_chart_action, self.export_all_action, self.copy_chart_action):
            action.setEnabled(True)

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

    def _pairs(self) -> list[tuple[FigureTableView, FigureTableModel]]:
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

    def new_database(self) -> None:
        """Ask for a file name and start an empty database there."""
        name, _ = QFileDialog.getSaveFileName(
            self, "New database", self._last_folder("new.capex"), FILE_FILTER
        )
        if not name:
            return
        path = Path(name)
        if path.suffix != sqlite.EXTENSION:
            path = path.with_suffix(sqlite.EXTENSION)
        if path.exists():
            # the file dialog already asked whether to replace it
            path.unlink()
        self._open_path(path, create=True)

    def open_database_dialog(self) -> None:
        """Ask for a database file and open it."""
        name, _ = QFileDialog.getOpenFileName(
            self, "Open database", self._last_folder(), FILE_FILTER
        )
        if name:
            self._open_path(Path(name))

    def open_target(self, target: str) -> bool:
        """Open a file path or URL (used by Open recent and by a second instance)."""
        return self._open_path(target)

    def _open_path(self, target: Path | str, *, create: bool = False) -> bool:
        try:
            database = open_database(target, create=create)
        except CapexError as exc:
            QMessageBox.warning(self, APP_NAME, f"Could not open the database.\n\n{exc}")
            return False
        if isinstance(target, Path):
            keys.LAST_FOLDER.set(self.settings, str(target.parent))
        self._load(database)
        return True

    def save_copy(self) -> None:
        """Write a consistent copy of the open database to another file."""
        assert self.database is not None
        if self.database.path is None:
            QMessageBox.information(
                self, APP_NAME, "This database is on a server; use its own backup tools."
            )
            return
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Save a copy as",
            self._last_folder(f"{self.database.path.stem} copy.capex"),
            FILE_FILTER,
        )
        if not name:
            return
        target = Path(name)
        if target.resolve() == self.database.path.resolve():
            QMessageBox.warning(self, APP_NAME, "Choose a different file from the open database.")
            return
        try:
            target.unlink(missing_ok=True)
            sqlite.copy_file(self.database.path, target)
        except OSError as exc:
            QMessageBox.warning(self, APP_NAME, f"Could not write the copy.\n\n{exc}")
            return
        self.statusBar().showMessage(f"Saved a copy to {target}", 8000)

    def _last_folder(self, name: str = "") -> str:
        folder = keys.LAST_FOLDER.get(self.settings)
        if not folder and self.database is not None and self.database.path is not None:
            folder = str(self.database.path.parent)
        return str(Path(folder) / name) if folder else name

    def _remember_recent(self, database: Database) -> None:
        location = str(database.path) if database.path else database.label
        recent = [r for r in keys.RECENT_FILES.get(self.settings) if r != location]
        recent.insert(0, location)
        keys.RECENT_FILES.set(self.settings, recent[: keys.MAX_RECENT])
        self._rebuild_recent_menu()

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = keys.RECENT_FILES.get(self.settings)
        for i, location in enumerate(recent):
            act = self.recent_menu.addAction(f"&{i + 1} {location}")
            act.triggered.connect(lambda _c=False, loc=location: self.open_target(loc))
        self.recent_menu.setEnabled(bool(recent))

    # -- editing actions --------------------------------------------------------------------
    def add_row(self) -> None:
        """Add a row with sensible defaults below the current row."""
        view = self.current_view()
        current = view.currentIndex()
        view.figure_model().add_row(current.row() if current.isValid() else None)

    def duplicate_rows(self) -> None:
        """Duplicate the selected rows."""
        view = self.current_view()
        rows = view.selected_rows()
        if rows:
            view.figure_model().duplicate_rows(rows)

    def delete_rows(self) -> None:
        """Delete the selected rows (undoable)."""
        view = self.current_view()
        rows = view.selected_rows()
        if not rows:
            self.statusBar().showMessage("Select the rows to delete first", 4000)
            return
        n = view.figure_model().delete_rows(rows)
        if n:
            self.statusBar().showMessage(
                f"Deleted {n} row{'s' if n != 1 else ''} — Undo (Ctrl+Z) brings them back", 6000
            )

    def copy_cells(self) -> None:
        """Copy the selection as tab-separated text."""
        if self.current_view().copy_selection():
            self.statusBar().showMessage("Copied", 2000)

    def paste_cells(self) -> None:
        """Paste tab-separated cells at the current cell (all or nothing)."""
        text = QGuiApplication.clipboard().text()
        errors = self.current_view().paste_text(text)
        if errors:
            shown = "\n".join(f"• {e}" for e in errors[:15])
            more = f"\n…and {len(errors) - 15} more" if len(errors) > 15 else ""
            self.statusBar().showMessage(f"Nothing pasted: {errors[0]}", 10000)
            self.show_paste_errors(f"Nothing was pasted:\n\n{shown}{more}")
        else:
            self.statusBar().showMessage("Pasted", 3000)

    def show_paste_errors(self, text: str) -> None:
        """Tell the user why a paste was refused (a separate method so tests can patch it)."""
        QMessageBox.warning(self, "Paste", text)

    def focus_filter(self) -> None:
        """Put the cursor in the filter box."""
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def _focus_row(self, view: FigureTableView, row: int) -> None:
        index = view.model().index(row, 0)
        view.setCurrentIndex(index)
        view.scrollTo(index)
        view.setFocus()

    # -- filters ----------------------------------------------------------------------------
    def _refresh_filter_choices(self) -> None:
        assert self.store is not None
        companies = [c.name for c in self.store.companies()]
        years = sorted({y for y in self.store.repo.figure_years()}, reverse=True)
        for combo, values in (
            (self.company_filter, companies),
            (self.year_filter, [str(y) for y in years]),
        ):
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ALL)
            combo.addItems(values)
            found = combo.findText(current)
            combo.setCurrentIndex(found if found >= 0 else 0)
            combo.blockSignals(False)

    def _apply_filters(self) -> None:
        company = self.company_filter.currentText()
        year = self.year_filter.currentText()
        for _view, model in self._pairs():
            q = model.query
            model.set_query(
                FigureQuery(
                    text=self.filter_edit.text(),
                    company=None if company in ("", ALL) else company,
                    year=int(year) if year.isdigit() else None,
                    sort=q.sort,
                    descending=q.descending,
                )
            )
        self._update_counts()
        if hasattr(self.chart_area, "set_context"):
            self.chart_area.set_context(
                None if company in ("", ALL) else company, int(year) if year.isdigit() else None
            )

    def clear_filters(self) -> None:
        """Show every row."""
        self.filter_edit.blockSignals(True)
        self.filter_edit.clear()
        self.filter_edit.blockSignals(False)
        self.company_filter.setCurrentIndex(0)
        self.year_filter.setCurrentIndex(0)
        self._apply_filters()

    def apply_chart_filter(self, request: dict[str, object]) -> None:
        """Show the rows behind a clicked bar segment or slice."""
        table = request.get("table")
        company = request.get("company")
        year = request.get("year")
        self.company_filter.setCurrentIndex(
            max(0, self.company_filter.findText(str(company or ALL)))
        )
        self.year_filter.setCurrentIndex(max(0, self.year_filter.findText(str(year or ALL))))
        self.filter_edit.blockSignals(True)
        self.filter_edit.clear()
        self.filter_edit.blockSignals(False)
        self._apply_filters()
        extra = {k: request.get(k) for k in ("category", "region", "supplier")}
        model = self.chip_orders_model if table == "chip_orders" else self.investments_model
        q = model.query
        model.set_query(
            FigureQuery(
                company=q.company,
                year=q.year,
                sort=q.sort,
                descending=q.descending,
                category=str(extra["category"]) if extra["category"] else None,
                region=str(extra["region"]) if extra["region"] else None,
                supplier=str(extra["supplier"]) if extra["supplier"] else None,
            )
        )
        self.tabs.setCurrentIndex(1 if table == "chip_orders" else 0)
        self._update_counts()
        shown = ", ".join(str(v) for v in (company, year, *extra.values()) if v)
        self.statusBar().showMessage(f"Showing the rows behind {shown} — Clear shows all", 8000)

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
        self._update_selection_sum()

    # -- status bar -------------------------------------------------------------------------
    def _on_rows_changed(self, change: RowChange) -> None:
        # the models update their rows after this; their row signals refresh the label
        self._table_sizes[change.table] += len(change.added) - len(change.removed)

    def _update_counts(self) -> None:
        assert self.store is not None
        if self.tabs.currentIndex() == FX_TAB:
            n = len(self.store.fx_rates())
            self.count_label.setText(f"{n} FX rate{'s' if n != 1 else ''}")
            return
        model = self.current_model()
        total = self._table_sizes[model.table]
        shown = model.rowCount()
        noun = model.table.label.lower()
        text = f"{shown:,} {noun}" if shown == total else f"{shown:,} of {total:,} {noun}"
        self.count_label.setText(text)

    def _update_selection_sum(self) -> None:
        """Sum of the selected rows' amounts in the display currency."""
        if self.store is None or self.tabs.currentIndex() == FX_TAB:
            self.sum_label.setText("")
            return
        view = self.current_view()
        selected = view.selectionModel().selectedIndexes() if view.selectionModel() else []
        rows = sorted({i.row() for i in selected})
        if len(rows) < 1:
            self.sum_label.setText("")
            return
        model = view.figure_model()
        fx, cur = self.store.fx_table(), self.store.display_currency
        amounts: list[Decimal] = []
        missing: set[str] = set()
        for row in rows[:100_000]:
            item = model.item_at(row)
            amount = (
                item.amount
                if isinstance(item, Investment)
                else (item.value if isinstance(item, ChipOrder) else None)
            )
            if amount is None or item.currency is None:
                continue
            try:
                amounts.append(fx.convert(amount, item.currency, item.year, cur))
            except MissingRateError as exc:
                missing.add(str(exc))
        text = f"Selected {len(rows)}: sum {format_amount(exact_sum(amounts).quantize(CENT), cur)}"
        if missing:
            text += f" (left out: {', '.join(sorted(missing))})"
        self.sum_label.setText(text)

    def _on_tab_changed(self, index: int) -> None:
        on_figures = index != FX_TAB
        for action in (
            self.add_row_action,
            self.duplicate_action,
            self.delete_action,
            self.copy_action,
            self.paste_action,
        ):
            action.setEnabled(on_figures)
        if self.store is not None:
            self._update_counts()
            self._update_selection_sum()

    def _on_input_rejected(self, view: FigureTableView, message: str, row: int, col: int) -> None:
        self.statusBar().showMessage(message, 10000)
        view.show_error_at(message, row, col)

    def show_storage_error(self, message: str) -> None:
        """A change the database refused: say so, keep running."""
        self.statusBar().showMessage(message, 10000)
        QMessageBox.warning(self, APP_NAME, message)

    # -- chart export -----------------------------------------------------------------------
    def _chart_selection(self, kind: ChartKind | None = None) -> ChartSelection:
        from capex_gui.export.chart_export import ChartSelection, kind_of
        from capex_gui.widgets.charts.chart_area import ChartArea

        area = self.chart_area
        assert isinstance(area, ChartArea)
        return ChartSelection(
            kind or kind_of(area.current_chart()),
            area.selected_company(),
            area.selected_year(),
            area.selected_metric(),
            area.selected_split(),
        )

    def export_chart_dialog(self) -> None:
        """Ask how and where, then export the chart on show."""
        from capex_gui.export.chart_export import (
            build_chart,
            chart_facts,
            default_file_name,
            export_selection,
            footnote_for,
        )
        from capex_gui.export.dialog import ExportDialog
        from capex_gui.widgets.charts.chart_area import ChartArea

        area = self.chart_area
        if not isinstance(area, ChartArea):
            return
        selection = self._chart_selection()
        preview = build_chart(area.data, selection)
        facts = chart_facts(preview, area.data)
        preview.deleteLater()
        dialog = ExportDialog(
            self.settings,
            default_name=default_file_name(selection),
            default_title="",
            footnote=footnote_for(facts),
            parent=self,
        )
        dialog.title_edit.setPlaceholderText(facts.title)
        if not self.run_dialog(dialog) or dialog.request is None:
            return
        request = dialog.request
        try:
            written = export_selection(area.data, selection, request.path, request.options)
        except CapexError as exc:
            QMessageBox.warning(self, "Export chart", f"The chart was not exported.\n\n{exc}")
            return
        self.statusBar().showMessage(f"Exported {written}", 8000)

    def run_dialog(self, dialog: QDialog) -> bool:
        """Show a modal dialog; True when accepted."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def export_all_charts(self) -> None:
        """Write every chart into a chosen folder with the last export's format and size."""
        from capex_gui.export.chart_export import (
            ChartKind,
            build_chart,
            chart_facts,
            default_file_name,
            export_selection,
            footnote_for,
        )
        from capex_gui.export.dialog import (
            KEY_FOLDER,
            KEY_FORMAT,
            KEY_HEIGHT,
            KEY_WIDTH,
            confirm_overwrite,
        )
        from capex_gui.export.render import ExportFormat, ExportOptions
        from capex_gui.widgets.charts.chart_area import ChartArea

        area = self.chart_area
        if not isinstance(area, ChartArea):
            return
        start = str(self.settings.value(KEY_FOLDER, "") or self._last_folder())
        folder = QFileDialog.getExistingDirectory(self, "Export all charts into", start)
        if not folder:
            return
        fmt = ExportFormat(str(self.settings.value(KEY_FORMAT, "png")))
        width = int(self.settings.value(KEY_WIDTH, 1920))  # type: ignore[call-overload]
        height = int(self.settings.value(KEY_HEIGHT, 1080))  # type: ignore[call-overload]
        kinds = list(ChartKind)
        progress = QProgressDialog("Exporting charts…", "Cancel", 0, len(kinds), self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        written: list[str] = []
        problems: list[str] = []
        for i, kind in enumerate(kinds):
            if progress.wasCanceled():
                break
            progress.setValue(i)
            selection = self._chart_selection(kind)
            path = Path(folder) / f"{default_file_name(selection)}.{fmt.value}"
            if path.exists() and not confirm_overwrite(self, path):
                continue
            chart = build_chart(area.data, selection)
            options = ExportOptions(
                fmt, width, height, footnote=footnote_for(chart_facts(chart, area.data))
            )
            chart.deleteLater()
            try:
                export_selection(area.data, selection, path, options)
                written.append(path.name)
            except CapexError as exc:
                problems.append(f"{kind.label}: {exc}")
        progress.setValue(len(kinds))
        self.settings.setValue(KEY_FOLDER, folder)
        message = f"Exported {len(written)} chart{'s' if len(written) != 1 else ''} to {folder}"
        self.statusBar().showMessage(message, 10000)
        if problems:
            QMessageBox.warning(self, "Export all charts", "\n".join(problems))

    def copy_chart(self) -> None:
        """Put the chart on show on the clipboard (PNG and SVG)."""
        from capex_gui.export.chart_export import (
            build_chart,
            chart_facts,
            copy_selection,
            footnote_for,
        )
        from capex_gui.export.render import ExportOptions
        from capex_gui.widgets.charts.chart_area import ChartArea

        area = self.chart_area
        if not isinstance(area, ChartArea):
            return
        selection = self._chart_selection()
        chart = build_chart(area.data, selection)
        options = ExportOptions(footnote=footnote_for(chart_facts(chart, area.data)))
        chart.deleteLater()
        copy_selection(area.data, selection, options)
        self.statusBar().showMessage("Copied the chart (PNG and SVG)", 4000)

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
            QTimer.singleShot(0, self._install_chart_area)

    def open_target_or_raise(self, target: str) -> bool:
        """Open a file handed over by a second instance (just come forward if it is open)."""
        if self.database is not None and self.database.label == str(target):
            return True
        return self.open_target(target)

    def closeEvent(self, event: QCloseEvent) -> None:
        view = self.current_view()
        if view.state() == FigureTableView.State.EditingState:
            # commit the cell being typed in, as a spreadsheet does
            view.setFocus()
        self.save_state()
        if self.database is not None:
            self.database.close()
        super().closeEvent(event)
