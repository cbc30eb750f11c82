"""The QApplication: identity, settings, opening the database, showing the main window."""

from __future__ import annotations

import logging
import os
import sys
import time
from typing import TYPE_CHECKING

from capex_gui import APP_ID, APP_NAME, ORG_DOMAIN, ORG_NAME, __version__

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from capex_gui.app.main_window import MainWindow
    from capex_gui.errors import DamagedDatabaseError
    from capex_gui.storage.database import Database

logger = logging.getLogger(__name__)


def _prepare_environment() -> None:
    """pyqtgraph must bind to PySide6 even if PyQt6 happens to be installed."""
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")


#: Seconds a thread holds the GIL before handing it to a waiting one (see create_application).
GIL_SWITCH_INTERVAL_S = 0.001


def create_application(argv: Sequence[str] = ()) -> QApplication:
    """The QApplication with our name, organisation, version and icon (reused if it exists)."""
    _prepare_environment()
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    app = (
        existing
        if isinstance(existing, QApplication)
        else QApplication([sys.argv[0] if sys.argv else APP_ID, *argv])
    )
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setOrganizationDomain(ORG_DOMAIN)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    # The GUI thread shares the GIL with the worker threads (checks, chart and table reads).
    # Each time it comes back from SQLite or Qt it waits for a busy worker to hand the GIL over,
    # up to one switch interval: 5 ms by default, so an edit's dozen statements took 60-80 ms
    # while the checks ran at 100,000 rows. 1 ms bounds that wait (workers lose a few percent).
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    if app.platformName() == "offscreen":
        # Qt's offscreen clipboard crashes at exit while it holds QMimeData; empty it first.
        app.aboutToQuit.connect(lambda: app.clipboard().clear())
    return app


def settings_path() -> Path:
    """The ini file holding preferences and window state."""
    from capex_gui.app.paths import config_dir

    return config_dir() / "settings.ini"


def run_gui(db: str | None, *, new: bool = False, qt_args: Sequence[str] = ()) -> int:
    """Open the main window on *db* (default: the per-user database) and run the event loop."""
    app = create_application(qt_args)
    from capex_gui.app.crash import install_crash_handler

    install_crash_handler()  # log file and crash dialog before anything else can fail
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from capex_gui.app.single_instance import SingleInstance
    from capex_gui.resources import app_icon

    app.setWindowIcon(app_icon())
    instance = SingleInstance(app)
    if new:
        instance.listen()
    elif not instance.start(db):
        return 0  # a running copy took the file (or came forward): one window per user

    from capex_gui.app.credentials import open_with_saved_password
    from capex_gui.app.main_window import MainWindow
    from capex_gui.app.paths import open_default_database
    from capex_gui.errors import CapexError, DamagedDatabaseError, PasswordRequiredError

    settings = QSettings(str(settings_path()), QSettings.Format.IniFormat)
    database: Database | None
    try:
        try:
            database = open_with_saved_password(db, create=new) if db else open_default_database()
        except DamagedDatabaseError as exc:
            database = _restore_at_start(db, exc, settings)
        except PasswordRequiredError as exc:
            assert db is not None
            database = _ask_password_at_start(db, str(exc))
    except CapexError as exc:
        QMessageBox.critical(None, APP_NAME, f"Could not open the database.\n\n{exc}")
        return 2
    if database is None:
        return 2
    try:
        try:
            window = MainWindow(database, settings, defer_charts=True)
        except DamagedDatabaseError as exc:  # opened, but a value in it cannot be read
            database.close()
            restored = _restore_at_start(
                db, DamagedDatabaseError(f"{database.label}: {exc}"), settings
            )
            if restored is None:
                return 2
            window = MainWindow(restored, settings, defer_charts=True)
    except CapexError as exc:
        QMessageBox.critical(None, APP_NAME, f"Could not open the database.\n\n{exc}")
        return 2
    instance.attach_window(window)
    instance.open_requested.connect(window.open_target_or_raise)
    _install_test_hooks(app, window)
    window.show()
    return int(app.exec())


def _restore_at_start(
    db: str | None, error: DamagedDatabaseError, settings: QSettings
) -> Database | None:
    """The file to open is damaged: offer its latest backup; the restored file, or None."""
    from capex_gui.app import settings as keys
    from capex_gui.app.paths import backups_of, default_database_path
    from capex_gui.storage import sqlite
    from capex_gui.storage.backup import restore_backup
    from capex_gui.storage.database import open_database, to_url
    from capex_gui.widgets.backup_dialog import offer_latest_backup

    path = sqlite.database_path(to_url(db)) if db else default_database_path()
    if path is None:
        raise error
    chosen = offer_latest_backup(None, str(error), backups_of(path))
    if chosen is None:
        return None
    restore_backup(chosen.path, path, backups_of(path), keep=keys.BACKUPS_KEPT.get(settings))
    return open_database(path)


