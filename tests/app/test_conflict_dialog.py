"""The conflict dialog: both values side by side, a choice by keyboard, Escape keeps theirs."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from capex_gui.app.application import create_application
from capex_gui.errors import ConflictError, FieldConflict, RowConflict
from capex_gui.store.conflicts import Resolution
from capex_gui.widgets import conflict_dialog
from capex_gui.widgets.conflict_dialog import ConflictDialog

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from capex_gui.storage.repository import Repository


def _notes_clash(repo: Repository, row: int = 0) -> RowConflict:
    seen = repo.investments()[row]
    theirs = seen.with_changes(notes="Their revised note", amount=seen.amount + 1)
    yours = seen.with_changes(notes="My note", amount=Decimal("5.5e9"))
    return RowConflict(
        "investments",
        seen.id or 0,
        seen,
        yours,
        theirs,
        (
            FieldConflict("notes", seen.notes, yours.notes, theirs.notes),
            FieldConflict("amount", seen.amount, yours.amount, theirs.amount),
        ),
    )


@pytest.fixture
def app(qtbot: QtBot) -> None:
    create_application()


def _show(qtbot: QtBot, conflict: ConflictError) -> ConflictDialog:
    dialog = ConflictDialog(conflict)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # mnemonics reach the active window only
    return dialog


def _press_mnemonic(qtbot: QtBot, dialog: ConflictDialog, key: Qt.Key) -> None:
    """Alt+key as a person presses it (a button "animates" its click, then closes the dialog)."""
    qtbot.keyClick(dialog, key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)


def _cells(dialog: ConflictDialog) -> list[list[str]]:
    table = dialog.table
    return [
        [(table.item(r, c).text() if table.item(r, c) else "") for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_one_row_shows_theirs_and_yours_as_the_table_does_and_alt_m_keeps_mine(
    app: None, qtbot: QtBot, sample_repo: Repository, tmp_path: Path
) -> None:
    dialog = _show(qtbot, ConflictError([_notes_clash(sample_repo)]))
    cells = _cells(dialog)
    assert cells == [
        ["Notes", "Their revised note", "My note"],
        ["Amount", "40,000,000,001", "5,500,000,000"],
    ]
    assert "Investment 1: ByteDance 2025, AI chips" in dialog.intro.text()
    assert dialog.focusWidget() is dialog.table  # keyboard first
    dialog.grab().save(str(tmp_path / "conflict-one.png"))
    _press_mnemonic(qtbot, dialog, Qt.Key.Key_M)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.choices() == {sample_repo.investments()[0].id: Resolution.KEEP_MINE}


@pytest.mark.parametrize(
    ("key", "accepted"), [(Qt.Key.Key_Escape, False), (Qt.Key.Key_Return, True)]
)
def test_escape_and_enter_never_overwrite_theirs(
    app: None, qtbot: QtBot, sample_repo: Repository, key: Qt.Key, accepted: bool
) -> None:
    conflict = ConflictError([_notes_clash(sample_repo)])
    answers: list[object] = []

    def press() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ConflictDialog)
        qtbot.keyClick(dialog, key)

    QTimer.singleShot(0, press)
    answers.append(conflict_dialog.choose_resolutions(None, conflict))
    row_id = sample_repo.investments()[0].id
    assert answers == [{row_id: Resolution.KEEP_THEIRS} if accepted else None]


def test_many_rows_are_ticked_with_space_and_applied_row_by_row(
    app: None, qtbot: QtBot, sample_repo: Repository, tmp_path: Path
) -> None:
    first, second = _notes_clash(sample_repo, 0), _notes_clash(sample_repo, 1)
    gone = sample_repo.chip_orders()[0]
    deleted = RowConflict("chip_orders", gone.id or 0, gone, gone.with_changes(units=5), None)
    dialog = _show(qtbot, ConflictError([first, second, deleted]))
    cells = _cells(dialog)
    assert cells[-1][2:] == ["The whole row", "deleted", "your edit of it"]
    assert cells[2][1].startswith("Investment")  # the second row's first line
    dialog.grab().save(str(tmp_path / "conflict-many.png"))
    dialog.table.setCurrentCell(3, 3)  # a line of the second row, any column
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    dialog.table.setCurrentCell(4, 1)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    _press_mnemonic(qtbot, dialog, Qt.Key.Key_A)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.choices() == {
        first.row_id: Resolution.KEEP_THEIRS,
        second.row_id: Resolution.KEEP_MINE,
        deleted.row_id: Resolution.KEEP_MINE,
    }


def test_a_row_someone_deleted_offers_re_create_or_drop(
    app: None, qtbot: QtBot, sample_repo: Repository
) -> None:
    gone = sample_repo.chip_orders()[0]
    conflict = RowConflict("chip_orders", gone.id or 0, gone, gone.with_changes(units=5), None)
    dialog = _show(qtbot, ConflictError([conflict]))
    assert (dialog.keep_mine_button.text(), dialog.keep_theirs_button.text()) == (
        "&Re-create the row",
        "&Drop my edit",
    )
    _press_mnemonic(qtbot, dialog, Qt.Key.Key_R)
    assert dialog.choices() == {gone.id: Resolution.KEEP_MINE}
