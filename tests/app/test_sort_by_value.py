"""Sorting by Amount or Value sorts by the value in the display currency, in SQL, rows without
a rate last; Unit price names its currency; undo steps name their table (finding 10)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from capex_gui.app.main_window import MainWindow
from capex_gui.domain.fx import FxTable
from capex_gui.errors import MissingRateError
from capex_gui.storage.repository import FigureQuery, Repository
from capex_gui.widgets.figure_table_view import FigureTableView
from tests.app.conftest import cell, type_into_cell


def _click_header(qtbot: QtBot, view: FigureTableView, key: str) -> None:
    header = view.horizontalHeader()
    col = view.figure_model().column_index(key)
    view.scrollTo(view.model().index(0, col))
    x = header.sectionViewportPosition(col) + header.sectionSize(col) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def _set_rate(qtbot: QtBot, window: MainWindow, currency: str, year: int, text: str) -> None:
    """Type a rate into the FX tab's table, as a person does."""
    window.tabs.setCurrentIndex(2)
    fx = window.fx_widget
    view = fx.view  # type: ignore[union-attr]
    rates = fx.model.rates()  # type: ignore[union-attr]
    row = next(i for i, r in enumerate(rates) if (r.currency, r.year) == (currency, year))
    view.setFocus()
    view.setCurrentIndex(view.model().index(row, 2))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()  # type: ignore[union-attr]
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)
    window.tabs.setCurrentIndex(0)


def _shown_ids(window: MainWindow) -> list[int]:
    model = window.investments_model
    return [model.id_at(r) for r in range(model.rowCount())]


def _by_value(repo: Repository, currency: str, *, descending: bool = False) -> list[int]:
    """Investment ids ordered by their value in *currency*, worked out in Python."""
    fx = FxTable.from_rates(repo.fx_rates())
    known, unknown = [], []
    for inv in repo.investments():
        try:
            known.append((fx.convert(inv.amount, inv.currency, inv.year, currency), inv.id))
        except MissingRateError:
            unknown.append(inv.id)
    known.sort(key=lambda pair: pair[0], reverse=descending)
    return [id_ for _v, id_ in known] + unknown


@pytest.fixture
def two_years(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    """USD 1bn in 2024, CNY 7.2bn in 2025, CNY 7.0 to the dollar in 2024: USD puts the 2025
    figure first, CNY the 2024 one (the order depends on the display currency)."""
    monkeypatch.setattr("capex_gui.widgets.delegates.ask_keep_sources", lambda *_a: True)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # (set-up runs before the window is active)
    view = window.investments_view
    for id_, text in ((3, "$1bn"), (1, "¥7.2bn")):
        row = window.investments_model.row_of(id_)
        assert row is not None
        type_into_cell(qtbot, view, row, "amount", text)
    _set_rate(qtbot, window, "CNY", 2024, "7.0")


@pytest.mark.usefixtures("two_years")
def test_sorting_by_amount_follows_the_display_currency(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    view = window.investments_view
    _click_header(qtbot, view, "amount")
    assert _shown_ids(window) == _by_value(check_repo, "USD") == [1, 3, 2]
    _click_header(qtbot, view, "amount")  # again: descending
    assert _shown_ids(window) == _by_value(check_repo, "USD", descending=True)
    window.set_display_currency("CNY")  # the order follows the currency switch at once
    assert _shown_ids(window) == _by_value(check_repo, "CNY", descending=True) == [2, 1, 3]
    _click_header(qtbot, view, "display_value")  # Value (CNY) sorts the same way
    assert _shown_ids(window) == _by_value(check_repo, "CNY")


@pytest.mark.usefixtures("two_years")
def test_rows_without_a_rate_sort_last_both_ways(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    view = window.investments_view
    row = window.investments_model.row_of(1)
    assert row is not None
    type_into_cell(qtbot, view, row, "period", "2023")  # no CNY rate for 2023
    _click_header(qtbot, view, "amount")
    assert _shown_ids(window)[-1] == 1
    _click_header(qtbot, view, "amount")
    assert _shown_ids(window)[-1] == 1
    assert _shown_ids(window) == _by_value(check_repo, "USD", descending=True)


def test_the_order_is_worked_out_in_sql(sample_repo: Repository) -> None:
    """figure_ids itself orders by display value: USD 6.8B above CNY 40B (= USD 5.5B)."""
    usd = sample_repo.figure_ids("investments", FigureQuery(sort="amount", currency="USD"))
    raw = sorted(sample_repo.investments(), key=lambda i: i.amount)
    assert usd != [i.id for i in raw]
    assert usd.index(2) > usd.index(1)  # $6.8B after RMB 40B ($5.5B)
    values = sample_repo.figure_ids("chip_orders", FigureQuery(sort="value", descending=True))
    assert values[-1] == 4  # the order with no value last


def test_unit_price_names_its_currency_and_undo_names_the_table(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    window.tabs.setCurrentIndex(1)
    view = window.chip_orders_view
    row = window.chip_orders_model.row_of(4)  # 230,000 H20 units, no value
    assert row is not None
    type_into_cell(qtbot, view, row, "value", "¥2.3bn", sources="keep")
    assert cell(view, row, "unit_price").data() == "CNY 10,000"
    assert window.undo_action.text() == f"&Undo Edit Value in Chip orders row {row + 1}"
    assert check_repo.get_chip_order(4).value == Decimal("2.3") * 10**9
