"""A crash never vanishes silently: log file, Qt messages in the log, and a crash dialog.

:func:`install_crash_handler` (call it once the QApplication exists, before the window):

- logs to a rotating file ``capex-gui.log`` in the per-user log folder (1 MB × 5 backups);
- routes Qt's own messages (``qWarning`` …) into :mod:`logging` under the ``qt`` logger;
- replaces :data:`sys.excepthook` and :data:`threading.excepthook`: an uncaught exception is
  logged with its traceback, then :func:`show_crash_dialog` tells the user what happened, where
  the log is, and that their data is safe (every accepted edit is already committed).
  A :class:`~capex_gui.errors.StorageError` that escapes (a damaged value met while painting, a
  disk that went away) is the environment, not a bug: it is logged and shown as its one
  sentence in a warning (:func:`show_storage_warning`, the same sentence at most once a minute).

Exceptions in worker threads reach the dialog through a queued signal, on the GUI thread.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from PySide6.QtCore import (
    QCoreApplication,
    QMessageLogContext,
    QObject,
    QtMsgType,
    Signal,
    qInstallMessageHandler,
)

from capex_gui import APP_ID, APP_NAME, __version__
from capex_gui.errors import StorageError

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType

logger = logging.getLogger(__name__)
qt_logger = logging.getLogger("qt")

LOG_FILE_NAME = f"{APP_ID}.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
DATA_SAFE = "Your data is saved: every accepted edit is already in the database."

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

ExcInfo = tuple[type[BaseException], BaseException, "TracebackType | None"]
QtHandler: TypeAlias = "Callable[[QtMsgType, QMessageLogContext, str], object]"


def setup_logging(log_dir: Path | None = None, level: int = logging.INFO) -> logging.Handler:
    """Add the rotating log file to the root logger; returns the handler (remove it to undo)."""
    if log_dir is None:
        from capex_gui.app.paths import log_dir as default_log_dir

        log_dir = default_log_dir()
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        log_dir / LOG_FILE_NAME, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.getEffectiveLevel() > level:
        root.setLevel(level)
    return handler


def qt_message_handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's messages into logging (logger ``qt``, or ``qt.<category>``)."""
    category = context.category or "default"
    target = qt_logger if category == "default" else qt_logger.getChild(category)
    target.log(_QT_LEVELS.get(mode, logging.WARNING), "%s", message)
    if mode == QtMsgType.QtFatalMsg:
        for handler in logging.getLogger().handlers:
            handler.flush()


def describe(exc_info: ExcInfo) -> tuple[str, str]:
    """A one-line summary and the full traceback text of an exception."""
    exc_type, exc, tb = exc_info
    summary = f"{exc_type.__name__}: {exc}" if str(exc) else exc_type.__name__
    return summary, "".join(traceback.format_exception(exc_type, exc, tb))


def show_crash_dialog(summary: str, details: str, log_path: Path) -> None:
    """Tell the user an unexpected error happened; offer to keep working or quit."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    box = QMessageBox(QMessageBox.Icon.Critical, f"{APP_NAME}: unexpected error", "")
    box.setObjectName("crashDialog")
    box.setText(f"{APP_NAME} {__version__} ran into an error it did not expect:\n\n{summary}")
    box.setInformativeText(
        f"{DATA_SAFE}\n\nThe details are in the log file:\n{log_path}\n\n"
        "Please include that file when you report the problem."
    )
    box.setDetailedText(details)
    keep = box.addButton("Keep working", QMessageBox.ButtonRole.AcceptRole)
    quit_button = box.addButton("Quit", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(keep)
    box.exec()
    if box.clickedButton() is quit_button:
        app.closeAllWindows()  # windows save their state and close their database
        app.quit()


def show_storage_warning(message: str) -> None:
    """Tell the user the database failed in a way they can act on (no traceback)."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    if isinstance(QApplication.instance(), QApplication):
        QMessageBox.warning(QApplication.activeWindow(), APP_NAME, message)


#: Seconds before the same storage warning may be shown again (a failing repaint repeats it).
STORAGE_WARNING_QUIET_S = 60.0


