"""The QApplication: identity, settings, opening the database, showing the main window."""

from __future__ import annotations

import logging
import os
import sys
from typing import TYPE_CHECKING

from capex_gui import APP_ID, APP_NAME, ORG_DOMAIN, ORG_NAME, __version__

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path
from typing import TYPE_CHECKING

logger = logging.getLogger(__name__)


def _prepare_environment() -> None:
    """pyqtgraph must bind to PySide6 even if PyQt6 happens to be installed."""
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")


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
    return app


def settings_path() -> Path:
    """The ini file holding preferences and window state."""
    from capex_gui.app.paths import config_dir

    return config_dir() / "settings.ini"


def run_gui(db: str | None, *, new: bool = False, qt_args: Sequence[str] = ()) -> int:
    """Open the main window on *db* (default: the per-user database) and run the event loop."""
    app = create_application(qt_args)
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from capex_gui.app.main_window import MainWindow
    from capex_gui.app.paths import open_default_database
    from capex_gui.errors import CapexError
    from capex_gui.storage.database import open_database

    settings = QSettings(str(settings_path()), QSettings.Format.IniFormat)
    try:
        database = open_database(db, create=new) if db else open_default_database()
    except CapexError as exc:
        QMessageBox.critical(None, APP_NAME, f"Could not open the database.\n\n{exc}")
        return 2
    window = MainWindow(database, settings)
    window.show()
    return int(app.exec())
