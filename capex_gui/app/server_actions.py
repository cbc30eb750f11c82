"""File → Connect to server…: open a team database on a PostgreSQL server in the window.

The details the user typed (host, port, database, user, TLS mode) are remembered in the
settings for next time; the password never is. It is used for the connection, and kept in the
system keyring only when the user ticks "Remember" (``credentials.py``).
"""

from __future__ import annotations

import getpass
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from capex_gui.app import settings as keys
from capex_gui.app.credentials import (
    forget_password,
    keyring_available,
    save_password,
    saved_password,
)
from capex_gui.errors import CapexError, PasswordRequiredError
from capex_gui.storage import postgresql
from capex_gui.storage.database import open_database
from capex_gui.storage.postgresql import ServerDetails
from capex_gui.widgets.connect_dialog import ConnectDialog

if TYPE_CHECKING:
    from capex_gui.app.main_window import MainWindow

logger = logging.getLogger(__name__)


class ServerActions(QObject):
    """Connects one main window to database servers."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def last_details(self) -> ServerDetails:
        """The server connected to last (or localhost and the user's own name)."""
        settings = self._window.settings
        return ServerDetails(
            host=keys.SERVER_HOST.get(settings),
            port=keys.SERVER_PORT.get(settings),
            database=keys.SERVER_DATABASE.get(settings),
            user=keys.SERVER_USER.get(settings) or getpass.getuser(),
            tls_mode=keys.SERVER_TLS_MODE.get(settings),
        )

    def connect_dialog(
        self, details: ServerDetails | None = None, message: str = "", *, prompt: str = ""
    ) -> bool:
        """Ask for a server and open its database in the window; True when it was opened.

        Without *details*: the server the window is on, else the one connected to last.
        """
        if details is None:
            current = self._window.database
            on_server = current is not None and postgresql.is_postgresql(current.url)
            details = (
                ServerDetails.from_url(current.url)
                if on_server and current is not None
                else self.last_details()
            )
        remembered = saved_password(details.url()) is not None
        dialog = ConnectDialog(
            details,
            self._attempt,
            keyring_available=keyring_available(),
            remember=remembered,
            message=message,
            prompt=prompt,
            parent=self._window,
        )
        return self._window.run_dialog(dialog)

    def _attempt(self, details: ServerDetails, password: str, remember: bool) -> str | None:
        """Open the database; None when it worked, else the sentence to show."""
        url = details.url()
        kept = saved_password(url)
        given = password or kept
        try:
            database = open_database(details.url(given))
        except PasswordRequiredError:
            if given and given == kept:
                forget_password(url)  # the kept password is out of date
            if not given:
                return "The server asks for a password: enter it above."
            return "The server did not accept the password; check it and try again."
        except CapexError as exc:
            return str(exc)
        if remember and given:
            if not save_password(url, given):
                self._window.statusBar().showMessage(
                    "The password could not be kept in the system keyring; you will be asked "
                    "for it next time.",
                    10000,
                )
        elif not remember:
            forget_password(url)
        settings = self._window.settings
        keys.SERVER_HOST.set(settings, details.host)
        keys.SERVER_PORT.set(settings, details.port)
        keys.SERVER_DATABASE.set(settings, details.database)
        keys.SERVER_USER.set(settings, details.user)
        keys.SERVER_TLS_MODE.set(settings, details.tls_mode)
        self._window.load(database)
        self._window.statusBar().showMessage(f"Connected to {database.label}", 8000)
        return None
