"""A strip above the tables with an icon and a sentence: the read-only and connection notices."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStyle, QWidget


class NoticeBanner(QFrame):
    """A visible, non-modal notice in colours that read on light and dark palettes alike."""

    def __init__(
        self,
        name: str,
        accessible_name: str,
        *,
        icon: QStyle.StandardPixmap,
        light: tuple[str, str],
        dark: tuple[QColor | Qt.GlobalColor | str, str],
        parent: QWidget | None = None,
    ) -> None:
        """*light* and *dark*: (background, text) colours for either kind of palette."""
        super().__init__(parent)
        self.setObjectName(f"{name}Banner")
        self.setAccessibleName(accessible_name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        palette = self.palette()
        is_dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
        background, text = dark if is_dark else light
        palette.setColor(QPalette.ColorRole.Window, QColor(background))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
        self.setPalette(palette)
        picture = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        picture.setPixmap(self.style().standardIcon(icon).pixmap(size, size))
        self.text = QLabel(self)
        self.text.setObjectName(f"{name}Text")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(picture, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.text, 1)
        self.hide()
