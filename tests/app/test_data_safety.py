"""The window's side of data safety: daily backups, File → Restore from backup…, a damaged file
refused with the offer of its latest backup, the read-only banner, a failed copy explained."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from capex_gui.app import file_actions
from capex_gui.app.main_window import MainWindow
from capex_gui.app.paths import backups_of, create_sample_database
from capex_gui.storage import backup, sqlite
from capex_gui.widgets.backup_dialog import RestoreBackupDialog
from tests.app.conftest import type_into_cell

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def _notes(path: Path) -> list[str]:
    """The notes column as on disk, read through a second connection (WAL included)."""
    con = sqlite3.connect(sqlite.file_uri(path, mode="rw"), uri=True)
    try:
        return [n for (n,) in con.execute("SELECT notes FROM investments ORDER BY id")]
    finally:
        con.close()


def _answer(monkeypatch: pytest.MonkeyPatch, method: str, path: Path) -> None:
    monkeypatch.setattr(
        f"capex_gui.app.main_window.QFileDialog.{method}", lambda *a, **k: (str(path), "")
    )


def test_opening_takes_the_daily_backup(window: MainWindow, db_path: Path) -> None:
    (taken,) = backup.list_backups(backups_of(db_path))
    assert (taken.investments, taken.chip_orders) == (3, 4)


def test_restore_from_backup_replaces_the_file_and_keeps_the_replaced_one(
    qtbot: QtBot, window: MainWindow, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = _notes(db_path)
    type_into_cell(qtbot, window.investments_view, 0, "notes", "typed after the backup")
    assert _notes(db_path)[0] == "typed after the backup"
    shown: list[RestoreBackupDialog] = []

    def choose_first(dialog: QDialog) -> bool:
        assert isinstance(dialog, RestoreBackupDialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        SHOTS.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(SHOTS / "restore-backup-dialog.png"))
        shown.append(dialog)
        return dialog.selected_backup() is not None

    confirmations: list[str] = []
    monkeypatch.setattr(window, "run_dialog", choose_first)
    monkeypatch.setattr(
        file_actions, "confirm_restore", lambda _p, info, label: confirmations.append(label) or True
    )
    window.restore_backup_action.trigger()
    assert shown and confirmations == [str(db_path)]
    assert shown[0].table.rowCount() == 1 and shown[0].table.item(0, 1).text() == "3"
    assert _notes(db_path) == original
    model = window.investments_model
    assert model.data(model.index(0, model.column_index("notes"))) == original[0]
    assert window.undo_stack.count() == 0
    kept = [b for b in backup.list_backups(backups_of(db_path)) if b.note]
    assert len(kept) == 1 and _notes(kept[0].path)[0] == "typed after the backup"
    assert "Restored the backup" in window.statusBar().currentMessage()
    assert sorted(p.name for p in db_path.parent.iterdir() if p.suffix == ".capex") == [
        db_path.name
    ]


def _zero_page(path: Path, page: int = 2) -> None:
    data = bytearray(path.read_bytes())
    data[4096 * page : 4096 * (page + 1)] = bytes(4096)
    path.write_bytes(bytes(data))


def test_a_damaged_file_is_refused_and_its_latest_backup_offered(
    qtbot: QtBot,
    window: MainWindow,
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = tmp_path / "other #2.capex"
    create_sample_database(other).close()
    _answer(monkeypatch, "getOpenFileName", other)
    window.open_action.trigger()  # opening it takes its first backup
    window.files.open_path(db_path)
    _zero_page(other)
    questions: list[str] = []

    def yes(_parent: object, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        questions.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    window.open_action.trigger()
    assert questions and "is damaged and was not opened" in questions[0]
    assert "Restore the latest backup" in questions[0]
    assert window.database is not None and window.database.path == other
    assert window.investments_model.rowCount() == 3
    kept = [b for b in backup.list_backups(backups_of(other)) if b.note]
    assert len(kept) == 1 and not kept[0].readable  # the damaged file, kept as it was


def test_a_damaged_file_without_backup_is_refused_in_one_message(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "never opened.capex"
    create_sample_database(other).close()
    _zero_page(other)
    before = other.read_bytes()
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: warnings.append(text))
    _answer(monkeypatch, "getOpenFileName", other)
    window.open_action.trigger()
    assert len(warnings) == 1 and "no backup of this file" in warnings[0]
    assert "sample.capex" in window.windowTitle()
    assert other.read_bytes() == before


def test_read_only_file_shows_the_banner_and_refuses_edits(
    qtbot: QtBot,
    open_window: Callable[[], MainWindow],
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # root may write anywhere: pretend this process may not (tests/app/test_read_only.py does
    # it for real, as an unprivileged user)
    monkeypatch.setattr(sqlite, "read_only_reason", lambda _p: "you may not write to this file")
    before = db_path.read_bytes()
    window = open_window()
    assert window.database is not None and window.database.read_only
    banner = window.read_only_banner
    assert banner.isVisible() and "Read-only" in banner.text.text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "read-only-banner.png"))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: warnings.append(text))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    type_into_cell(qtbot, window.investments_view, 0, "notes", "cannot be saved")
    model = window.investments_model
    assert model.data(model.index(0, model.column_index("notes"))) != "cannot be saved"
    assert "read-only" in window.statusBar().currentMessage()
    window.restore_backup_action.trigger()
    assert warnings and "read-only" in warnings[-1]
    window.close()
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in db_path.parent.iterdir() if "capex" in p.name) == [db_path.name]


def test_a_copy_that_cannot_be_written_is_explained(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: warnings.append(text))
    _answer(monkeypatch, "getSaveFileName", tmp_path / "no such folder" / "copy.capex")
    window.save_copy_action.trigger()
    assert len(warnings) == 1 and "could not copy" in warnings[0]


def _damage_a_value(path: Path) -> None:
    """Bytes that are not text inside one note: the pages are sound, integrity_check is ok."""
    con = sqlite3.connect(sqlite.file_uri(path, mode="rw"), uri=True)
    con.execute("UPDATE investments SET notes = CAST(? AS TEXT) WHERE id = 2", (b"caf\xe9 \xff",))
    con.commit()
    con.close()


def test_a_file_whose_values_cannot_be_read_leaves_the_open_one_in_place(
    qtbot: QtBot,
    window: MainWindow,
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = tmp_path / "bad value.capex"
    create_sample_database(other).close()
    _damage_a_value(other)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: warnings.append(text))
    _answer(monkeypatch, "getOpenFileName", other)
    window.open_action.trigger()
    assert len(warnings) == 1 and "damaged" in warnings[0], warnings
    assert window.database is not None and window.database.path == db_path
    assert window.investments_model.rowCount() == 3
    type_into_cell(qtbot, window.investments_view, 0, "notes", "still works")
    assert _notes(db_path)[0] == "still works"


def test_a_storage_error_nobody_caught_is_one_sentence_not_a_crash(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from capex_gui.app import crash
    from capex_gui.errors import DamagedDatabaseError

    crashes: list[str] = []
    warnings: list[str] = []
    monkeypatch.setattr(crash, "show_crash_dialog", lambda summary, *_a: crashes.append(summary))
    monkeypatch.setattr(crash, "show_storage_warning", warnings.append)
    handler = crash.install_crash_handler(tmp_path / "logs")
    try:
        error = DamagedDatabaseError("The database file is damaged; restore a backup.")
        for _ in range(3):  # a repaint that fails again and again
            handler.excepthook(DamagedDatabaseError, error, None)
        handler.excepthook(RuntimeError, RuntimeError("a bug"), None)
    finally:
        handler.uninstall()
    assert warnings == ["The database file is damaged; restore a backup."]
    assert crashes == ["RuntimeError: a bug"]
