"""Killing the app (SIGKILL) right after accepted edits loses none of them: no Save step exists."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

from capex_gui.app.paths import create_sample_database
from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository

DRIVER = textwrap.dedent(
    """
    import sys, time
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication
    from PySide6.QtTest import QTest
    from capex_gui.app.application import create_application
    from capex_gui.app.main_window import MainWindow
    from capex_gui.storage.database import open_database

    app = create_application()
    window = MainWindow(open_database(sys.argv[1]), QSettings(sys.argv[2], QSettings.Format.IniFormat))
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowActive(window)
    view = window.investments_view
    model = window.investments_model

    def type_into(row, key, text):
        view.setFocus()
        view.setCurrentIndex(model.index(row, model.column_index(key)))
        QTest.keyClick(view, Qt.Key.Key_F2)
        editor = QApplication.focusWidget()
        editor.selectAll()
        QTest.keyClicks(editor, text)
        QTest.keyClick(editor, Qt.Key.Key_Return)
        for _ in range(20):
            app.processEvents()

    type_into(0, "amount", "41bn")
    type_into(1, "notes", "edited before the crash")
    type_into(2, "year", "2023")
    window.add_row_action.trigger()
    app.processEvents()
    print("EDITS DONE", flush=True)
    while True:  # keep running until killed, as a user's app would
        app.processEvents()
        time.sleep(0.01)
    """
)


def test_sigkill_after_edits_loses_nothing(tmp_path: Path) -> None:
    db_path = tmp_path / "k.capex"
    create_sample_database(db_path).close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(db_path), str(tmp_path / "s.ini")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if line.strip() != "EDITS DONE":
                proc.kill()
                raise AssertionError(proc.communicate(timeout=30)[1])
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == -signal.SIGKILL
    db = open_database(db_path)
    try:
        repo = Repository(db.engine)
        rows = repo.investments()
        assert rows[0].amount == 41 * Decimal(10) ** 9
        assert rows[1].notes == "edited before the crash"
        assert rows[2].year == 2023
        assert len(rows) == 4
    finally:
        db.close()
