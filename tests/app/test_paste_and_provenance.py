"""A paste asks before it overwrites records; a record that becomes a different figure does not
keep the old figure's source unless the user says so; paste, undo and redo are exact (finding 2)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from capex_gui.app.edit_actions import PasteChoice
from capex_gui.app.main_window import MainWindow
from capex_gui.domain.sample import SOURCE
from capex_gui.models.cells import WARNING_COLOUR
from capex_gui.models.paste import PastePlan
from capex_gui.storage.repository import Repository
from tests.app.conftest import cell, type_into_cell

B = Decimal(10) ** 9
#: Two rows as copied from a spreadsheet: Company, Year, Category, Region, Amount.
BLOCK = "Baidu\t2025\tAI chips\tChina\t~$5.5B\nAlibaba\t2025\tAI chips\tChina\t$2bn\n"


def _answer(window: MainWindow, choice: PasteChoice | None) -> list[PastePlan]:
    asked: list[PasteChoice | None] = []
    plans: list[PastePlan] = []

    def ask(plan: PastePlan) -> PasteChoice | None:
        plans.append(plan)
        asked.append(choice)
        return choice

    window.ask_paste_choice = ask  # type: ignore[method-assign]
    return plans


def _paste_at(qtbot: QtBot, window: MainWindow, row: int, text: str, *, new_rows: bool = False):
    view = window.investments_view
    view.setFocus()
    view.setCurrentIndex(cell(view, row, "company"))
    QGuiApplication.clipboard().setText(text)
    modifiers = Qt.KeyboardModifier.ControlModifier
    if new_rows:
        modifiers |= Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view, Qt.Key.Key_V, modifiers)


def _ids_at(window: MainWindow, rows: range) -> list[int]:
    return [window.investments_model.id_at(r) for r in rows]


def test_a_paste_over_records_asks_and_cancel_changes_nothing(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    before = check_repo.investments()
    plans = _answer(window, None)
    _paste_at(qtbot, window, 1, BLOCK)
    assert len(plans) == 1
    assert plans[0].overwritten_rows == [1, 2]
    assert check_repo.investments() == before
    assert window.undo_stack.count() == 0
    assert window.statusBar().currentMessage() == "Nothing pasted"


def test_insert_as_new_rows_keeps_the_records(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    before = check_repo.investments()
    _answer(window, PasteChoice.INSERT)
    _paste_at(qtbot, window, 1, BLOCK)
    after = check_repo.investments()
    assert after[:3] == before  # the $6.8B overseas record is untouched
    added = after[3:]
    assert [(i.company, i.amount, i.currency) for i in added] == [
        ("Baidu", Decimal("5.5") * B, "USD"),
        ("Alibaba", 2 * B, "USD"),
    ]
    assert all(i.source == "" and i.quote == "" and i.source_url == "" for i in added)
    assert window.statusBar().currentMessage() == "Pasted 2 rows: 0 overwritten, 2 added"
    # the new rows show where the paste went, above the records that were there
    assert _ids_at(window, range(1, 3)) == [a.id for a in added]
    window.undo_action.trigger()
    assert check_repo.investments() == before


def test_overwrite_clears_the_old_sources_and_marks_the_rows(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    before = check_repo.investments()
    plans = _answer(window, PasteChoice.OVERWRITE)
    _paste_at(qtbot, window, 1, BLOCK)
    assert plans[0].orphaned == [0, 1]
    after = {i.id: i for i in check_repo.investments()}
    for id_, company in zip(_ids_at(window, range(1, 3)), ("Baidu", "Alibaba"), strict=True):
        record = after[id_]
        assert record.company == company
        assert (record.source, record.source_url, record.quote) == ("", "", "")
        assert record.notes == before[[b.id for b in before].index(id_)].notes  # notes stay
    message = window.statusBar().currentMessage()
    assert message.startswith("Pasted 2 rows: 2 overwritten, 0 added"), message
    assert "source of 2 changed records was cleared" in message
    view = window.investments_view
    assert _source_cell_text(window, 1) == "no source"
    assert _source_cell_text(window, 0) == SOURCE
    assert _warning_pixels(window, 1) > 20 * _warning_pixels(window, 0) + 20
    assert cell(view, 1, "source").data() == ""  # a copy of the cell stays empty
    # one undo step brings back records and sources
    assert window.undo_stack.count() == 1
    window.undo_action.trigger()
    assert check_repo.investments() == before
    assert _source_cell_text(window, 1) == SOURCE


def test_overwrite_keeping_sources_when_the_user_says_so(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    _answer(window, PasteChoice.OVERWRITE_KEEP_SOURCES)
    _paste_at(qtbot, window, 1, BLOCK)
    kept = check_repo.get_investment(window.investments_model.id_at(1))
    assert (kept.company, kept.source) == ("Baidu", SOURCE)


def test_paste_as_new_rows_never_asks_and_is_in_the_edit_menu(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    before = check_repo.investments()
    _paste_at(qtbot, window, 1, BLOCK, new_rows=True)  # the fixture fails any question
    assert check_repo.investments()[:3] == before
    assert len(check_repo.investments()) == 5
    assert window.statusBar().currentMessage() == "Pasted 2 rows: 0 overwritten, 2 added"
    edit_menu = next(
        a.menu() for a in window.menuBar().actions() if a.text() == "&Edit" and a.menu()
    )
    texts = [a.text() for a in edit_menu.actions()]  # type: ignore[union-attr]
    assert "Paste as &new rows" in texts
    window.paste_new_action.trigger()
    assert len(check_repo.investments()) == 7


def test_a_paste_that_only_fills_blanks_does_not_ask(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    view = window.investments_view
    view.setFocus()
    view.setCurrentIndex(cell(view, 0, "notes"))
    qtbot.keyClick(view, Qt.Key.Key_F2)  # make the notes blank: select all, Backspace, Enter
    editor = QApplication.focusWidget()
    assert editor is not None
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)
    assert check_repo.get_investment(window.investments_model.id_at(0)).notes == ""
    QGuiApplication.clipboard().setText("checked against the filing\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert (
        check_repo.get_investment(window.investments_model.id_at(0)).notes
        == "checked against the filing"
    )


@pytest.mark.parametrize(("answer", "source"), [("clear", ""), ("keep", SOURCE)])
def test_typing_another_company_over_a_sourced_record_asks(
    qtbot: QtBot, window: MainWindow, check_repo: Repository, answer: str, source: str
) -> None:
    view = window.investments_view
    id_ = window.investments_model.id_at(0)
    before = check_repo.get_investment(id_)
    asked = type_into_cell(qtbot, view, 0, "company", "Baidu", sources=answer)
    assert asked == [
        "ByteDance 2025, AI chips: CNY 40,000,000,000 -> Baidu 2025, AI chips: CNY 40,000,000,000"
    ]
    after = check_repo.get_investment(id_)
    assert (after.company, after.source) == ("Baidu", source)
    assert (after.quote == "") is (answer == "clear")
    assert _source_cell_text(window, 0) == (source or "no source")
    window.undo_action.trigger()  # one step: the company and the source come back together
    assert check_repo.get_investment(id_) == before


def test_cancelling_the_source_question_changes_nothing(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    before = check_repo.investments()
    type_into_cell(qtbot, window.investments_view, 0, "amount", "41bn", sources="cancel")
    assert check_repo.investments() == before
    assert window.undo_stack.count() == 0


def test_typing_fields_that_do_not_change_the_figure_asks_nothing(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    view = window.investments_view
    for key, text in (("region", "Overseas"), ("status", "confirmed"), ("notes", "n")):
        assert type_into_cell(qtbot, view, 0, key, text) == [], key
    assert check_repo.get_investment(window.investments_model.id_at(0)).source == SOURCE


def test_paste_undo_redo_returns_exactly_the_post_paste_database(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    """Added rows included: redo puts back the same ids and values, not look-alikes."""
    before = check_repo.investments()
    _answer(window, PasteChoice.OVERWRITE)
    _paste_at(qtbot, window, 2, BLOCK)  # overwrites row 3, adds one row
    pasted = check_repo.investments()
    assert len(pasted) == 4
    window.undo_action.trigger()
    assert check_repo.investments() == before
    window.redo_action.trigger()
    assert check_repo.investments() == pasted
    assert window.investments_model.rowCount() == 4
    window.undo_action.trigger()
    window.redo_action.trigger()
    assert check_repo.investments() == pasted


def _source_cell_text(window: MainWindow, row: int) -> str:
    """The text the table draws in a row's Source cell."""
    from PySide6.QtWidgets import QStyleOptionViewItem

    view = window.investments_view
    index = cell(view, row, "source")
    option = QStyleOptionViewItem()
    view.itemDelegate().initStyleOption(option, index)  # type: ignore[attr-defined]
    return str(option.text)  # type: ignore[attr-defined]


def _warning_pixels(window: MainWindow, row: int) -> int:
    """Pixels of the warning colour drawn in a row's Source cell (what a person sees)."""
    view = window.investments_view
    view.scrollTo(cell(view, row, "source"))
    rect = view.visualRect(cell(view, row, "source"))
    image: QImage = view.viewport().grab(rect).toImage()
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            c = QColor(image.pixel(x, y))
            if abs(c.red() - WARNING_COLOUR.red()) < 40 and c.green() < 140 and c.blue() < 140:
                count += 1
    return count
