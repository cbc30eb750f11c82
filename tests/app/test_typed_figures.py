"""What the user types is the whole figure (finding 1) and amounts are refused truthfully (9)."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from capex_gui.app.main_window import MainWindow
from capex_gui.domain.parsing import Bound
from capex_gui.storage.repository import Repository
from tests.app.conftest import cell, type_into_cell

B = Decimal(10) ** 9


def test_a_plain_figure_is_exact_after_a_qualified_one(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    view = window.investments_view
    row = window.investments_model.row_of(3)
    assert row is not None
    steps = [
        (">12bn", 12 * B, "CNY", Bound.AT_LEAST),
        ("¥40bn", 40 * B, "CNY", Bound.EXACT),
        ("~$5.5B", Decimal("5.5") * B, "USD", Bound.ABOUT),
        ("400亿元", 40 * B, "CNY", Bound.EXACT),
        (">12bn", 12 * B, "CNY", Bound.AT_LEAST),
        ("$6.8 billion", Decimal("6.8") * B, "USD", Bound.EXACT),
        ("<3bn", 3 * B, "USD", Bound.AT_MOST),
        ("40,000,000,000", 40 * B, "USD", Bound.EXACT),
    ]
    for text, amount, currency, bound in steps:
        type_into_cell(qtbot, view, row, "amount", text)
        stored = check_repo.get_investment(3)
        assert (stored.amount, stored.currency, stored.bound) == (amount, currency, bound), text
        assert (
            cell(view, row, "bound").data()
            == {
                Bound.EXACT: "exact",
                Bound.ABOUT: "about",
                Bound.AT_LEAST: "at least",
                Bound.AT_MOST: "at most",
            }[bound]
        )


def test_chip_order_units_and_value_carry_their_own_qualifier(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    window.tabs.setCurrentIndex(1)
    view = window.chip_orders_view
    row = window.chip_orders_model.row_of(4)  # ~230,000 H20 units ("about")
    assert row is not None
    assert check_repo.get_chip_order(4).bound is Bound.ABOUT
    type_into_cell(qtbot, view, row, "units", "250k")
    assert check_repo.get_chip_order(4).bound is Bound.EXACT
    type_into_cell(qtbot, view, row, "value", ">$3bn")
    assert check_repo.get_chip_order(4).bound is Bound.AT_LEAST
    type_into_cell(qtbot, view, row, "value", "3.2bn")
    order = check_repo.get_chip_order(4)
    assert (order.value, order.bound) == (Decimal("3.2") * B, Bound.EXACT)


def test_the_qualifier_column_still_sets_the_qualifier_and_f2_keeps_it(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    """Typing "about" in Qualifier works; opening the amount and pressing Enter keeps it."""
    view = window.investments_view
    type_into_cell(qtbot, view, 0, "amount", "7bn")
    id_ = window.investments_model.id_at(0)
    assert check_repo.get_investment(id_).bound is Bound.EXACT
    type_into_cell(qtbot, view, 0, "bound", "about")
    assert check_repo.get_investment(id_).bound is Bound.ABOUT
    # F2 then Enter without typing: the editor holds the whole figure, qualifier included
    view.setCurrentIndex(cell(view, 0, "amount"))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    assert editor.text() == "~7,000,000,000"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)
    assert check_repo.get_investment(id_).bound is Bound.ABOUT
    assert window.undo_stack.count() == 2  # nothing changed, no step


def test_a_paste_of_plain_figures_makes_them_exact(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    monkey_overwrite(window)
    window.tabs.setCurrentIndex(1)
    view = window.chip_orders_view
    view.setFocus()
    view.setCurrentIndex(cell(view, 0, "value"))  # two "about" orders: ~CNY 12bn each
    QGuiApplication.clipboard().setText("13bn\n~14bn\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    first, second = (check_repo.get_chip_order(window.chip_orders_model.id_at(r)) for r in (0, 1))
    assert (first.value, first.bound) == (13 * B, Bound.EXACT)
    assert (second.value, second.bound) == (14 * B, Bound.ABOUT)


def test_a_qualifier_in_a_range_end_is_refused_not_dropped(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    before = check_repo.investments()
    type_into_cell(qtbot, window.investments_view, 0, "amount_high", "~50bn")
    assert check_repo.investments() == before
    assert "qualifier" in window.statusBar().currentMessage()


def monkey_overwrite(window: MainWindow) -> None:
    """Answer the paste question with Overwrite."""
    from capex_gui.app.edit_actions import PasteChoice

    window.ask_paste_choice = lambda *_a: PasteChoice.OVERWRITE  # type: ignore[method-assign]


def test_dash_in_a_required_amount_gets_a_truthful_message(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    view = window.investments_view
    before = check_repo.investments()
    for text in ("-", ""):
        type_into_cell(qtbot, view, 0, "amount", text)
        message = window.statusBar().currentMessage()
        assert "amount is required" in message, message
        assert "optional" in message
        assert view.cell_message.isVisible()
        assert view.cell_message.text() == message
    assert check_repo.investments() == before
    # "-" does mean none in an optional column
    type_into_cell(qtbot, view, 0, "amount_high", "50bn")
    type_into_cell(qtbot, view, 0, "amount_high", "-")
    assert check_repo.get_investment(window.investments_model.id_at(0)).amount_high is None


def test_a_refused_amount_is_explained_beside_the_cell_and_in_the_status_bar(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = window.investments_view
    type_into_cell(qtbot, view, 1, "amount", "forty")
    message = window.statusBar().currentMessage()
    assert "not a number" in message
    label = view.cell_message
    assert label.isVisible() and label.text() == message
    rect = view.visualRect(cell(view, 1, "amount"))
    box = label.geometry()
    assert abs(box.top() - rect.bottom()) <= 3  # right under the cell
    assert box.left() <= rect.left() < box.right()  # (moved left only as far as it must)
    assert view.viewport().rect().contains(box)
    # a refused name is shown the same way
    window.statusBar().clearMessage()
    label.hide()
    monkeypatch.setattr("capex_gui.widgets.delegates.ask_new_reference", lambda *_a: None)
    type_into_cell(qtbot, view, 1, "company", "Nobody Inc")
    assert label.isVisible() and label.text() == window.statusBar().currentMessage() != ""
    # the next accepted edit clears both
    type_into_cell(qtbot, view, 1, "notes", "checked")
    assert not label.isVisible()
    assert window.statusBar().currentMessage() == ""


def test_the_message_beside_a_cell_hides_the_row_under_it(qtbot: QtBot, window: MainWindow) -> None:
    """The label under a refused cell is opaque: the next row's "ByteDance" and "2025" showed
    through it (seen under Xvfb; its style sheet had taken the background over)."""
    view = window.investments_view
    view.show_error_at("No.", 0, window.investments_model.column_index("company"))
    label = view.cell_message
    qtbot.waitUntil(label.isVisible)
    box = label.geometry()
    assert box.top() < view.visualRect(cell(view, 1, "period")).center().y() < box.bottom()
    image = view.viewport().grab().toImage()
    background = label.palette().color(QPalette.ColorRole.ToolTipBase)
    past_text = box.left() + label.margin() + label.fontMetrics().horizontalAdvance("No.") + 8
    showing_through = [
        (x, y)
        for x in range(past_text, box.right() - 2)
        for y in range(box.top() + 2, box.bottom() - 1)
        if QColor(image.pixel(x, y)) != background
    ]
    assert showing_through == []


def test_a_megabyte_of_spaces_is_refused_at_once(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    view = window.investments_view
    view.setCurrentIndex(cell(view, 0, "amount"))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    assert 0 < editor.maxLength() <= 1000
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    # pasted from elsewhere: the parser refuses it without reading a million characters
    window.ask_paste_choice = lambda *_a: None  # type: ignore[method-assign]
    shown: list[str] = []
    window.show_paste_errors = shown.append  # type: ignore[method-assign]
    before = check_repo.investments()
    QGuiApplication.clipboard().setText("\u3000" * 1_000_000 + "5")
    view.setFocus()
    started = time.perf_counter()
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert time.perf_counter() - started < 1.0
    assert check_repo.investments() == before
    assert shown and "too long" in shown[0]


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("units", "1000000000000000000", "too many units"),
        ("units", "1,000,000,000,000,000,000", "too many units"),
        ("value", "$1000000000000000000", "too large"),
    ],
)
def test_figures_the_database_cannot_sum_are_refused_where_typed(
    qtbot: QtBot, window: MainWindow, check_repo: Repository, key: str, text: str, message: str
) -> None:
    """Ten orders of 10^18 units overflowed the database's SUM and broke the charts (issue 10,
    finding 3): such a figure is refused at the cell, in a sentence, and nothing is written."""
    window.tabs.setCurrentIndex(1)
    view = window.chip_orders_view
    row = window.chip_orders_model.row_of(4)
    assert row is not None
    before = check_repo.chip_orders()
    type_into_cell(qtbot, view, row, key, text)
    shown = window.statusBar().currentMessage()
    assert message in shown and "\n" not in shown
    assert view.cell_message.isVisible() and view.cell_message.text() == shown
    assert check_repo.chip_orders() == before
