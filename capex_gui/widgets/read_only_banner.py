"""The strip above the tables that says the open file is read-only, and why."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStyle, QWidget


class ReadOnlyBanner(QFrame):
    """A visible, non-modal notice: edits to this file are not saved. Hidden when writable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readOnlyBanner")
        self.setAccessibleName("Read-only notice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        palette = self.palette()
        dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
        # amber that reads as "take care" on light and dark palettes alike
        palette.setColor(
            QPalette.ColorRole.Window, Qt.GlobalColor.darkYellow if dark else "#fff4ce"
        )
        palette.setColor(QPalette.ColorRole.WindowText, "#ffffff" if dark else "#3d2f00")
        self.setPalette(palette)
        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size)
        )
        self.text = QLabel(self)
        self.text.setObjectName("readOnlyText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.text, 1)
        self.hide()

    def show_reason(self, reason: str | None) -> None:
        """Show the banner with *reason* ("you may not write to this file"); None hides it."""
        if reason is None:
            self.hide()
            return
        self.text.setText(
            f"<b>Read-only:</b> {reason}, so changes cannot be saved. "
            "Use <i>File → Save a copy as…</i> to work on a copy you may edit."
        )
        self.setToolTip(f"This database was opened read-only because {reason}.")
        self.show()
