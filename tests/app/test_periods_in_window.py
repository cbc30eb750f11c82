"""Periods typed into the real window: the editor, the database, filters, and the Companies
dialog. Every amount here is made up for the test, not any company's real capex."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot

from capex_gui.app.main_window import MainWindow
from capex_gui.domain.periods import parse_period
from capex_gui.storage.repository import Repository
from capex_gui.widgets.companies_dialog import YEAR_END, CompaniesDialog
from capex_gui.widgets.period_edit import PeriodEdit
from tests.app.conftest import _activate, cell, type_into_cell, type_text

B = Decimal(10) ** 9


def _open_period_editor(qtbot: QtBot, window: MainWindow, row: int) -> PeriodEdit:
    view = window.investments_view
    _activate(qtbot, window)
    view.setFocus()
    view.setCurrentIndex(cell(view, row, "period"))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, PeriodEdit)
    editor.selectAll()
    return editor


def test_typing_a_fiscal_quarter_reads_it_with_the_companys_year_end(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    view, model = window.investments_view, window.investments_model
    type_into_cell(qtbot, view, 0, "company", "Microsoft")  # its fiscal year ends in June
    type_into_cell(qtbot, view, 0, "period", "FY25 Q3")
    stored = check_repo.get_investment(model.id_at(0))
    assert stored.period == parse_period("FY2025 Q3", fiscal_year_end_month=6)
    assert (stored.period.first_month.key, stored.period.last_month.key) == (202501, 202503)
    assert stored.year == 2025
    assert cell(view, 0, "period").data() == "FY2025 Q3 (Jan–Mar 2025)"
    assert "counts in calendar 2025" in cell(view, 0, "period").data(Qt.ItemDataRole.ToolTipRole)
    # moving the figure to a company with a December year end keeps "FY2025 Q3", new months
    type_into_cell(qtbot, view, 0, "company", "ByteDance")
    stored = check_repo.get_investment(model.id_at(0))
    assert stored.period.long_label == "FY2025 Q3 (Jul–Sep 2025)"
    # a plain year is the whole calendar year; undo brings the quarter back
    type_into_cell(qtbot, view, 0, "period", "2024")
    assert check_repo.get_investment(model.id_at(0)).period.label == "2024"
    window.undo_stack.undo()
    assert check_repo.get_investment(model.id_at(0)).period.label == "FY2025 Q3"


def test_the_editor_previews_completes_and_refuses(
    qtbot: QtBot, window: MainWindow, check_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the period of a sourced figure changes: the user says its source still backs it
    monkeypatch.setattr("capex_gui.widgets.delegates.ask_keep_sources", lambda *_a: True)
    model = window.investments_model
    type_into_cell(qtbot, window.investments_view, 0, "company", "Microsoft")
    editor = _open_period_editor(qtbot, window, 0)
    type_text(qtbot, editor, "FY25 Q3")
    assert editor.toolTip() == "= FY2025 Q3 (Jan–Mar 2025)"
    assert window.statusBar().currentMessage() == "= FY2025 Q3 (Jan–Mar 2025)"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    # completion: "q3" offers the row year's third quarter first; Down + Enter takes it
    editor = _open_period_editor(qtbot, window, 0)
    type_text(qtbot, editor, "q3")
    completer = editor.completer()
    assert completer.model().data(completer.model().index(0, 0)) == "Q3 2025"
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert editor.text() == "Q3 2025"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: check_repo.get_investment(model.id_at(0)).period.label == "Q3 2025")
    # a period that does not exist: the reason, at once and after Enter; nothing written
    before = check_repo.investments()
    editor = _open_period_editor(qtbot, window, 0)
    type_text(qtbot, editor, "Q5 2025")
    assert "there is no Q5" in editor.toolTip()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "there is no Q5" in window.statusBar().currentMessage())
    assert check_repo.investments() == before
    assert cell(window.investments_view, 0, "period").data() == "Q3 2025"


def _add_quarters(qtbot: QtBot, window: MainWindow) -> list[int]:
    """Four made-up quarterly figures for ByteDance's 2025 AI chips in China, by keyboard."""
    view, model = window.investments_view, window.investments_model
    rows = []
    for quarter, amount in zip(
        ("Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025"), ("1bn", "2bn", "3bn", "4bn"), strict=True
    ):
        view.setFocus()
        view.setCurrentIndex(cell(view, 0, "company"))
        window.add_row_action.trigger()
        row = view.currentIndex().row()
        type_into_cell(qtbot, view, row, "period", quarter)
        type_into_cell(qtbot, view, row, "amount", f"${amount}")
        rows.append(model.id_at(row))
    return rows


