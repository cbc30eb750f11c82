"""Uncaught exceptions: logged with their traceback, then a dialog; Qt warnings in the log."""

from __future__ import annotations

import logging
import logging.handlers
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QTimer, Signal, qWarning
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from capex_gui.app import crash
from capex_gui.app.crash import (
    DATA_SAFE,
    LOG_BACKUPS,
    LOG_MAX_BYTES,
    CrashHandler,
    install_crash_handler,
    show_crash_dialog,
)


class Dialogs:
    """Stands in for the crash dialog: records what it would have shown, and on which thread."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, Path, bool]] = []

    def __call__(self, summary: str, details: str, log_path: Path) -> None:
        on_main = threading.current_thread() is threading.main_thread()
        self.calls.append((summary, details, log_path, on_main))


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    recorder = Dialogs()
    monkeypatch.setattr(crash, "show_crash_dialog", recorder)
    return recorder


@pytest.fixture
def handler(qapp: QApplication, tmp_path: Path) -> Iterator[CrashHandler]:
    """The crash handler, installed for the test body only (pytest-qt's own hooks come back)."""
    installed = install_crash_handler(tmp_path / "logs")
    try:
        yield installed
    finally:
        installed.uninstall()


def _log(tmp_path: Path) -> str:
    return (tmp_path / "logs" / "capex-gui.log").read_text(encoding="utf-8")


class Emitter(QObject):
    fired = Signal()


def _explode() -> None:
    raise ZeroDivisionError("share of an empty year")


def test_exception_in_a_slot_is_logged_and_shown(
    qtbot: QtBot, tmp_path: Path, dialogs: Dialogs, handler: CrashHandler
) -> None:
    emitter = Emitter()
    emitter.fired.connect(_explode)
    QTimer.singleShot(0, emitter.fired.emit)
    qtbot.waitUntil(lambda: bool(dialogs.calls), timeout=5000)

    summary, details, log_path, on_main = dialogs.calls[0]
    assert summary == "ZeroDivisionError: share of an empty year"
    assert "Traceback" in details and "_explode" in details
    assert log_path == tmp_path / "logs" / "capex-gui.log"
    assert on_main
    text = _log(tmp_path)
    assert "CRITICAL" in text and "uncaught exception" in text
    assert 'in _explode\n    raise ZeroDivisionError("share of an empty year")' in text


def test_exception_in_a_thread_reaches_the_dialog_on_the_gui_thread(
    qtbot: QtBot, tmp_path: Path, dialogs: Dialogs, handler: CrashHandler
) -> None:
    worker = threading.Thread(target=_explode, name="fx-loader")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(dialogs.calls), timeout=5000)
    assert dialogs.calls[0][0] == "ZeroDivisionError: share of an empty year"
    assert dialogs.calls[0][3], "the dialog must open on the GUI thread"
    assert "in thread fx-loader" in _log(tmp_path)


def test_errors_while_the_dialog_is_open_are_logged_not_stacked(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, handler: CrashHandler
) -> None:
    shown: list[str] = []

    def dialog_that_raises_again(summary: str, details: str, log_path: Path) -> None:
        shown.append(summary)
        sys.excepthook(ValueError, ValueError("second"), None)

    monkeypatch.setattr(crash, "show_crash_dialog", dialog_that_raises_again)
    QTimer.singleShot(0, _explode)
    qtbot.waitUntil(lambda: handler.count == 2, timeout=5000)
    assert shown == ["ZeroDivisionError: share of an empty year"]
    assert "ValueError: second" in _log(tmp_path)


def test_qt_warnings_go_to_the_log(tmp_path: Path, handler: CrashHandler) -> None:
    qWarning("a Qt warning for the log")
    handler.log_handler.flush()
    assert "WARNING qt: a Qt warning for the log" in _log(tmp_path)


def test_log_rotates_at_a_megabyte_keeping_five(handler: CrashHandler) -> None:
    log = handler.log_handler
    assert isinstance(log, logging.handlers.RotatingFileHandler)
    assert (log.maxBytes, log.backupCount) == (LOG_MAX_BYTES, LOG_BACKUPS) == (1_000_000, 5)


def test_uninstall_restores_every_hook(qapp: QApplication, tmp_path: Path) -> None:
    root = logging.getLogger()
    before = (sys.excepthook, threading.excepthook, list(root.handlers), root.level)
    installed = install_crash_handler(tmp_path / "logs")
    assert sys.excepthook == installed.excepthook
    installed.uninstall()
    assert (sys.excepthook, threading.excepthook, root.handlers, root.level) == before


def test_ctrl_c_is_not_a_crash(dialogs: Dialogs, handler: CrashHandler) -> None:
    seen: list[type[BaseException]] = []
    handler._previous_excepthook = lambda t, v, tb: seen.append(t)
    sys.excepthook(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert seen == [KeyboardInterrupt] and not dialogs.calls


def test_dialog_says_what_happened_where_the_log_is_and_that_data_is_safe(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shown: list[QMessageBox] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda: quits.append(True))
    show_crash_dialog("KeyError: 'CNY'", "Traceback…", tmp_path / "capex-gui.log")
    box = shown[0]
    assert "KeyError: 'CNY'" in box.text()
    assert DATA_SAFE in box.informativeText()
    assert str(tmp_path / "capex-gui.log") in box.informativeText()
    assert box.detailedText() == "Traceback…"
    assert [b.text() for b in box.buttons()][:2] == ["Keep working", "Quit"]
    assert not quits  # nothing clicked: keep working


def test_a_real_process_logs_its_crash(tmp_path: Path) -> None:
    """End to end, outside pytest-qt: a slot raises in a running app; the log has it."""
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        from capex_gui.app import crash

        app = QApplication([])
        crash.show_crash_dialog = lambda s, d, p: print("DIALOG", s, p, flush=True)
        crash.install_crash_handler(Path(sys.argv[1]))
        def slot():
            raise RuntimeError("boom in a slot")
        QTimer.singleShot(0, slot)
        QTimer.singleShot(200, app.quit)
        sys.exit(app.exec())
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "logs")],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stderr
    assert f"DIALOG RuntimeError: boom in a slot {tmp_path / 'logs' / 'capex-gui.log'}" in (
        proc.stdout
    )
    text = _log(tmp_path)
    assert "Traceback (most recent call last)" in text and "boom in a slot" in text