def _ask_password_at_start(db: str, message: str) -> Database | None:
    """The server named on the command line wants a password: ask for it (None: cancelled)."""
    from capex_gui.app.credentials import keyring_available, save_password
    from capex_gui.errors import CapexError, PasswordRequiredError
    from capex_gui.storage.database import open_database, to_url
    from capex_gui.storage.postgresql import ServerDetails
    from capex_gui.widgets.connect_dialog import (
        ConnectDialog,
        password_prompt,
        refused_password_message,
    )

    opened: list[Database] = []

    def attempt(details: ServerDetails, password: str, remember: bool) -> str | None:
        try:
            opened.append(open_database(details.url(password)))
        except PasswordRequiredError:
            return "The server did not accept the password; check it and try again."
        except CapexError as exc:
            return str(exc)
        if remember and password:
            save_password(details.url(), password)
        return None

    details = ServerDetails.from_url(to_url(db))
    dialog = ConnectDialog(
        details,
        attempt,
        keyring_available=keyring_available(),
        message=refused_password_message(message),
        prompt=password_prompt(details),
    )
    dialog.exec()
    return opened[0] if opened else None


#: Environment hooks for benchmarks and packaging tests (no effect when unset).
QUIT_AFTER_ENV = "CAPEX_GUI_QUIT_AFTER_MS"
FIRST_PAINT_ENV = "CAPEX_GUI_REPORT_FIRST_PAINT"
CHARTS_DRAWN_ENV = "CAPEX_GUI_REPORT_CHARTS_DRAWN"
QUIT_AFTER_CHARTS_ENV = "CAPEX_GUI_QUIT_AFTER_CHARTS_MS"
STALLS_ENV = "CAPEX_GUI_REPORT_STALLS"


def _install_test_hooks(app: QApplication, window: MainWindow) -> None:
    """Hooks for benchmarks (tests/benchmarks/bench_scale.py) and packaging tests:

    * CAPEX_GUI_QUIT_AFTER_MS=N quits cleanly N ms after start;
    * CAPEX_GUI_REPORT_FIRST_PAINT prints ``FIRST_PAINT <unix time>`` when the window first
      paints, CAPEX_GUI_REPORT_CHARTS_DRAWN ``CHARTS_DRAWN <unix time>`` when the chart on show
      first drew the database's figures;
    * CAPEX_GUI_QUIT_AFTER_CHARTS_MS=N quits cleanly N ms after the charts drew;
    * CAPEX_GUI_REPORT_STALLS watches the GUI thread with a 10 ms timer from the first paint and
      prints ``STALL_MAX_MS=<worst lateness>`` as the app quits.
    """
    from PySide6.QtCore import QEvent, QObject, QTimer

    quit_after = os.environ.get(QUIT_AFTER_ENV, "")
    if quit_after.isdigit():
        QTimer.singleShot(int(quit_after), window.close)
        QTimer.singleShot(int(quit_after) + 50, app.quit)
    watch = _StallWatch(app) if os.environ.get(STALLS_ENV) else None
    if watch is not None:
        app.aboutToQuit.connect(
            lambda: print(f"STALL_MAX_MS={watch.worst * 1000:.1f}", flush=True)  # noqa: T201
        )
    if os.environ.get(FIRST_PAINT_ENV) or watch is not None:
        report = bool(os.environ.get(FIRST_PAINT_ENV))

        class FirstPaint(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    if report:
                        print(f"FIRST_PAINT {time.time():.6f}", flush=True)  # noqa: T201
                    if watch is not None:
                        watch.start()
                    watched.removeEventFilter(self)
                return False

        window.installEventFilter(FirstPaint(window))
    quit_after_charts = os.environ.get(QUIT_AFTER_CHARTS_ENV, "")
    if os.environ.get(CHARTS_DRAWN_ENV) or quit_after_charts.isdigit():

        def drawn() -> None:
            if os.environ.get(CHARTS_DRAWN_ENV):
                print(f"CHARTS_DRAWN {time.time():.6f}", flush=True)  # noqa: T201
            if quit_after_charts.isdigit():
                QTimer.singleShot(int(quit_after_charts), window.close)
                QTimer.singleShot(int(quit_after_charts) + 50, app.quit)

        window.charts_drawn.connect(drawn)


class _StallWatch:
    """A 10 ms timer on the GUI thread: its worst lateness is the longest stall (benchmarks)."""

    def __init__(self, app: QApplication) -> None:
        from PySide6.QtCore import QElapsedTimer, Qt, QTimer

        self._clock = QElapsedTimer()
        self._last = 0
        self.worst = 0.0
        self._timer = QTimer(app)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        """Watch from now on."""
        self._clock.start()
        self._last = 0
        self._timer.start()

    def _tick(self) -> None:
        now = self._clock.nsecsElapsed()
        if self._last:
            self.worst = max(self.worst, (now - self._last) / 1e9 - 0.010)
        self._last = now
