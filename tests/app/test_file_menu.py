"""File menu: new database, open, open recent, save a copy — file dialogs answered by the test."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from capex_gui.app.main_window import MainWindow
from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository


def _answer(monkeypatch: pytest.MonkeyPatch, method: str, path: Path) -> None:
    monkeypatch.setattr(
        f"capex_gui.app.main_window.QFileDialog.{method}", lambda *a, **k: (str(path), "")
    )


def test_new_database_opens_an_empty_file(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "fresh"
    _answer(monkeypatch, "getSaveFileName", target)
    window.new_db_action.trigger()
    assert (tmp_path / "fresh.capex").exists()
    assert "fresh.capex" in window.windowTitle()
    assert window.investments_model.rowCount() == 0
    assert window.count_label.text() == "0 investments"
    assert window.undo_stack.count() == 0


def test_open_and_open_recent(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.capex"
    open_database(other, create=True).close()
    _answer(monkeypatch, "getOpenFileName", other)
    window.open_action.trigger()
    assert "other.capex" in window.windowTitle()
    recent = [a.text() for a in window.recent_menu.actions()]
    assert recent[0].endswith(str(other)) and recent[1].endswith(str(db_path))
    window.recent_menu.actions()[1].trigger()
    assert "sample.capex" in window.windowTitle()
    assert window.investments_model.rowCount() == 3


def test_opening_a_foreign_file_warns_and_keeps_the_open_one(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    foreign = tmp_path / "notes.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE x (y)")
    con.commit()
    con.close()
    warnings: list[str] = []
    monkeypatch.setattr(
        "capex_gui.app.main_window.QMessageBox.warning", lambda _p, _t, text: warnings.append(text)
    )
    _answer(monkeypatch, "getOpenFileName", foreign)
    window.open_action.trigger()
    assert warnings and "another application" in warnings[0]
    assert "sample.capex" in window.windowTitle()
    assert window.investments_model.rowCount() == 3


def test_save_a_copy(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "copy.capex"
    _answer(monkeypatch, "getSaveFileName", target)
    window.save_copy_action.trigger()
    db = open_database(target)
    try:
        assert len(Repository(db.engine).investments()) == 3
    finally:
        db.close()
    assert "sample.capex" in window.windowTitle()  # the open database stays the same
    assert "Saved a copy" in window.statusBar().currentMessage()
