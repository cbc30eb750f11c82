"""The FX rates table: typed edits reach the database and the undo stack; bad input does not."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from capex_gui.domain.entities import FxRate
from capex_gui.errors import ValidationError
from capex_gui.store.fx_commands import DeleteFxRate, SetFxRate
from capex_gui.store.store import CapexStore
from capex_gui.widgets.charts.chart_data import ChartData
from capex_gui.widgets.fx_rates import RATE_COLUMN, FxRatesWidget, parse_rate


@pytest.fixture
def undo_stack(host: QWidget) -> QUndoStack:
    return QUndoStack(host)


@pytest.fixture
def widget(qtbot: QtBot, host: QWidget, store: CapexStore, undo_stack: QUndoStack) -> FxRatesWidget:
    made = FxRatesWidget(store, undo_stack, host)
    layout = host.layout()
    assert layout is not None
    layout.addWidget(made)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    return made


def rates(store: CapexStore) -> dict[tuple[str, int], Decimal]:
    """What is on disk."""
    return {(r.currency, r.year): r.units_per_usd for r in store.repo.fx_rates()}


def type_into_rate(qtbot: QtBot, widget: FxRatesWidget, row: int, text: str) -> None:
    view = widget.view
    index = widget.model.index(row, RATE_COLUMN)
    view.setFocus()
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit), "no editor opened"
    editor.selectAll()
    QTest.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState, timeout=3000)


def row_of(widget: FxRatesWidget, currency: str, year: int) -> int:
    return next(
        i for i, r in enumerate(widget.model.rates()) if (r.currency, r.year) == (currency, year)
    )


def test_shows_the_sample_rates(widget: FxRatesWidget) -> None:
    model = widget.model
    assert model.rowCount() == 2
    assert [model.index(0, c).data() for c in range(3)] == ["CNY", "2024", "7.27"]
    align = model.index(0, RATE_COLUMN).data(Qt.ItemDataRole.TextAlignmentRole)
    assert align & Qt.AlignmentFlag.AlignRight


def test_typed_rate_is_saved_and_undone(
    qtbot: QtBot, widget: FxRatesWidget, store: CapexStore, undo_stack: QUndoStack
) -> None:
    row = row_of(widget, "CNY", 2025)
    with qtbot.waitSignal(store.fx_changed):
        type_into_rate(qtbot, widget, row, "7,100.5")
    assert rates(store)[("CNY", 2025)] == Decimal("7100.5")
    assert widget.model.index(row, RATE_COLUMN).data() == "7100.5"
    assert undo_stack.count() == 1
    assert undo_stack.undoText() == "Change the CNY 2025 rate"
    undo_stack.undo()
    assert rates(store)[("CNY", 2025)] == Decimal("7.27")
    assert widget.model.index(row, RATE_COLUMN).data() == "7.27"  # the table followed fx_changed
    undo_stack.redo()
    assert rates(store)[("CNY", 2025)] == Decimal("7100.5")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "“abc” is not a number: type how many CNY buy one US dollar"),
        ("-3", "an FX rate must be a positive number"),
        ("0", "an FX rate must be a positive number"),
        ("1.12345678901", "at most ten decimal places"),
    ],
)
def test_bad_rate_is_refused_with_a_message(
    qtbot: QtBot,
    widget: FxRatesWidget,
    store: CapexStore,
    undo_stack: QUndoStack,
    text: str,
    message: str,
) -> None:
    row = row_of(widget, "CNY", 2025)
    type_into_rate(qtbot, widget, row, text)
    assert rates(store)[("CNY", 2025)] == Decimal("7.27")
    assert undo_stack.count() == 0
    assert message in widget.message()
    assert widget.message().startswith("Not saved:")


def test_add_and_delete_with_undo(
    qtbot: QtBot, widget: FxRatesWidget, store: CapexStore, undo_stack: QUndoStack
) -> None:
    widget.currency_combo.setCurrentText("EUR")
    widget.year_spin.setValue(2025)
    widget.rate_edit.setFocus()
    QTest.keyClicks(widget.rate_edit, "0.92")
    QTest.keyClicks(widget.note_edit, "ECB average")
    qtbot.mouseClick(widget.add_button, Qt.MouseButton.LeftButton)
    assert rates(store)[("EUR", 2025)] == Decimal("0.92")
    assert widget.model.rowCount() == 3
    assert widget.rate_edit.text() == ""
    # the same key again is refused, not silently overwritten
    QTest.keyClicks(widget.rate_edit, "0.5")
    qtbot.keyClick(widget.rate_edit, Qt.Key.Key_Return)
    assert "there is a EUR rate for 2025 already" in widget.message()
    assert rates(store)[("EUR", 2025)] == Decimal("0.92")
    widget.view.selectRow(row_of(widget, "CNY", 2024))
    assert widget.delete_button.isEnabled()
    qtbot.mouseClick(widget.delete_button, Qt.MouseButton.LeftButton)
    assert ("CNY", 2024) not in rates(store)
    assert undo_stack.count() == 2
    undo_stack.undo()
    assert rates(store)[("CNY", 2024)] == Decimal("7.27")
    assert next(r for r in store.repo.fx_rates() if r.year == 2024).note.startswith("Not reported")
    undo_stack.undo()
    assert ("EUR", 2025) not in rates(store)
    assert widget.model.rowCount() == 2


def test_rate_edit_redraws_the_charts(
    qtbot: QtBot, widget: FxRatesWidget, store: CapexStore, data: ChartData
) -> None:
    with qtbot.waitSignal(data.changed):
        type_into_rate(qtbot, widget, row_of(widget, "CNY", 2025), "8")
    assert store.fx_table().rate("CNY", 2025) == Decimal(8)


def test_commands_hold_values(store: CapexStore, host: QWidget) -> None:
    stack = QUndoStack(host)
    new = FxRate("JPY", 2025, Decimal("150"))
    stack.push(SetFxRate(store, new, None))  # not done yet: the stack's redo writes it
    assert rates(store)[("JPY", 2025)] == Decimal(150)
    old = store.delete_fx_rate("JPY", 2025)
    assert old is not None
    stack.push(DeleteFxRate(store, old, done=True))
    stack.undo()
    assert rates(store)[("JPY", 2025)] == Decimal(150)
    stack.undo()
    assert ("JPY", 2025) not in rates(store)


def test_parse_rate() -> None:
    assert parse_rate(" 1,234.5 ") == Decimal("1234.5")
    assert isinstance(parse_rate("7.27"), Decimal)
    for bad in ("", "1e", "nan", "inf"):
        with pytest.raises(ValidationError):
            parse_rate(bad)
