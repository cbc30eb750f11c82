"""Server passwords: asked for, used, and kept only in the system keyring when the user says so.

A password never goes into the settings, a URL that is saved, or a log line. It is looked up in
the system keyring (macOS Keychain, Windows Credential Locker, the Secret Service on Linux) by
the connection it belongs to: ``user@host:port/database``. Where no keyring exists, nothing is
remembered and the window asks each time. Without a password in the URL or the keyring, libpq's
own ``PGPASSWORD`` and ``~/.pgpass`` still apply (the command line uses them).
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

from capex_gui.errors import PasswordRequiredError

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.engine import URL

    from capex_gui.storage.database import Database

logger = logging.getLogger(__name__)

#: The keyring "service" our passwords are filed under.
KEYRING_SERVICE = "AI Capex Tracker"


def keyring_account(url: URL) -> str:
    """The name a connection's password is kept under: ``user@host:port/database``."""
    return f"{url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def keyring_available() -> bool:
    """True when a real system keyring can keep passwords here."""
    try:
        import keyring
        from keyring.backends import fail

        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except Exception:  # a broken keyring set-up must not stop the app
        logger.info("no usable keyring", exc_info=True)
        return False


def saved_password(url: URL) -> str | None:
    """The password the keyring holds for this connection (None: none, or no keyring)."""
    if not keyring_available():
        return None
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, keyring_account(url))
    except Exception:  # locked keyring, D-Bus trouble...: ask the user instead
        logger.info("could not read the keyring", exc_info=True)
        return None


def save_password(url: URL, password: str) -> bool:
    """Keep the password in the keyring; False when there is no keyring or it refused."""
    if not keyring_available():
        return False
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, keyring_account(url), password)
    except Exception:
        logger.warning("could not save the password in the keyring", exc_info=True)
        return False
    return True


def forget_password(url: URL) -> None:
    """Remove a kept password (after the server refused it, or when the user unticks remember)."""
    if not keyring_available():
        return
    try:
        import keyring
        from keyring.errors import PasswordDeleteError

        with contextlib.suppress(PasswordDeleteError):  # there was none
            keyring.delete_password(KEYRING_SERVICE, keyring_account(url))
    except Exception:
        logger.info("could not remove a password from the keyring", exc_info=True)


def open_with_saved_password(target: str | Path | URL, *, create: bool = False) -> Database:
    """``open_database``, retried with the keyring's password when the server asks for one.

    Raises PasswordRequiredError when the server wants a password that neither the URL, libpq's
    own sources nor the keyring gives (the window then asks the user).
    """
    from capex_gui.storage.database import open_database, to_url

    try:
        return open_database(target, create=create)
    except PasswordRequiredError:
        url = to_url(target)
        password = None if url.password else saved_password(url)
        if password is None:
            raise
        return open_database(url.set(password=password), create=create)
