"""Small things a person notices (finding 12): steady Undo/Redo buttons, Escape clears the
filter, every tab stop shows focus, tab order follows what is seen, whole placeholders, a
grammatical delete message, one shortcut per action."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from capex_gui.app.main_window import MainWindow
from capex_gui.widgets.figure_table_view import FigureTableView
from capex_gui.widgets.fx_rates import FxRatesWidget
from tests.app.conftest import cell, type_into_cell


@pytest.fixture
def active(qtbot: QtBot, window: MainWindow) -> MainWindow:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_undo_and_redo_buttons_keep_their_width(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("capex_gui.widgets.delegates.ask_keep_sources", lambda *_a: True)
    toolbar = window.findChild(QWidget, "mainToolBar")
    undo = toolbar.widgetForAction(window.undo_action)  # type: ignore[union-attr]
    redo = toolbar.widgetForAction(window.redo_action)  # type: ignore[union-attr]
    widths = {(undo.width(), redo.width(), undo.x(), redo.x())}
    view = window.investments_view
    type_into_cell(qtbot, view, 0, "amount", "41bn")
    widths.add((undo.width(), redo.width(), undo.x(), redo.x()))
    type_into_cell(qtbot, view, 1, "category", "Power")
    window.undo_action.trigger()
    widths.add((undo.width(), redo.width(), undo.x(), redo.x()))
    assert len(widths) == 1
    assert undo.text() == "Undo" and redo.text() == "Redo"  # type: ignore[attr-defined]
    assert window.undo_action.toolTip() == "Undo Edit Amount in Investments row 1 (Ctrl+Z)"
    assert window.redo_action.toolTip().startswith("Redo Edit Category in Investments row 2")


def test_escape_in_the_filter_box_clears_it(qtbot: QtBot, active: MainWindow) -> None:
    window = active
    qtbot.keyClick(window.investments_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.filter_edit
    qtbot.keyClicks(window.filter_edit, "overseas")
    qtbot.waitUntil(lambda: window.investments_model.rowCount() == 1)
    qtbot.keyClick(window.filter_edit, Qt.Key.Key_Escape)
    assert window.filter_edit.text() == ""
    assert window.investments_model.rowCount() == 3
    assert window.count_label.text() == "3 investments"
    qtbot.keyClick(window.filter_edit, Qt.Key.Key_Escape)  # empty: back to the table
    assert QApplication.focusWidget() is window.investments_view


def _tab_round(qtbot: QtBot, window: MainWindow) -> list[QWidget]:
    """Press Tab (Ctrl+Tab in a table, where Tab moves between cells) from the display currency
    box until the focus comes back to it; the widgets it stopped at, in order."""
    window.currency_combo.setFocus(Qt.FocusReason.TabFocusReason)
    stops: list[QWidget] = [window.currency_combo]
    for _ in range(40):
        focused = QApplication.focusWidget()
        assert focused is not None
        in_table = isinstance(focused, FigureTableView)
        modifier = Qt.KeyboardModifier.ControlModifier if in_table else Qt.KeyboardModifier(0)
        qtbot.keyClick(focused, Qt.Key.Key_Tab, modifier)
        after = QApplication.focusWidget()
        assert after is not None and after is not focused, f"Tab is stuck in {focused}"
        if after is window.currency_combo:
            return stops
        stops.append(after)
    raise AssertionError("Tab never came back to the display currency")


def test_tab_order_follows_what_is_seen(qtbot: QtBot, active: MainWindow) -> None:
    window = active
    stops = _tab_round(qtbot, window)
    assert stops[:7] == [
        window.currency_combo,  # in the toolbar, above everything
        window.filter_edit,
        window.company_filter,
        window.year_filter,
        window.clear_filter_button,
        window.tabs.tabBar(),
        window.investments_view,
    ]
    charts = [w for w in stops if window.chart_area.isAncestorOf(w)]
    assert len(charts) >= 3  # the chart selectors, tabs and plot, after the table
    assert stops.index(charts[0]) == 7
    assert all(window.statusBar().isAncestorOf(w) for w in stops[7 + len(charts) :])
    # Shift+Tab goes back the same way
    qtbot.keyClick(window.currency_combo, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is stops[-1]


def _looks(window: MainWindow, widget: QWidget) -> QImage:
    """What a person sees around *widget* (its rectangle and a few pixels outside)."""
    top_left = widget.mapTo(window, widget.rect().topLeft())
    area = QRect(top_left, widget.size()).adjusted(-4, -4, 4, 4)
    return window.grab(area).toImage()


def test_every_tab_stop_shows_where_the_focus_is(qtbot: QtBot, active: MainWindow) -> None:
    window = active
    stops = _tab_round(qtbot, window)
    assert len(stops) >= 10
    unseen = []
    for widget in stops:
        window.menuBar().setFocus()  # somewhere else
        qtbot.wait(10)
        before = _looks(window, widget)
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.wait(10)
        after = _looks(window, widget)
        changed = sum(
            1
            for y in range(0, before.height(), 2)
            for x in range(0, before.width(), 2)
            if before.pixel(x, y) != after.pixel(x, y)
        )
        if changed < 20:
            unseen.append(f"{type(widget).__name__} {widget.objectName()}")
    assert unseen == []


def test_fx_placeholders_are_not_clipped(window: MainWindow) -> None:
    window.tabs.setCurrentIndex(2)
    fx = window.fx_widget
    assert isinstance(fx, FxRatesWidget)
    for edit in (fx.rate_edit, fx.note_edit):
        text = edit.fontMetrics().horizontalAdvance(edit.placeholderText())
        assert edit.width() >= text + 10, edit.placeholderText()
    window.resize(900, 700)  # a smaller window keeps them whole too
    QApplication.processEvents()
    for edit in (fx.rate_edit, fx.note_edit):
        text = edit.fontMetrics().horizontalAdvance(edit.placeholderText())
        assert edit.width() >= text + 10, edit.placeholderText()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (1, "Deleted 1 row — Undo (Ctrl+Z) brings it back"),
        (2, "Deleted 2 rows — Undo (Ctrl+Z) brings them back"),
    ],
)
def test_the_delete_message_is_grammatical(
    qtbot: QtBot, window: MainWindow, rows: int, message: str
) -> None:
    view = window.investments_view
    view.setFocus()
    view.setCurrentIndex(cell(view, 0, "company"))
    if rows == 2:
        qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert window.statusBar().currentMessage() == message


def test_no_two_actions_share_a_shortcut(window: MainWindow) -> None:
    from PySide6.QtGui import QAction

    seen: dict[str, str] = {}
    clashes = []
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            text = key.toString(QKeySequence.SequenceFormat.PortableText)
            if not text or action.text() in ("Copy chart",):  # the chart's own Ctrl+C
                continue
            if text in seen and seen[text] != action.text():
                clashes.append(f"{text}: {seen[text]} / {action.text()}")
            seen[text] = action.text()
    assert clashes == []