def test_quick_year_filter_includes_the_years_quarters_and_a_period_filters_within(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    ids = _add_quarters(qtbot, window)
    assert [check_repo.get_investment(i).period.label for i in ids] == [
        "Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025"
    ]  # fmt: skip
    filters = window.filters
    filters.refresh_choices()
    filters.year_filter.setCurrentIndex(filters.year_filter.findText("2025"))
    filters.apply()
    model = window.investments_model
    shown = {model.id_at(r) for r in range(model.rowCount())}
    assert set(ids) <= shown
    assert all(check_repo.get_investment(i).year == 2025 for i in shown)
    filters.year_filter.setCurrentIndex(0)
    window.focus_filter()
    type_text(qtbot, filters.filter_edit, "H1 2025")
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=2000)
    assert {model.id_at(r) for r in range(2)} == set(ids[:2])
    filters.clear()


def test_sorting_by_period_orders_by_start(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    ids = _add_quarters(qtbot, window)
    view, model = window.investments_view, window.investments_model
    view.sortByColumn(model.column_index("period"), Qt.SortOrder.DescendingOrder)
    order = [model.id_at(r) for r in range(model.rowCount())]
    starts = [check_repo.get_investment(i).period.first_month for i in order]
    assert starts == sorted(starts, reverse=True)
    assert order.index(ids[3]) < order.index(ids[0])


def test_companies_dialog_edits_the_fiscal_year_end_and_undo_puts_it_back(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    view, model = window.investments_view, window.investments_model
    type_into_cell(qtbot, view, 0, "company", "Baidu")
    type_into_cell(qtbot, view, 0, "period", "FY25 Q1")  # Baidu: December, so Jan–Mar 2025
    figure = model.id_at(0)
    assert check_repo.get_investment(figure).period.months_label == "Jan–Mar 2025"
    menu = window.menuBar().actions()[1].menu()  # Edit
    assert window.companies_action in menu.actions()
    window.companies_action.trigger()
    dialog = window.findChild(CompaniesDialog, "companiesDialog")
    assert dialog is not None and dialog.isVisible()
    table = dialog.view
    _activate(qtbot, dialog)
    row = next(
        r for r in range(dialog.model.rowCount()) if dialog.model.company_at(r).name == "Baidu"
    )
    table.setFocus()
    table.setCurrentIndex(dialog.model.index(row, YEAR_END))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox)
    type_text(qtbot, combo, "June")
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: check_repo.fiscal_year_ends()["Baidu"] == 6, timeout=2000)
    moved = check_repo.get_investment(figure)
    assert moved.period.long_label == "FY2025 Q1 (Jul–Sep 2024)"
    assert moved.year == 2024
    assert dialog.model.index(row, 3).data() == "Jul 2024–Jun 2025"
    assert cell(view, 0, "period").data() == "FY2025 Q1 (Jul–Sep 2024)"
    # a country that is not a code: refused in a sentence, the dialog stays open
    table.setCurrentIndex(dialog.model.index(row, 1))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()  # type: ignore[union-attr]
    type_text(qtbot, editor, "XXL")  # type: ignore[arg-type]
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: "two-letter" in dialog.message.text(), timeout=2000)
    assert not dialog.message.isHidden(), (dialog.isVisible(), dialog.message.text())
    assert "two-letter" in window.statusBar().currentMessage()
    assert {c.name: c.country for c in check_repo.companies()}["Baidu"] == "CN"
    # renaming renames it in every figure
    table.setCurrentIndex(dialog.model.index(row, 0))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()  # type: ignore[union-attr]
    type_text(qtbot, editor, "Baidu Inc")  # type: ignore[arg-type]
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: check_repo.get_investment(figure).company == "Baidu Inc", timeout=2000)
    assert cell(view, 0, "company").data() == "Baidu Inc"
    assert dialog.message.isHidden()
    # undo the rename, then the fiscal year end: the figure's months come back
    _activate(qtbot, dialog)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: check_repo.get_investment(figure).company == "Baidu", timeout=2000)
    assert dialog.isVisible()  # Enter ended the edit; it did not close the dialog
    _activate(qtbot, dialog)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: check_repo.fiscal_year_ends()["Baidu"] == 12, timeout=2000)
    assert check_repo.get_investment(figure).period.months_label == "Jan–Mar 2025"
    dialog.close()