class CrashHandler(QObject):
    """Installed hooks; :meth:`uninstall` puts the previous ones back (tests do)."""

    #: (summary, traceback text), queued to the GUI thread.
    crashed = Signal(str, str)
    #: The sentence of a StorageError nobody caught, queued to the GUI thread.
    storage_failed = Signal(str)

    def __init__(
        self, log_handler: logging.Handler, log_path: Path, root_level: int = logging.WARNING
    ) -> None:
        super().__init__(QCoreApplication.instance())
        self.log_handler = log_handler
        self._root_level = root_level
        self.log_path = log_path
        self.count = 0
        self._showing = False
        self._previous_excepthook: Callable[
            [type[BaseException], BaseException, TracebackType | None], object
        ] = sys.excepthook
        self._previous_thread_hook: Callable[[threading.ExceptHookArgs], object] = (
            threading.excepthook
        )
        self._previous_qt_handler: QtHandler | None = None
        self._warned: dict[str, float] = {}
        self.crashed.connect(self._show)
        self.storage_failed.connect(self._warn)

    def install(self) -> None:
        """Take over the exception hooks and Qt's message handler."""
        self._previous_excepthook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook
        self._previous_qt_handler = qInstallMessageHandler(qt_message_handler)

    def uninstall(self) -> None:
        """Restore the hooks found at install and stop logging to the file."""
        sys.excepthook = self._previous_excepthook
        threading.excepthook = self._previous_thread_hook
        qInstallMessageHandler(self._previous_qt_handler)
        logging.getLogger().removeHandler(self.log_handler)
        logging.getLogger().setLevel(self._root_level)
        self.log_handler.close()
        self.deleteLater()

    def excepthook(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        """``sys.excepthook``: log, then the dialog (Ctrl+C in a terminal stays quiet)."""
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous_excepthook(exc_type, exc, tb)
            return
        self._report((exc_type, exc, tb), "uncaught exception")

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        """``threading.excepthook``: the same, for exceptions in Python threads."""
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "?"
        self._report((args.exc_type, args.exc_value, args.exc_traceback), f"in thread {name}")

    def _report(self, exc_info: ExcInfo, where: str) -> None:
        if isinstance(exc_info[1], StorageError):
            logger.warning("%s %s: %s", APP_NAME, where, exc_info[1], exc_info=exc_info)
            self.storage_failed.emit(str(exc_info[1]))
            return
        self.count += 1
        logger.critical("%s %s", APP_NAME, where, exc_info=exc_info)
        self.log_handler.flush()
        summary, details = describe(exc_info)
        # direct on the GUI thread; from another thread, queued to the GUI thread
        self.crashed.emit(summary, details)

    def _warn(self, message: str) -> None:
        now = time.monotonic()
        if self._showing or now - self._warned.get(message, -STORAGE_WARNING_QUIET_S) < (
            STORAGE_WARNING_QUIET_S
        ):
            return
        self._warned[message] = now
        self._showing = True
        try:
            show_storage_warning(message)
        finally:
            self._showing = False

    def _show(self, summary: str, details: str) -> None:
        if self._showing:  # an error while the dialog is open: logged, not shown again
            return
        self._showing = True
        try:
            show_crash_dialog(summary, details, self.log_path)
        except Exception:  # the dialog itself failed: the log still has everything
            logger.exception("could not show the crash dialog")
        finally:
            self._showing = False


def install_crash_handler(log_dir: Path | None = None) -> CrashHandler:
    """Log to ``<log_dir>/capex-gui.log`` (default: the per-user log folder) and take over the
    exception hooks and Qt's message handler. Call once, after the QApplication exists."""
    root_level = logging.getLogger().level
    handler = setup_logging(log_dir)
    log_path = Path(getattr(handler, "baseFilename", LOG_FILE_NAME))
    crash = CrashHandler(handler, log_path, root_level)
    crash.install()
    logger.info("%s %s started (Python %s)", APP_NAME, __version__, sys.version.split()[0])
    return crash
