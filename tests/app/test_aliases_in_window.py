"""Company aliases in the window: a ticker or another name typed, pasted or filtered by finds
the company itself."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from capex_gui.app.edit_actions import PasteChoice
from capex_gui.app.main_window import MainWindow
from capex_gui.domain.aliases import AliasKind, CompanyAlias
from capex_gui.storage.aliases import company_aliases
from capex_gui.storage.repository import Repository
from capex_gui.store.store import TableKind
from capex_gui.widgets.companies_dialog import ALIASES, CompaniesDialog
from tests.app.conftest import _activate, type_into_cell, type_text


def add_aliases(window: MainWindow) -> None:
    store = window.store
    assert store is not None
    store.add_alias(CompanyAlias("Microsoft", "MSFT", AliasKind.TICKER))
    store.add_alias(CompanyAlias("ByteDance", "字节跳动", AliasKind.NAME))


def test_typing_a_ticker_stores_the_company(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    add_aliases(window)
    view = window.investments_view
    type_into_cell(qtbot, view, 0, "company", "msft")
    stored = check_repo.get_investment(window.investments_model.id_at(0))
    assert stored.company == "Microsoft"
    assert "Microsoft" in {c.name for c in check_repo.companies()}
    assert "msft" not in {c.name.casefold() for c in check_repo.companies()}


def test_pasting_other_names_stores_the_companies(
    window: MainWindow, check_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_aliases(window)
    monkeypatch.setattr(window, "ask_paste_choice", lambda *_a: PasteChoice.OVERWRITE)
    window.tabs.setCurrentIndex(1)
    view = window.chip_orders_view
    model = window.chip_orders_model
    view.setFocus()
    view.setCurrentIndex(model.index(0, model.column_index("company")))
    QApplication.clipboard().setText("字节跳动\nMSFT\n")
    window.paste_action.trigger()
    ids = [model.id_at(0), model.id_at(1)]
    assert [check_repo.get_chip_order(i).company for i in ids] == ["ByteDance", "Microsoft"]


def test_the_filter_finds_a_company_by_its_alias(qtbot: QtBot, window: MainWindow) -> None:
    add_aliases(window)
    store = window.store
    assert store is not None
    model = window.investments_model
    bytedance = model.rowCount()
    first = model.item_at(0)
    store.add_rows(TableKind.INVESTMENTS, [first.with_changes(id=None, company="Microsoft")])

    def shown_after(text: str) -> set[str]:
        window.filter_edit.clear()
        type_text(qtbot, window.filter_edit, text)
        qtbot.waitUntil(lambda: model.query.text == text, timeout=5000)
        return {model.item_at(r).company for r in range(model.rowCount())}

    assert shown_after("msft") == {"Microsoft"}
    assert shown_after("字节跳动") == {"ByteDance"}
    assert model.rowCount() == bytedance


def _edit_other_names(qtbot: QtBot, dialog: CompaniesDialog, row: int, text: str) -> None:
    """F2 on the company's Other names cell, replace what is there with *text*, Enter."""
    table = dialog.view
    _activate(qtbot, dialog)
    table.setFocus()
    table.setCurrentIndex(dialog.model.index(row, ALIASES))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    type_text(qtbot, editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def _stored(check_repo: Repository, company: str) -> list[tuple[str, AliasKind]]:
    return [(a.alias, a.kind) for a in company_aliases(check_repo.engine, company)]


def test_other_names_are_edited_in_the_companies_view(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    window.companies_action.trigger()
    dialog = window.findChild(CompaniesDialog, "companiesDialog")
    assert dialog is not None and dialog.isVisible()
    model = dialog.model
    assert model.headerData(ALIASES, Qt.Orientation.Horizontal) == "Other names"
    row = next(r for r in range(model.rowCount()) if model.company_at(r).name == "Microsoft")
    _edit_other_names(qtbot, dialog, row, "MSFT, 微软；Microsoft")  # its own name is skipped
    qtbot.waitUntil(lambda: len(_stored(check_repo, "Microsoft")) == 2, timeout=2000)
    assert sorted(_stored(check_repo, "Microsoft")) == [
        ("MSFT", AliasKind.TICKER),
        ("微软", AliasKind.NAME),
    ]
    assert model.index(row, ALIASES).data() == "MSFT, 微软"
    # typing the other name in a table stores the company
    dialog.close()
    type_into_cell(qtbot, window.investments_view, 0, "company", "微软")
    stored = check_repo.get_investment(window.investments_model.id_at(0))
    assert stored.company == "Microsoft"
    window.undo_stack.undo()  # the typed company
    qtbot.waitUntil(
        lambda: check_repo.get_investment(window.investments_model.id_at(0)).company != "Microsoft",
        timeout=2000,
    )
    # another company's name is refused in a sentence; nothing changes
    window.companies_action.trigger()
    _edit_other_names(qtbot, dialog, row, "MSFT, Meta")  # drops 微软, then fails on Meta
    qtbot.waitUntil(lambda: "the name of the company Meta" in dialog.message.text(), timeout=2000)
    assert sorted(a for a, _k in _stored(check_repo, "Microsoft")) == ["MSFT", "微软"]
    # dropping one and adding one is one step; undo gives the old names back, redo the new
    _edit_other_names(qtbot, dialog, row, "MSFT, Microsoft Corp")
    qtbot.waitUntil(
        lambda: (
            sorted(a for a, _k in _stored(check_repo, "Microsoft")) == ["MSFT", "Microsoft Corp"]
        ),
        timeout=2000,
    )
    assert window.undo_stack.undoText() == "Change the other names of Microsoft"
    window.undo_stack.undo()
    assert sorted(a for a, _k in _stored(check_repo, "Microsoft")) == ["MSFT", "微软"]
    qtbot.waitUntil(lambda: model.index(row, ALIASES).data() == "MSFT, 微软", timeout=2000)
    window.undo_stack.undo()
    assert _stored(check_repo, "Microsoft") == []
    window.undo_stack.redo()
    window.undo_stack.redo()
    assert sorted(a for a, _k in _stored(check_repo, "Microsoft")) == ["MSFT", "Microsoft Corp"]
