"""Every setting declared once: key, type and default. The QSettings object is passed in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from capex_gui.storage.backup import DEFAULT_KEEP

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One key of the settings file."""

    key: str
    default: T

    def get(self, settings: QSettings) -> T:
        """The stored value, or the default (also when the stored value has the wrong type)."""
        value = settings.value(self.key, self.default)
        default = self.default
        if isinstance(default, bool):
            if isinstance(value, str):
                return (value.lower() == "true") if value else default  # type: ignore[return-value]
            return bool(value)  # type: ignore[return-value]
        if isinstance(default, int):
            try:
                return int(value)  # type: ignore[call-overload]
            except (TypeError, ValueError):
                return default
        if isinstance(default, list):
            if value is None:
                return default
            return list(value) if isinstance(value, list | tuple) else [value]  # type: ignore[return-value]
        if isinstance(default, QByteArray):
            return value if isinstance(value, QByteArray) else default  # type: ignore[return-value]
        return value if isinstance(value, type(default)) else default

    def set(self, settings: QSettings, value: T) -> None:
        """Store a value."""
        settings.setValue(self.key, value)


# Preferences: what the user chose.
DISPLAY_CURRENCY = Setting("prefs/display_currency", "USD")
RECENT_FILES: Setting[list[str]] = Setting("prefs/recent_files", [])
LAST_FOLDER = Setting("prefs/last_folder", "")
MAX_RECENT = 8
#: Automatic backups kept per database (one taken on open, at most once a day; 0: none).
BACKUPS_KEPT = Setting("prefs/backups_kept", DEFAULT_KEEP)
#: The server File → Connect to server… offers (never a password: that lives in the keyring).
SERVER_HOST = Setting("prefs/server_host", "localhost")
SERVER_PORT = Setting("prefs/server_port", 5432)
SERVER_DATABASE = Setting("prefs/server_database", "")
SERVER_USER = Setting("prefs/server_user", "")
SERVER_TLS_MODE = Setting("prefs/server_tls_mode", "prefer")

# Window state: how the user left the window.
GEOMETRY = Setting("state/geometry", QByteArray())
WINDOW_STATE = Setting("state/window_state", QByteArray())
SPLITTER = Setting("state/splitter", QByteArray())
CURRENT_TAB = Setting("state/current_tab", 0)
INVESTMENT_HEADER = Setting("state/investments_header", QByteArray())
CHIP_ORDER_HEADER = Setting("state/chip_orders_header", QByteArray())
SHOW_TABLES = Setting("state/show_tables", True)
SHOW_CHARTS = Setting("state/show_charts", True)
