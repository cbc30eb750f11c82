"""Typing on a selected cell replaces what it holds, as in every spreadsheet (combo boxes
included); F2 opens the cell to edit what is there (finding 4)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication
from pytestqt.qtbot import QtBot

from capex_gui.app.main_window import MainWindow
from capex_gui.domain.entities import Status
from capex_gui.domain.periods import Period
from capex_gui.domain.sample import SOURCE
from capex_gui.storage.repository import Repository
from capex_gui.widgets.figure_table_view import FigureTableView
from tests.app.conftest import cell, type_text


def _type_on_cell(qtbot: QtBot, view: FigureTableView, row: int, key: str, text: str) -> None:
    """Select the cell and just type, then Enter: no F2, no double-click."""
    view.setFocus()
    view.setCurrentIndex(cell(view, row, key))
    type_text(qtbot, view, text[0])  # the first key opens the editor
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not view, "typing opened no editor"
    type_text(qtbot, editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)


@pytest.fixture
def keep_sources(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("capex_gui.widgets.delegates.ask_keep_sources", lambda *_a: True)


@pytest.mark.usefixtures("keep_sources")
@pytest.mark.parametrize(
    ("key", "text", "expected"),
    [
        ("company", "Baidu", "Baidu"),
        ("category", "Power", "Power"),
        ("status", "confirmed", Status.CONFIRMED),
        ("period", "2023", Period.calendar(2023)),  # the Year column became Period
        ("period", "FY25 Q3", Period.fiscal(2025, 12, quarter=3)),  # ByteDance: December
        ("amount", "7bn", Decimal(7 * 10**9)),
        ("source", "Reuters", "Reuters"),
        ("notes", "new note", "new note"),
    ],
)
def test_typing_on_a_cell_replaces_it(
    qtbot: QtBot,
    window: MainWindow,
    check_repo: Repository,
    monkeypatch: pytest.MonkeyPatch,
    key: str,
    text: str,
    expected: object,
) -> None:
    asked: list[str] = []  # an appended name ("ByteDanceBaidu") would ask to be created:
    monkeypatch.setattr(  # answer Cancel, so the test fails instead of waiting on a dialog
        "capex_gui.widgets.delegates.ask_new_reference",
        lambda _p, _k, name: asked.append(name) or None,
    )
    view = window.investments_view
    _type_on_cell(qtbot, view, 0, key, text)
    assert asked == []
    assert getattr(check_repo.get_investment(window.investments_model.id_at(0)), key) == expected


@pytest.mark.usefixtures("keep_sources")
def test_typing_a_new_name_asks_about_that_name_only(
    qtbot: QtBot, window: MainWindow, check_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(
        "capex_gui.widgets.delegates.ask_new_reference",
        lambda _p, _k, name: asked.append(name) or "CN",
    )
    _type_on_cell(qtbot, window.investments_view, 0, "company", "Tencent")
    assert asked == ["Tencent"]  # not “ByteDanceTencent”
    assert check_repo.get_investment(window.investments_model.id_at(0)).company == "Tencent"


def test_f2_edits_the_text_that_is_there(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    view = window.investments_view
    for key, added, expected in (
        ("source", " via Reuters", f"{SOURCE} via Reuters"),
        ("notes", "!", None),
    ):
        view.setFocus()
        view.setCurrentIndex(cell(view, 0, key))
        before = getattr(check_repo.get_investment(window.investments_model.id_at(0)), key)
        qtbot.keyClick(view, Qt.Key.Key_F2)
        editor = QApplication.focusWidget()
        assert editor is not None
        type_text(qtbot, editor, added)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)
        stored = getattr(check_repo.get_investment(window.investments_model.id_at(0)), key)
        assert stored == (expected or before + added)


def test_tab_to_the_next_cell_then_typing_replaces_it(
    qtbot: QtBot, window: MainWindow, check_repo: Repository, keep_sources: None
) -> None:
    """Type a period, Tab, type an amount: the amount cell's editor (opened by Tab) holds
    its old value selected, so what is typed replaces it ("0$21.4bn" was refused)."""
    view = window.investments_view
    row = window.investments_model.row_of(2)
    assert row is not None
    view.setFocus()
    view.setCurrentIndex(cell(view, row, "region"))
    type_text(qtbot, view, "U")
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not view
    type_text(qtbot, editor, "nited States")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: view.currentIndex() == cell(view, row, "amount"))
    amount_editor = QApplication.focusWidget()
    assert amount_editor is not None and amount_editor is not view, "Tab opened no editor"
    type_text(qtbot, amount_editor, "$21.4bn")
    qtbot.keyClick(amount_editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)
    stored = next(i for i in check_repo.investments() if i.id == 2)
    assert (stored.region, stored.amount, stored.currency) == (
        "United States",
        Decimal("21.4") * 10**9,
        "USD",
    )
