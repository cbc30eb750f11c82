"""Fixtures that open the real main window on a real database file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QModelIndex, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from capex_gui.app.application import create_application
from capex_gui.app.main_window import MainWindow
from capex_gui.app.paths import create_sample_database
from capex_gui.models.provenance import Figure, describe
from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository
from capex_gui.widgets import delegates
from capex_gui.widgets.figure_table_view import FigureTableView

_ORIGINAL_ASK = delegates.ask_keep_sources


def _unexpected_source_question(_parent: object, old: Figure, new: Figure) -> None:
    raise AssertionError(
        f"unexpected question whether {describe(old)}'s source backs {describe(new)}"
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A sample database file."""
    path = tmp_path / "sample.capex"
    create_sample_database(path).close()
    return path


@pytest.fixture
def db_location(backend: str, db_path: Path, request: pytest.FixtureRequest) -> Path | str:
    """Where the window's sample database is: the file, or (backend "postgresql") a copy of it
    on the test server, as a URL a second program can open too."""
    if backend != "postgresql":
        return db_path
    server = request.getfixturevalue("pg_server")
    name = server.new_database(template=request.getfixturevalue("pg_sample_template"))
    return server.url(name).render_as_string(hide_password=False)


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


@pytest.fixture
def open_window(
    qtbot: QtBot, db_location: Path | str, settings_file: Path
) -> Iterator[Callable[[], MainWindow]]:
    """Opens a main window on the sample database (call again to 'restart the app')."""
    create_application()
    windows: list[MainWindow] = []

    def make() -> MainWindow:
        settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
        window = MainWindow(open_database(db_location), settings)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for w in windows:
        w.close()


@pytest.fixture
def window(open_window: Callable[[], MainWindow], monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    made = open_window()

    def unexpected(*_args: object) -> None:
        raise AssertionError("the paste asked whether to overwrite; answer it in the test")

    def unexpected_box(_parent: object, title: str, text: str, *_a: object) -> None:
        raise AssertionError(f"unexpected message box “{title}”: {text}")

    # a modal question nobody answers would hang the test: fail instead (tests that expect
    # one replace these again)
    monkeypatch.setattr(made, "ask_paste_choice", unexpected)
    monkeypatch.setattr(delegates, "ask_keep_sources", _unexpected_source_question)
    for name in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, unexpected_box)
    return made


@pytest.fixture
def check_repo(db_location: Path | str) -> Iterator[Repository]:
    """A second, independent connection to the same database: what is really stored."""
    db = open_database(db_location)
    yield Repository(db.engine)
    db.close()


def cell(view: FigureTableView, row: int, key: str) -> QModelIndex:
    model = view.figure_model()
    return model.index(row, model.column_index(key))


def type_into_cell(
    qtbot: QtBot,
    view: FigureTableView,
    row: int,
    key: str,
    text: str,
    *,
    key_out: Qt.Key = Qt.Key.Key_Return,
    sources: str = "keep",
) -> list[str]:
    """Select the cell, open its editor with F2, type as a person does, press Enter (or Tab).

    When the edit makes a sourced record a different figure the app asks whether its source
    still backs it: the helper answers *sources* ("keep", "clear" or "cancel", unless the test
    replaced the question itself) and returns the questions asked.
    """
    asked: list[str] = []
    answers = {"keep": True, "clear": False, "cancel": None}
    original = delegates.ask_keep_sources

    def answer(_parent: object, old: Figure, new: Figure) -> bool | None:
        asked.append(f"{describe(old)} -> {describe(new)}")
        return answers[sources]

    if delegates.ask_keep_sources in (_ORIGINAL_ASK, _unexpected_source_question):
        delegates.ask_keep_sources = answer
    try:
        _type_into_cell(qtbot, view, row, key, text, key_out)
    finally:
        delegates.ask_keep_sources = original
    return asked


def _type_into_cell(
    qtbot: QtBot, view: FigureTableView, row: int, key: str, text: str, key_out: Qt.Key
) -> None:
    index = cell(view, row, key)
    _activate(qtbot, view.window())
    view.setFocus()
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not view, "no editor opened"
    target: QWidget = editor
    if isinstance(editor, QComboBox):
        if editor.isEditable():
            line = editor.lineEdit()
            assert line is not None
            line.selectAll()
            target = line
        else:
            raise AssertionError("every combo in the tables should accept typing")
    elif isinstance(editor, (QAbstractSpinBox, QLineEdit)):
        editor.selectAll()
    type_text(qtbot, target, text)
    qtbot.keyClick(target, key_out)
    _wait_committed(qtbot, view)


def _activate(qtbot: QtBot, window: QWidget) -> None:
    """Make *window* the active one again: the offscreen platform has no window manager, so
    none is active after a popup (a completion list) closes, and keys would go nowhere."""
    if QApplication.activeWindow() is not window:
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type *text* key by key; characters beyond ASCII (“, ¥, 亿) arrive as an input method sends them."""
    for char in text:
        if ord(char) < 128:
            qtbot.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    widget,
                    QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char),
                )


def _wait_committed(qtbot: QtBot, view: FigureTableView) -> None:
    """Qt commits an editor's data on the next turn of the event loop."""
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState, timeout=3000)
