"""``capex-gui screenshot``: the app renders its own main window to a PNG (docs, bug reports)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from capex_gui.errors import CapexError


def dark_palette() -> object:
    """A dark QPalette like the desktop's dark mode (for screenshots and checks)."""
    from PySide6.QtGui import QColor, QPalette

    p = QPalette()
    roles = QPalette.ColorRole
    colours = {
        roles.Window: "#2b2b2e",
        roles.WindowText: "#e8e8ea",
        roles.Base: "#1f1f22",
        roles.AlternateBase: "#2a2a2e",
        roles.Text: "#e8e8ea",
        roles.Button: "#35353a",
        roles.ButtonText: "#e8e8ea",
        roles.Highlight: "#3d6fb6",
        roles.HighlightedText: "#ffffff",
        roles.ToolTipBase: "#35353a",
        roles.ToolTipText: "#e8e8ea",
        roles.Link: "#7fb2ff",
        roles.PlaceholderText: "#9a9aa2",
        roles.BrightText: "#ff8080",
        roles.Mid: "#4a4a50",
        roles.Dark: "#19191b",
        roles.Light: "#505056",
        roles.Midlight: "#404046",
        roles.Shadow: "#000000",
    }
    for role, colour in colours.items():
        p.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        p.setColor(disabled, role, QColor("#77777d"))
    return p


def render_window(
    db: str,
    output: Path,
    *,
    width: int = 1280,
    height: int = 800,
    dark: bool = False,
    tab: int = 0,
) -> None:
    """Open *db* in a fresh main window (temporary settings) and save it as a PNG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from capex_gui.app.application import create_application
    from capex_gui.app.main_window import MainWindow
    from capex_gui.storage.database import open_database

    app = create_application()
    if dark:
        palette = dark_palette()
        assert isinstance(palette, QPalette)
        app.setPalette(palette)
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat)
        window = MainWindow(open_database(db), settings)
        window.resize(width, height)
        window.tabs.setCurrentIndex(tab)
        window.show()
        for _ in range(5):
            QApplication.processEvents()
        image = window.grab()
        if not image.save(str(output)):
            raise CapexError(f"could not write {output}")
        window.close()
