"""The status bar tells the truth as things change (finding 3): the selection sum follows
edits, undo, FX and currency changes of the selected rows; chip-order values count in any
currency; FX rates of different years reach the sum; the FX count follows added rates."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from capex_gui.app.main_window import MainWindow
from capex_gui.domain.fx import FxTable
from capex_gui.domain.money import CENT
from capex_gui.domain.parsing import format_amount
from capex_gui.errors import MissingRateError
from capex_gui.storage.repository import Repository
from capex_gui.widgets.figure_table_view import FigureTableView
from tests.app.conftest import cell, type_text

B = Decimal(10) ** 9


def _select_all(qtbot: QtBot, view: FigureTableView) -> None:
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)


def _type_keeping_selection(qtbot: QtBot, view: FigureTableView, row: int, key: str, text: str):
    """Edit one cell of the selection (the current cell moves, the selection stays)."""
    view.selectionModel().setCurrentIndex(
        cell(view, row, key), QItemSelectionModel.SelectionFlag.NoUpdate
    )
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not view
    editor.selectAll()  # type: ignore[attr-defined]
    type_text(qtbot, editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)


def _expected(repo: Repository, table: str, currency: str = "USD") -> str:
    """The sum line worked out independently from what is stored."""
    fx = FxTable.from_rates(repo.fx_rates())
    items = repo.investments() if table == "investments" else repo.chip_orders()
    total = Decimal(0)
    missing = set()
    for item in items:
        amount = getattr(item, "amount", None) if table == "investments" else item.value
        if amount is None:
            continue
        try:
            total += fx.convert(amount, item.currency, item.year, currency)
        except MissingRateError as exc:
            missing.add(str(exc))
    text = f"Selected {len(items)}: sum {format_amount(total.quantize(CENT), currency)}"
    return text + (f" (left out: {', '.join(sorted(missing))})" if missing else "")


def test_the_selection_sum_follows_edits_undo_fx_and_currency(
    qtbot: QtBot, window: MainWindow, check_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("capex_gui.widgets.delegates.ask_keep_sources", lambda *_a: True)
    view = window.investments_view
    label = window.sum_label
    _select_all(qtbot, view)
    assert label.text() == _expected(check_repo, "investments")
    before = label.text()
    row = window.investments_model.row_of(2)  # the $6.8B overseas figure
    assert row is not None
    _type_keeping_selection(qtbot, view, row, "amount", "$1B")
    assert check_repo.get_investment(2).amount == 1 * B
    qtbot.waitUntil(lambda: label.text() == _expected(check_repo, "investments"))
    assert label.text() != before
    for _ in range(3):  # undo and redo, ten edits
        qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: label.text() == _expected(check_repo, "investments"))
        window.redo_action.trigger()
        qtbot.waitUntil(lambda: label.text() == _expected(check_repo, "investments"))
    _type_keeping_selection(qtbot, view, 0, "period", "2023")  # a year without a CNY rate
    qtbot.waitUntil(lambda: "left out: no CNY rate for 2023" in label.text())
    assert label.text() == _expected(check_repo, "investments")
    window.set_display_currency("CNY")
    qtbot.waitUntil(lambda: label.text() == _expected(check_repo, "investments", "CNY"))


def test_fx_rates_that_differ_by_year_reach_the_selection_sum(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    """The 2024 figure converts at the 2024 rate, the 2025 ones at 2025's."""
    window.tabs.setCurrentIndex(2)
    fx = window.fx_widget
    assert fx is not None
    fx_view = fx.view  # type: ignore[attr-defined]
    rates = fx.model.rates()  # type: ignore[attr-defined]
    row_2024 = next(i for i, r in enumerate(rates) if (r.currency, r.year) == ("CNY", 2024))
    fx_view.setFocus()
    fx_view.setCurrentIndex(fx_view.model().index(row_2024, 2))
    qtbot.keyClick(fx_view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()  # type: ignore[union-attr]
    qtbot.keyClicks(editor, "7.1")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: fx_view.state() != fx_view.State.EditingState)
    assert {(r.currency, r.year): r.units_per_usd for r in check_repo.fx_rates()}[
        ("CNY", 2024)
    ] == Decimal("7.1")
    window.tabs.setCurrentIndex(0)
    view = window.investments_view
    _select_all(qtbot, view)
    inv = {i.year: i for i in check_repo.investments() if i.currency == "CNY"}
    by_year = inv[2024].amount / Decimal("7.1") + inv[2025].amount / Decimal("7.27")
    usd = next(i.amount for i in check_repo.investments() if i.currency == "USD")
    total = (by_year + usd).quantize(CENT)
    assert window.sum_label.text() == f"Selected 3: sum {format_amount(total, 'USD')}"
    # undo the rate change with the investments on show: the sum follows
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.sum_label.text() == _expected(check_repo, "investments"))
    assert window.sum_label.text() != f"Selected 3: sum {format_amount(total, 'USD')}"


def test_chip_order_values_count_in_any_currency(
    qtbot: QtBot, window: MainWindow, check_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("capex_gui.widgets.delegates.ask_keep_sources", lambda *_a: True)
    window.tabs.setCurrentIndex(1)
    view = window.chip_orders_view
    _select_all(qtbot, view)
    label = window.sum_label
    expected = _expected(check_repo, "chip_orders")
    assert label.text().startswith(expected.split(" (")[0])
    assert "1 without a value" in label.text()  # the H20 order has units only
    row = window.chip_orders_model.row_of(4)
    assert row is not None
    _type_keeping_selection(qtbot, view, row, "value", "¥3.6bn")
    qtbot.waitUntil(lambda: label.text() == _expected(check_repo, "chip_orders"))
    cny = 40 * B + Decimal("3.6") * B  # 2025 orders at 2025's rate, the 2024 one at 2024's
    assert label.text() != "Selected 4: sum USD 0"
    assert Decimal(label.text().split("USD ")[1].replace(",", "")) > cny / 8


def test_fx_tab_count_follows_added_rates(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    window.tabs.setCurrentIndex(2)
    assert window.count_label.text() == "2 FX rates"
    fx = window.fx_widget
    fx.year_spin.setValue(2026)  # type: ignore[union-attr]
    fx.rate_edit.setFocus()  # type: ignore[union-attr]
    qtbot.keyClicks(fx.rate_edit, "7.1")  # type: ignore[union-attr]
    qtbot.keyClick(fx.rate_edit, Qt.Key.Key_Return)  # type: ignore[union-attr]
    assert len(check_repo.fx_rates()) == 3
    assert window.count_label.text() == "3 FX rates"
    window.undo_action.trigger()
    assert window.count_label.text() == "2 FX rates"
