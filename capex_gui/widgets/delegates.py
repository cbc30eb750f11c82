"""Cell editors per column kind: combos with completion, year spin box, amount text with preview."""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from capex_gui.domain.currencies import KNOWN_CURRENCIES
from capex_gui.domain.entities import MAX_YEAR, MIN_YEAR, Company, Status, Supplier
from capex_gui.domain.parsing import (
    MAX_TEXT_LENGTH as MAX_FIGURE_LENGTH,
)
from capex_gui.domain.parsing import (
    format_amount,
    format_units,
    parse_amount,
    parse_units,
)
from capex_gui.errors import CapexError
from capex_gui.models.cells import NO_SOURCE_ROLE, NO_SOURCE_TEXT
from capex_gui.models.columns import BOUND_LABELS, CHOICE_KINDS, Kind
from capex_gui.models.figure_table_model import FigureTableModel
from capex_gui.models.provenance import Figure, describe, orphans_provenance
from capex_gui.store.commands import AddReference
from capex_gui.widgets.figure_table_view import FigureTableView
from capex_gui.widgets.period_edit import PeriodEdit

if TYPE_CHECKING:
    from collections.abc import Callable

    from capex_gui.store.store import CapexStore

logger = logging.getLogger(__name__)

AnyIndex = QModelIndex | QPersistentModelIndex

#: What a reference kind is called in messages.
_REF_NAMES = {
    Kind.COMPANY: "company",
    Kind.SUPPLIER: "supplier",
    Kind.CATEGORY: "category",
    Kind.REGION: "region",
}


_PLURALS = {Kind.CATEGORY: "categories", Kind.REGION: "regions"}

#: Editor property set once the editor holds the cell's text.
_OPENED = "capexOpened"
#: Longest name, figure and text an editor takes (a megabyte pasted in stops here at once).
MAX_NAME_LENGTH = 200
MAX_TEXT_LENGTH = 20_000
MAX_LENGTHS = {
    Kind.AMOUNT: MAX_FIGURE_LENGTH,
    Kind.OPTIONAL_AMOUNT: MAX_FIGURE_LENGTH,
    Kind.UNITS: MAX_FIGURE_LENGTH,
    Kind.DATE: 40,
    Kind.URL: 2_000,
    Kind.TEXT: 1_000,
}


def ask_new_reference(parent: QWidget | None, kind: Kind, name: str) -> str | None:
    """Ask whether to create a new company/supplier (and its country) or category/region.

    Returns the country code for companies and suppliers, "" for confirmed categories and
    regions, or None when the user cancels. Tests replace this function.
    """
    what = _REF_NAMES[kind]
    if kind in (Kind.COMPANY, Kind.SUPPLIER):
        code, ok = QInputDialog.getText(
            parent,
            f"New {what}",
            f"“{name}” is not in the list yet. Add it as a new {what}?\n\n"
            "Its country (two-letter ISO code, e.g. CN, US, KR):",
        )
        return code.strip().upper() if ok and code.strip() else None
    answer = QMessageBox.question(
        parent, f"New {what}", f"Add “{name}” to the list of {_PLURALS[kind]}?"
    )
    return "" if answer == QMessageBox.StandardButton.Yes else None


