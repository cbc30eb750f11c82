"""The main window's actions, menus and toolbar (built here, kept as the window's attributes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel

from capex_gui.domain.currencies import KNOWN_CURRENCIES

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import QObject

    from capex_gui.app.main_window import MainWindow

#: Currencies offered in View → Display currency.
MENU_CURRENCIES = ("USD", "CNY", "EUR", "GBP", "JPY", "KRW", "TWD", "HKD")


def make_action(
    parent: QObject,
    text: str,
    slot: Callable[[], object],
    shortcut: QKeySequence | QKeySequence.StandardKey | None = None,
    tip: str = "",
) -> QAction:
    """An action with its shortcut, tooltip and status tip."""
    action = QAction(text, parent)
    if shortcut is not None:
        action.setShortcut(shortcut)
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    action.triggered.connect(slot)
    return action


def name_step_in_tooltip(action: QAction, keys: str) -> None:
    """The toolbar's Undo/Redo tooltip: the step it undoes ("Undo Edit Amount in … (Ctrl+Z)")."""
    action.setToolTip(f"{action.text().replace('&', '')} ({keys})")


def build_actions(window: MainWindow) -> None:
    """Create every action of the window (as its attributes)."""
    key = QKeySequence.StandardKey
    w = window
    w.new_db_action = make_action(
        w,
        "&New database…",
        w.files.new_database,
        QKeySequence("Ctrl+Shift+N"),
        "Create a new, empty database file",
    )
    w.open_action = make_action(
        w, "&Open…", w.files.open_database_dialog, key.Open, "Open another database file"
    )
    w.connect_action = make_action(
        w,
        "Connect to &server…",
        lambda: w.servers.connect_dialog(),  # not with the action's `checked` as details
        QKeySequence("Ctrl+Shift+O"),
        "Open your team's shared database on a PostgreSQL server",
    )
    w.save_copy_action = make_action(
        w,
        "Save a &copy as…",
        w.files.save_copy,
        key.SaveAs,
        "Write a copy of this database to another file",
    )
    w.restore_backup_action = make_action(
        w,
        "Restore from &backup…",
        w.files.restore_from_backup,
        None,
        "Replace this database with one of its daily backups (the current file is kept)",
    )
    w.import_data_action = make_action(
        w,
        "&Import data…",
        w.data.import_data,
        QKeySequence("Ctrl+I"),
        "Import investments, chip orders or FX rates from a CSV or Excel file (Ctrl+I)",
    )
    w.imports_action = make_action(
        w,
        "Im&ports…",
        w.data.show_imports,
        None,
        "The imports recorded in this database; remove one with all its rows",
    )
    w.export_data_action = make_action(
        w,
        "Export &data…",
        w.data.export_data,
        None,
        "Save the table on show as an Excel workbook or CSV",
    )
    w.export_summary_action = make_action(
        w,
        "Export su&mmary…",
        w.data.export_summary,
        None,
        "Save totals, spend and supplier shares as an Excel workbook or CSV",
    )
    w.quit_action = make_action(w, "&Quit", w.close, key.Quit, "Close the window")
    w.undo_action = w.undo_stack.createUndoAction(w, "&Undo")
    w.undo_action.setShortcuts(key.Undo)
    w.redo_action = w.undo_stack.createRedoAction(w, "&Redo")
    w.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    # the toolbar says just Undo / Redo (the menu and the tooltip name the step), so the
    # buttons keep their width instead of pushing the toolbar around on every edit
    w.undo_action.setIconText("Undo")
    w.redo_action.setIconText("Redo")
    w.undo_stack.undoTextChanged.connect(w.name_undo_steps)
    w.undo_stack.redoTextChanged.connect(w.name_undo_steps)
    w.name_undo_steps()
    w.add_row_action = make_action(
        w,
        "&Add row",
        w.edits.add_row,
        QKeySequence("Ctrl+N"),
        "Add a row below the current one (Ctrl+N)",
    )
    w.duplicate_action = make_action(
        w,
        "D&uplicate rows",
        w.edits.duplicate_rows,
        QKeySequence("Ctrl+D"),
        "Copy the selected rows below them (Ctrl+D)",
    )
    w.delete_action = make_action(
        w,
        "&Delete rows",
        w.edits.delete_rows,
        QKeySequence(Qt.Key.Key_Delete),
        "Delete the selected rows (Delete); Undo brings them back",
    )
    w.copy_action = make_action(
        w, "&Copy", w.edits.copy_cells, key.Copy, "Copy the selected cells as tab-separated text"
    )
    w.paste_action = make_action(
        w, "&Paste", w.edits.paste_cells, key.Paste, "Paste cells copied from a spreadsheet"
    )
    w.paste_new_action = make_action(
        w,
        "Paste as &new rows",
        lambda: w.edits.paste_cells(insert=True),
        QKeySequence("Ctrl+Shift+V"),
        "Paste every copied row as a new record; nothing is overwritten (Ctrl+Shift+V)",
    )
    for action in (w.delete_action, w.copy_action, w.paste_action, w.paste_new_action):
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        w.tabs.addAction(action)
    w.history_action = make_action(
        w,
        "Row &history…",
        w.show_row_history,
        QKeySequence("Ctrl+H"),
        "Who changed the current row, when, and what they changed (Ctrl+H)",
    )
    w.history_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    w.tabs.addAction(w.history_action)
    for view in (w.investments_view, w.chip_orders_view):
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        view.addActions(
            [w.copy_action, w.paste_action, w.duplicate_action, w.delete_action, w.history_action]
        )
    w.find_action = make_action(
        w, "&Find…", w.focus_filter, key.Find, "Filter the rows by words (Ctrl+F)"
    )
    w.companies_action = make_action(
        w,
        "Co&mpanies…",
        w.show_companies,
        None,
        "Each company's name, country and the month its fiscal year ends",
    )
    w.export_chart_action = make_action(
        w,
        "&Export chart…",
        w.charts.export_chart_dialog,
        QKeySequence("Ctrl+E"),
        "Save the chart on show as PNG, SVG or PDF (Ctrl+E)",
    )
    w.export_all_action = make_action(
        w,
        "Export &all charts…",
        w.charts.export_all_charts,
        None,
        "Save every chart into a folder, with the last export's format and size",
    )
    w.copy_chart_action = make_action(
        w,
        "Copy c&hart",
        w.charts.copy_chart,
        None,
        "Put the chart on show on the clipboard as an image (PNG and SVG)",
    )
    for action in (w.export_chart_action, w.export_all_action, w.copy_chart_action):
        action.setEnabled(False)  # until the charts are loaded
    w.about_action = make_action(w, "&About", w.show_about)
    w.where_action = make_action(w, "Where is my &database?", w.show_database_location)
    w.show_tables_action = QAction("Show &tables", w, checkable=True, checked=True)
    w.show_tables_action.toggled.connect(w.tables_pane.setVisible)
    w.show_charts_action = QAction("Show c&harts", w, checkable=True, checked=True)
    w.show_charts_action.toggled.connect(lambda on: w.chart_area.setVisible(on))


