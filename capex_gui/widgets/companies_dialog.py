"""The Companies dialog: each company's name, country, the month its fiscal year ends, and
its other names (tickers, other-language and former names) that imports, pastes, typing and
the filter match.

Edits go through the store as undoable commands on the window's undo stack. Changing a fiscal
year end moves the company's fiscal figures to the months their labels now mean ("FY2025 Q3"
of a June year end is Jan–Mar 2025), in the same undo step.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from capex_gui.domain.aliases import AliasKind, CompanyAlias, clean_name, name_key
from capex_gui.domain.periods import MONTH_NAMES, Period
from capex_gui.errors import CapexError
from capex_gui.store.company_commands import EditCompany
from capex_gui.store.import_commands import SetAliases, replace_aliases

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from capex_gui.domain.entities import Company
    from capex_gui.store.store import CapexStore

AnyIndex = QModelIndex | QPersistentModelIndex

NAME, COUNTRY, YEAR_END, EXAMPLE, ALIASES = range(5)
HEADERS = ("Company", "Country", "Fiscal year ends in", "So FY2025 is", "Other names")
TOOLTIPS = (
    "The company's name; renaming it renames it in every figure",
    "Two-letter ISO code (CN, US…): decides whether a chip order is domestic or imported",
    "The month its fiscal year ends in (December unless it reports otherwise). "
    "FY2025 is the fiscal year that ends in 2025.",
    "The months FY2025 covers for this company (read-only)",
    "Tickers, names in other languages and former names, separated by commas (MSFT, 微软). "
    "Imports, pastes, typing and the filter find the company by any of them.",
)
#: What separates other names in the Other names cell (commas, full-width commas, semicolons).
ALIAS_SEPARATORS = re.compile(r"[,，;；、]")
#: An alias that reads like a stock ticker (MSFT, 0700.HK, BRK-B).
TICKER = re.compile(r"[A-Z0-9]{1,6}(?:[.\-][A-Z0-9]{1,4})?")


class CompanyTableModel(QAbstractTableModel):
    """The companies, editable in place; every accepted edit is one undo step."""

    #: A refused edit, in one sentence ("Not changed: … is not a two-letter ISO country code").
    input_rejected = Signal(str)

    def __init__(self, store: CapexStore, undo_stack: QUndoStack, parent: QObject | None = None):
        super().__init__(parent)
        self._store = store
        self._undo = undo_stack
        self._companies: list[Company] = store.companies()
        self._aliases = self._aliases_by_company()
        # Reload after the edit that caused it has finished (its editor is still open now).
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(0)
        self._reload_timer.timeout.connect(self._reload)
        store.references_changed.connect(self._reload_timer.start)

    @property
    def store(self) -> CapexStore:
        """The store it edits through."""
        return self._store

    def _aliases_by_company(self) -> dict[str, list[CompanyAlias]]:
        out: dict[str, list[CompanyAlias]] = {}
        for alias in self._store.aliases_of():
            out.setdefault(alias.company, []).append(alias)
        return out

    def aliases(self, company: str) -> list[CompanyAlias]:
        """The other names of *company*, as stored."""
        return list(self._aliases.get(company, []))

    def _reload(self) -> None:
        self._aliases = self._aliases_by_company()
        companies = self._store.companies()
        if [c.id for c in companies] == [c.id for c in self._companies]:
            self._companies = companies  # same rows in the same order: repaint them
            if companies:
                last = self.index(len(companies) - 1, len(HEADERS) - 1)
                self.dataChanged.emit(self.index(0, 0), last)
            return
        self.beginResetModel()
        self._companies = companies
        self.endResetModel()

    def company_at(self, row: int) -> Company:
        """The company shown in *row*."""
        return self._companies[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._companies)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return TOOLTIPS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base if index.column() == EXAMPLE else base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._companies):
            return None
        company = self._companies[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == NAME:
                return company.name
            if column == COUNTRY:
                return company.country
            if column == YEAR_END:
                return MONTH_NAMES[company.fiscal_year_end_month - 1]
            if column == ALIASES:
                return ", ".join(a.alias for a in self._aliases.get(company.name, []))
            return Period.fiscal(2025, company.fiscal_year_end_month).months_label
        if role == Qt.ItemDataRole.ToolTipRole:
            return TOOLTIPS[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == EXAMPLE:
            from PySide6.QtGui import QGuiApplication, QPalette

            return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        old = self._companies[index.row()]
        text = " ".join(str(value).split())
        column = index.column()
        try:
            if column == NAME:
                new, what = old.with_changes(name=text), "the name"
            elif column == COUNTRY:
                new, what = old.with_changes(country=text.upper()), "the country"
            elif column == YEAR_END:
                month = _month_number(text)
                new, what = old.with_changes(fiscal_year_end_month=month), "the fiscal year end"
            elif column == ALIASES:
                return self._set_aliases(index.row(), old.name, str(value))
            else:
                return False
            if new == old:
                return True
            self._store.update_company(new)
            self._companies[index.row()] = new
            self.dataChanged.emit(
                self.index(index.row(), 0), self.index(index.row(), len(HEADERS) - 1)
            )
        except CapexError as exc:
            self.input_rejected.emit(f"Not changed: {exc}.")
            return False
        self.input_rejected.emit("")
        self._undo.push(EditCompany(self._store, old, new, what, done=True))
        return True

    def _set_aliases(self, row: int, company: str, text: str) -> bool:
        """The Other names cell: every alias typed, in one undo step (all or nothing)."""
        before = self.aliases(company)
        kinds = {name_key(a.alias): a for a in before}
        after: list[CompanyAlias] = []
        seen = {name_key(company)}
        try:
            for part in ALIAS_SEPARATORS.split(text):
                alias = clean_name(part)
                key = name_key(alias)
                if not alias or key in seen:
                    continue
                seen.add(key)
                kept = kinds.get(key)
                kind = AliasKind.TICKER if TICKER.fullmatch(alias) else AliasKind.NAME
                after.append(kept or CompanyAlias(company, alias, kind))
            if [name_key(a.alias) for a in after] == [name_key(a.alias) for a in before]:
                return True
            after = replace_aliases(self._store, company, before, after)
        except CapexError as exc:
            self.input_rejected.emit(f"Not changed: {exc}.")
            return False
        self._aliases[company] = after
        self.dataChanged.emit(self.index(row, ALIASES), self.index(row, ALIASES))
        self.input_rejected.emit("")
        self._undo.push(SetAliases(self._store, company, before, after, done=True))
        return True


def _month_number(text: str) -> int:
    """ "June", "jun" or "6" → 6; ValidationError otherwise."""
    from capex_gui.errors import ValidationError

    wanted = text.strip().lower()
    if wanted.isdigit() and 1 <= int(wanted) <= 12:
        return int(wanted)
    for number, name in enumerate(MONTH_NAMES, start=1):
        if len(wanted) >= 3 and name.lower().startswith(wanted):
            return number
    raise ValidationError(f"“{text}” is not a month: choose one from January to December")


class _YearEndDelegate(QStyledItemDelegate):
    """A month list for the fiscal-year-end column; plain text editing elsewhere."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        if index.column() != YEAR_END:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.addItems(list(MONTH_NAMES))
        combo.setToolTip(TOOLTIPS[YEAR_END])
        return combo

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole)))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class CompaniesDialog(QDialog):
    """Edit the companies: name, country, fiscal-year end. Non-modal; Close keeps every edit."""

    def __init__(self, store: CapexStore, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("companiesDialog")
        self.setWindowTitle("Companies")
        self.model = CompanyTableModel(store, undo_stack, self)
        self.view = QTableView(self)
        self.view.setObjectName("companiesTable")
        self.view.setModel(self.model)
        self.view.setItemDelegate(_YearEndDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ALIASES, QHeaderView.ResizeMode.Stretch)
        for column in (COUNTRY, YEAR_END, EXAMPLE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.view.verticalHeader().setVisible(False)
        hint = QLabel(
            "FY2025 is the fiscal year that ends in 2025. Changing when a company's fiscal year "
            "ends moves its FY figures to the months their labels then mean. Add a company by "
            "typing its name in a table's Company cell. Other names (tickers such as MSFT, names "
            "in other languages, former names), separated by commas, are matched by imports, "
            "pastes, typing and the filter. Ctrl+Z undoes a change.",
            self,
        )
        hint.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("companiesMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e")
        self.model.input_rejected.connect(self._show_message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        for button in buttons.buttons():  # Enter ends a cell edit; it must not close the dialog
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
                button.setDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(self.message)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.addActions(
            [_undo_action(undo_stack, self, redo=False), _undo_action(undo_stack, self, redo=True)]
        )
        self.resize(820, 430)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        bar = getattr(self.parent(), "statusBar", None)
        if text and callable(bar):
            bar().showMessage(text, 10000)


def _undo_action(stack: QUndoStack, parent: QWidget, *, redo: bool) -> Any:
    """Ctrl+Z / Ctrl+Shift+Z inside the dialog too (it is a separate window)."""
    from PySide6.QtGui import QKeySequence

    action = stack.createRedoAction(parent) if redo else stack.createUndoAction(parent)
    action.setShortcut(QKeySequence.StandardKey.Redo if redo else QKeySequence.StandardKey.Undo)
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    return action
