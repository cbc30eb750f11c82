"""Company aliases in the window: a ticker or another name typed, pasted or filtered by finds
the company itself."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from capex_gui.app.edit_actions import PasteChoice
from capex_gui.app.main_window import MainWindow
from capex_gui.domain.aliases import AliasKind, CompanyAlias
from capex_gui.storage.repository import Repository
from capex_gui.store.store import TableKind
from tests.app.conftest import type_into_cell, type_text


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