def build_menus(window: MainWindow) -> None:
    """The menu bar and the toolbar (with the display currency box)."""
    w = window
    menu = w.menuBar()
    file_menu = menu.addMenu("&File")
    file_menu.addActions([w.new_db_action, w.open_action, w.connect_action])
    w.recent_menu = file_menu.addMenu("Open &recent")
    w.recent_menu.setObjectName("recentMenu")
    file_menu.addActions([w.save_copy_action, w.restore_backup_action])
    file_menu.addSeparator()
    file_menu.addActions(
        [w.import_data_action, w.imports_action, w.export_data_action, w.export_summary_action]
    )
    file_menu.addSeparator()
    file_menu.addActions([w.export_chart_action, w.export_all_action, w.copy_chart_action])
    file_menu.addSeparator()
    file_menu.addAction(w.quit_action)
    edit_menu = menu.addMenu("&Edit")
    edit_menu.addActions([w.undo_action, w.redo_action])
    edit_menu.addSeparator()
    edit_menu.addActions([w.add_row_action, w.duplicate_action, w.delete_action])
    edit_menu.addSeparator()
    edit_menu.addActions([w.copy_action, w.paste_action, w.paste_new_action, w.find_action])
    edit_menu.addSeparator()
    edit_menu.addAction(w.companies_action)
    edit_menu.addAction(w.history_action)
    view_menu = menu.addMenu("&View")
    w.currency_menu = view_menu.addMenu("Display &currency")
    w.currency_actions = {}
    for code in MENU_CURRENCIES:
        act = QAction(code, w, checkable=True)
        act.triggered.connect(lambda _c=False, c=code: w.set_display_currency(c))
        w.currency_menu.addAction(act)
        w.currency_actions[code] = act
    view_menu.addSeparator()
    view_menu.addActions([w.show_tables_action, w.show_charts_action])
    help_menu = menu.addMenu("&Help")
    help_menu.addActions([w.where_action, w.about_action])
    toolbar = w.addToolBar("Main")
    toolbar.setObjectName("mainToolBar")
    toolbar.setMovable(False)
    toolbar.addActions([w.add_row_action, w.duplicate_action, w.delete_action])
    toolbar.addSeparator()
    toolbar.addActions([w.undo_action, w.redo_action])
    for action in (w.undo_action, w.redo_action):
        button = toolbar.widgetForAction(action)
        if button is not None:
            button.setFixedWidth(button.sizeHint().width())
    toolbar.addSeparator()
    currency_label = QLabel(" Display c&urrency: ", w)
    toolbar.addWidget(currency_label)
    w.currency_combo = QComboBox(w)
    currency_label.setBuddy(w.currency_combo)
    w.currency_combo.setObjectName("currencyCombo")
    w.currency_combo.addItems(list(KNOWN_CURRENCIES))
    w.currency_combo.setToolTip("Currency of totals, derived values and charts")
    w.currency_combo.activated.connect(
        lambda _i: w.set_display_currency(w.currency_combo.currentText())
    )
    toolbar.addWidget(w.currency_combo)
