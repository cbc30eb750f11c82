"""File menu work of the main window: new, open, open recent, save a copy, restore a backup."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox

from capex_gui import APP_NAME
from capex_gui.app import settings as keys
from capex_gui.app.credentials import open_with_saved_password
from capex_gui.app.paths import backup_on_open, backups_of
from capex_gui.errors import CapexError, DamagedDatabaseError, PasswordRequiredError
from capex_gui.storage import sqlite
from capex_gui.storage.backup import BackupInfo, list_backups, restore_backup
from capex_gui.storage.database import Database, open_database, to_url
from capex_gui.storage.postgresql import ServerDetails
from capex_gui.storage.transfer import copy_database
from capex_gui.widgets.backup_dialog import (
    RestoreBackupDialog,
    confirm_restore,
    describe_backup,
    offer_latest_backup,
)
from capex_gui.widgets.connect_dialog import password_prompt, refused_password_message

if TYPE_CHECKING:
    from capex_gui.app.main_window import MainWindow

FILE_FILTER = "AI Capex Tracker databases (*.capex);;All files (*)"


class FileActions(QObject):
    """Opens, creates and copies database files for one main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def new_database(self) -> None:
        """Ask for a file name and start an empty database there."""
        name, _ = QFileDialog.getSaveFileName(
            self._window, "New database", self.last_folder("new.capex"), FILE_FILTER
        )
        if not name:
            return
        path = Path(name)
        if path.suffix != sqlite.EXTENSION:
            path = path.with_suffix(sqlite.EXTENSION)
        if path.exists():
            # the file dialog already asked whether to replace it
            path.unlink()
        self.open_path(path, create=True)

    def open_database_dialog(self) -> None:
        """Ask for a database file and open it."""
        name, _ = QFileDialog.getOpenFileName(
            self._window, "Open database", self.last_folder(), FILE_FILTER
        )
        if name:
            self.open_path(Path(name))

    def open_path(self, target: Path | str, *, create: bool = False) -> bool:
        """Open (or create) *target* in the window; False with a message when it cannot."""
        window = self._window
        try:
            database = open_with_saved_password(target, create=create)
        except PasswordRequiredError as exc:  # a server: ask for the password
            details = ServerDetails.from_url(to_url(target))
            return window.servers.connect_dialog(
                details, refused_password_message(str(exc)), prompt=password_prompt(details)
            )
        except DamagedDatabaseError as exc:
            return self._offer_restore(target, exc)
        except CapexError as exc:
            QMessageBox.warning(window, APP_NAME, f"Could not open the database.\n\n{exc}")
            return False
        if isinstance(target, Path):
            keys.LAST_FOLDER.set(window.settings, str(target.parent))
        previous = window.database
        try:
            window.load(database)
        except CapexError as exc:  # its rows could not be read: back to the file that was open
            database.close()
            if previous is not None and previous is not database:
                window.load(previous)
            if isinstance(exc, DamagedDatabaseError):
                return self._offer_restore(target, DamagedDatabaseError(f"{database.label}: {exc}"))
            QMessageBox.warning(window, APP_NAME, f"Could not open the database.\n\n{exc}")
            return False
        return True

    def save_copy(self) -> None:
        """Write a consistent copy of the open database to another file."""
        window = self._window
        database = window.database
        assert database is not None
        if database.path is None:
            self._save_server_copy(database)
            return
        name, _ = QFileDialog.getSaveFileName(
            window,
            "Save a copy as",
            self.last_folder(f"{database.path.stem} copy.capex"),
            FILE_FILTER,
        )
        if not name:
            return
        target = Path(name)
        if target.resolve() == database.path.resolve():
            QMessageBox.warning(window, APP_NAME, "Choose a different file from the open database.")
            return
        try:
            target.unlink(missing_ok=True)
            sqlite.copy_file(database.path, target)  # the online backup API, in one step
        except (OSError, CapexError) as exc:
            QMessageBox.warning(window, APP_NAME, f"Could not write the copy.\n\n{exc}")
            return
        window.statusBar().showMessage(f"Saved a copy to {target}", 8000)

    def _save_server_copy(self, database: Database) -> None:
        """Copy a server database, every row, into a new .capex file (``capex-gui copy``)."""
        window = self._window
        stem = database.url.database or "team"
        name, _ = QFileDialog.getSaveFileName(
            window, "Save a copy as", self.last_folder(f"{stem} copy.capex"), FILE_FILTER
        )
        if not name:
            return
        target = Path(name)
        target.unlink(missing_ok=True)  # the dialog asked before replacing it
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            copy = open_database(target, create=True)
            try:
                report = copy_database(database, copy)
            finally:
                copy.close()
        except (OSError, CapexError) as exc:
            target.unlink(missing_ok=True)  # no half-written copy left behind
            QMessageBox.warning(window, APP_NAME, f"Could not write the copy.\n\n{exc}")
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        window.statusBar().showMessage(f"Saved a copy ({report.total} rows) to {target}", 8000)

    # -- backups ----------------------------------------------------------------------------
    def after_load(self, database: Database) -> None:
        """Show whether *database* is read-only, and take its daily backup when one is due."""
        window = self._window
        window.read_only_banner.show_reason(database.read_only_reason)
        try:
            backup_on_open(database, keep=keys.BACKUPS_KEPT.get(window.settings))
        except CapexError as exc:
            window.statusBar().showMessage(f"Today's backup could not be taken: {exc}", 15000)

    def restore_from_backup(self) -> None:
        """List the open file's backups; restore the one chosen after confirming."""
        window = self._window
        database = window.database
        if database is None or database.path is None:
            QMessageBox.information(
                window, APP_NAME, "This database is on a server; use its own backup tools."
            )
            return
        if database.read_only:
            QMessageBox.warning(
                window,
                APP_NAME,
                f"This file is open read-only ({database.read_only_reason}), "
                "so a backup cannot be restored over it.",
            )
            return
        dialog = RestoreBackupDialog(
            list_backups(backups_of(database.path)), database.label, window
        )
        if not window.run_dialog(dialog):
            return
        chosen = dialog.selected_backup()
        if chosen is not None and confirm_restore(window, chosen, database.label):
            self.replace_with_backup(database.path, chosen)

    def replace_with_backup(self, path: Path, backup: BackupInfo) -> bool:
        """Restore *backup* over *path* (closing it first if it is open) and open the result."""
        window = self._window
        if window.database is not None and window.database.path == path:
            if window.store is not None:
                window.store.runner.shutdown()
            window.database.close()  # nothing may hold the file while it is replaced
        try:
            kept = restore_backup(
                backup.path, path, backups_of(path), keep=keys.BACKUPS_KEPT.get(window.settings)
            )
        except CapexError as exc:
            QMessageBox.warning(window, APP_NAME, f"The backup was not restored.\n\n{exc}")
            return False
        if not self.open_path(path):
            return False
        window.statusBar().showMessage(
            f"Restored the backup taken {describe_backup(backup)}; "
            f"the file it replaced is kept at {kept}",
            15000,
        )
        return True

    def _offer_restore(self, target: Path | str, error: DamagedDatabaseError) -> bool:
        """A damaged file was refused: offer its latest backup instead."""
        path = sqlite.database_path(to_url(target))
        if path is None:
            QMessageBox.warning(self._window, APP_NAME, f"Could not open the database.\n\n{error}")
            return False
        chosen = offer_latest_backup(self._window, str(error), backups_of(path))
        return chosen is not None and self.replace_with_backup(path, chosen)

    def last_folder(self, name: str = "") -> str:
        """The folder file dialogs start in (the last one used, else the open file's)."""
        window = self._window
        folder = keys.LAST_FOLDER.get(window.settings)
        if not folder and window.database is not None and window.database.path is not None:
            folder = str(window.database.path.parent)
        return str(Path(folder) / name) if folder else name

    def remember_recent(self, database: Database) -> None:
        """Put *database* at the top of Open recent."""
        settings = self._window.settings
        location = str(database.path) if database.path else database.label
        recent = [r for r in keys.RECENT_FILES.get(settings) if r != location]
        recent.insert(0, location)
        keys.RECENT_FILES.set(settings, recent[: keys.MAX_RECENT])
        self.rebuild_recent_menu()

    def rebuild_recent_menu(self) -> None:
        """Fill Open recent from the settings."""
        window = self._window
        window.recent_menu.clear()
        recent = keys.RECENT_FILES.get(window.settings)
        for i, location in enumerate(recent):
            shown = location.replace("&", "&&")  # a file name's & is not a mnemonic
            act = window.recent_menu.addAction(f"&{i + 1} {shown}")
            act.triggered.connect(lambda _c=False, loc=location: window.open_target(loc))
        window.recent_menu.setEnabled(bool(recent))
