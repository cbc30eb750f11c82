"""The strip above the tables that says the database server cannot be reached right now."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStyle, QWidget


class ConnectionBanner(QFrame):
    """A visible, non-modal notice while the server is away; hidden once it is back."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionBanner")
        self.setAccessibleName("Connection notice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        palette = self.palette()
        dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
        # red that reads as "not working" on light and dark palettes alike
        palette.setColor(QPalette.ColorRole.Window, "#8c1d18" if dark else "#fde7e4")
        palette.setColor(QPalette.ColorRole.WindowText, "#ffffff" if dark else "#5f1410")
        self.setPalette(palette)
        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon.setPixmap(
            self.style()
            .standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
            .pixmap(size, size)
        )
        self.text = QLabel(self)
        self.text.setObjectName("connectionText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.text, 1)
        self.hide()

    def show_lost(self, reason: str) -> None:
        """Say that the server cannot be reached, and what that means for the user's work."""
        self.text.setText(
            "<b>No connection to the database server.</b> Trying again every few seconds. "
            "Until it is back, changes are refused (nothing is pretended saved); every change "
            "you saw saved is on the server."
        )
        self.setToolTip(reason)
        self.show()