def ask_keep_sources(parent: QWidget | None, old: Figure, new: Figure) -> bool | None:
    """Ask whether a record's source, link and quote also back what it now says.

    True keeps them, False clears them (the row is then marked "no source"), None cancels the
    edit. Tests replace this function.
    """
    what = old.source or old.source_url or "The quote"
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Keep the source?")
    box.setText(
        f"“{what}” is the source of\n{describe(old)}.\n\nThis row now says\n{describe(new)}."
    )
    box.setInformativeText(
        "Does the same source back the new figure? If not, its source, link and quote are "
        "cleared and the row is marked “no source”."
    )
    keep = box.addButton("&Keep source", QMessageBox.ButtonRole.YesRole)
    clear = box.addButton("C&lear source", QMessageBox.ButtonRole.NoRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(clear)
    box.exec()
    clicked = box.clickedButton()
    if clicked is keep:
        return True
    if clicked is clear:
        return False
    return None


class FigureDelegate(QStyledItemDelegate):
    """Editors for a FigureTableModel's columns."""

    def __init__(self, store: CapexStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store

    def _choices(self, kind: Kind) -> list[str]:
        if kind is Kind.COMPANY:
            return [c.name for c in self._store.companies()]
        if kind is Kind.SUPPLIER:
            return [s.name for s in self._store.suppliers()]
        if kind is Kind.CATEGORY:
            return [c.name for c in self._store.categories()]
        if kind is Kind.REGION:
            return [r.name for r in self._store.regions()]
        if kind is Kind.CURRENCY:
            return list(KNOWN_CURRENCIES)
        if kind is Kind.STATUS:
            return [s.value for s in Status]
        if kind is Kind.BOUND:
            return list(BOUND_LABELS.values())
        return []

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        model = index.model()
        assert isinstance(model, FigureTableModel)
        model.begin_edit(index)  # an edit applies to the row as this editor shows it
        column = model.columns[index.column()]
        kind = column.kind
        if kind in CHOICE_KINDS:
            combo = QComboBox(parent)
            combo.setEditable(True)  # typing works everywhere; the model validates the text
            combo.addItems(self._choices(kind))
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            if combo.isEditable():
                completer = QCompleter(self._choices(kind), combo)
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
                completer.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)
                combo.setCompleter(completer)
            combo.setToolTip(column.tooltip)
            line = combo.lineEdit()
            if line is not None:
                line.setMaxLength(MAX_NAME_LENGTH)
            return combo
        if kind is Kind.PERIOD:
            item = model.item_at(index.row())
            period_edit = PeriodEdit(
                parent,
                year=item.year,
                fiscal_year_end_month=self._store.fiscal_year_end(item.company),
            )
            period_edit.setToolTip(column.tooltip)
            return period_edit
        if kind is Kind.YEAR:
            spin = QSpinBox(parent)
            spin.setRange(MIN_YEAR, MAX_YEAR)
            spin.setToolTip(column.tooltip)
            return spin
        editor = QLineEdit(parent)
        editor.setToolTip(column.tooltip)
        editor.setMaxLength(MAX_LENGTHS.get(kind, MAX_TEXT_LENGTH))
        if kind in (Kind.AMOUNT, Kind.OPTIONAL_AMOUNT, Kind.UNITS):
            editor.textEdited.connect(lambda text: self._preview(editor, kind, text))
            editor.setPlaceholderText(
                "e.g. 40bn, RMB 5.5B, 230k" if kind is not Kind.UNITS else "e.g. 230k"
            )
        elif kind is Kind.DATE:
            editor.setPlaceholderText("YYYY-MM-DD")
        return editor

    @staticmethod
    def _preview(editor: QLineEdit, kind: Kind, text: str) -> None:
        """Show what the typed text will be read as, or why it will be refused."""
        try:
            if kind is Kind.UNITS:
                units, _ = parse_units(text)
                shown = "" if units is None else f"= {format_units(units)} units"
            else:
                parsed = parse_amount(text)
                shown = (
                    ""
                    if parsed.value is None
                    else "= " + format_amount(parsed.value, parsed.currency)
                )
        except CapexError as exc:
            shown = str(exc)
        editor.setToolTip(shown)
        editor.setStatusTip(shown)
        window = editor.window()
        bar = getattr(window, "statusBar", None)
        if callable(bar):
            bar().showMessage(shown, 4000)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        if editor.property(_OPENED):
            # Qt calls this again when the row changes while the editor is open (a chart
            # refresh, another row's edit): keep what the user is typing
            line = editor.lineEdit() if isinstance(editor, QComboBox) else editor
            if isinstance(line, QLineEdit) and line.isModified():
                return
        editor.setProperty(_OPENED, True)
        view = self.parent()
        replace = isinstance(view, FigureTableView) and view.opening_by_typing
        text = str(index.data(Qt.ItemDataRole.EditRole) or "")
        if isinstance(editor, QComboBox):
            found = editor.findText(text, Qt.MatchFlag.MatchFixedString)
            if found >= 0:
                editor.setCurrentIndex(found)
            elif editor.isEditable():
                editor.setEditText(text)
            line = editor.lineEdit()
            if replace and line is not None:
                line.clear()  # the key typed on the cell starts the new text
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(text) if text.isdigit() else editor.minimum())
        elif isinstance(editor, QLineEdit):
            editor.setText("" if replace else text)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox):
            text = editor.currentText().strip()
        elif isinstance(editor, QSpinBox):
            text = str(editor.value())
        elif isinstance(editor, QLineEdit):
            text = editor.text()
        else:
            return
        assert isinstance(model, FigureTableModel)
        kind = model.columns[index.column()].kind
        new_name: str | None = None  # the country answer for a name to add first
        if kind in _REF_NAMES:
            text = " ".join(text.split())  # the name as the table will store it
            if kind is Kind.COMPANY:
                text = self._store.company_name(text)  # MSFT, 字节跳动: the company they name
        if kind in _REF_NAMES and text and text not in self._choices(kind):
            existing = {c.casefold(): c for c in self._choices(kind)}
            if text.casefold() in existing:
                text = existing[text.casefold()]
            else:
                new_name = ask_new_reference(editor.window(), kind, text)
                if new_name is None:
                    model.input_rejected.emit(
                        f"Not changed: “{text}” is not a known {_REF_NAMES[kind]}",
                        index.row(),
                        index.column(),
                    )
                    return
        keep_sources = self._keep_sources(editor, model, index, text)
        if keep_sources is None:
            return
        if new_name is None:
            model.set_cell(index, text, keep_sources=keep_sources)
            return
        # adding the name and using it are one step to undo
        stack = model.undo_stack
        label = f"Add {_REF_NAMES[kind]} {text} in {model.table.label} row {index.row() + 1}"
        stack.beginMacro(label)
        try:
            if self._create_reference(kind, text, new_name, model, index):
                model.set_cell(index, text, keep_sources=keep_sources)
        finally:
            stack.endMacro()
        last = stack.command(stack.count() - 1)
        if last is not None and not last.childCount():
            last.setObsolete(True)  # nothing was written: leave no empty step behind
            stack.undo()

    @staticmethod
    def _keep_sources(
        editor: QWidget, model: FigureTableModel, index: AnyIndex, text: str
    ) -> bool | None:
        """When *text* makes a sourced record a different figure, ask whether its source still
        backs it: True keep, False clear, None leave the cell unchanged."""
        try:
            old, new = model.planned_edit(index, text)
        except CapexError:
            return False  # the model refuses it with the reason
        if not orphans_provenance(old, new):
            return False
        answer = ask_keep_sources(editor.window(), old, new)
        if answer is None:
            model.input_rejected.emit("Not changed (cancelled)", index.row(), index.column())
        return answer

    def _create_reference(
        self, kind: Kind, name: str, answer: str, model: FigureTableModel, index: AnyIndex
    ) -> bool:
        store = self._store
        add: Callable[[], object]
        try:
            if kind is Kind.COMPANY:
                company = Company(name, answer)
                add = partial(store.add_company, company)
            elif kind is Kind.SUPPLIER:
                supplier = Supplier(name, answer)
                add = partial(store.add_supplier, supplier)
            elif kind is Kind.CATEGORY:
                add = partial(store.add_category, name)
            else:
                add = partial(store.add_region, name)
            add()
        except CapexError as exc:
            model.input_rejected.emit(str(exc), index.row(), index.column())
            return False
        model.undo_stack.push(AddReference(store, _REF_NAMES[kind], name, add, done=True))
        return True

    def destroyEditor(self, editor: QWidget, index: AnyIndex) -> None:
        model = index.model()
        if isinstance(model, FigureTableModel):
            model.end_edit()
        super().destroyEditor(editor, index)

    def initStyleOption(self, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().initStyleOption(option, index)
        if index.data(NO_SOURCE_ROLE):
            option.text = NO_SOURCE_TEXT

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> None:
        rect = option.rect
        hint = editor.sizeHint()
        rect.setWidth(max(rect.width(), hint.width()))
        rect.setHeight(max(rect.height(), hint.height()))
        editor.setGeometry(rect)
