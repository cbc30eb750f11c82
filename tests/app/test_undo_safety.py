"""An undo that would overwrite what another connection wrote since is refused: the step is
dropped with a message and the database stays exactly as the other connection left it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from capex_gui.app.edit_actions import PasteChoice
from capex_gui.app.main_window import MainWindow
from capex_gui.storage.repository import Repository
from tests.app.conftest import cell, type_into_cell


@pytest.fixture
def warnings(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: shown.append(text))
    return shown


def test_undo_of_an_edit_the_other_connection_changed_since_is_dropped(
    qtbot: QtBot, window: MainWindow, check_repo: Repository, warnings: list[str]
) -> None:
    view = window.investments_view
    id_ = window.investments_model.id_at(0)
    type_into_cell(qtbot, view, 0, "notes", "mine")
    theirs = check_repo.get_investment(id_).with_changes(notes="theirs")
    check_repo.update_investment(theirs)  # a colleague's window, another process
    before = check_repo.investments()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert check_repo.investments() == before
    assert check_repo.get_investment(id_).notes == "theirs"
    assert window.undo_stack.count() == 0  # the step is gone, nothing claims it still applies
    assert len(warnings) == 1
    assert "Could not undo “Edit Notes in Investments row 1”" in warnings[0]
    assert "someone else changed" in warnings[0]
    assert "someone else changed" in window.statusBar().currentMessage()


def test_undo_of_an_edit_to_a_row_deleted_elsewhere_is_dropped(
    qtbot: QtBot, window: MainWindow, check_repo: Repository, warnings: list[str]
) -> None:
    view = window.investments_view
    id_ = window.investments_model.id_at(2)
    type_into_cell(qtbot, view, 2, "notes", "mine")
    check_repo.delete_investments([id_])
    before = check_repo.investments()
    window.undo_action.trigger()
    assert check_repo.investments() == before  # not brought back by the undo
    assert window.undo_stack.count() == 0
    assert "someone else deleted" in warnings[0]


def test_undo_of_a_paste_whose_added_row_was_changed_elsewhere_is_dropped(
    qtbot: QtBot, window: MainWindow, check_repo: Repository, warnings: list[str]
) -> None:
    window.ask_paste_choice = lambda *_a: PasteChoice.OVERWRITE  # type: ignore[method-assign]
    view = window.investments_view
    view.setFocus()
    view.setCurrentIndex(cell(view, 2, "notes"))
    QGuiApplication.clipboard().setText("pasted over\nadded\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    pasted = check_repo.investments()
    assert [i.notes for i in pasted[2:]] == ["pasted over", "added"]
    check_repo.update_investment(pasted[3].with_changes(notes="added, then corrected"))
    before = check_repo.investments()
    window.undo_action.trigger()
    assert check_repo.investments() == before  # neither the delete nor the restore happened
    assert window.undo_stack.count() == 0
    assert "someone else changed" in warnings[0]
    # a later step still undoes as usual
    type_into_cell(qtbot, view, 0, "notes", "again")
    window.undo_action.trigger()
    assert check_repo.investments() == before
