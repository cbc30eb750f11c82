"""A ring around whatever has the keyboard focus, so every tab stop shows where it is.

Fusion draws no focus mark on combo boxes, tool buttons, tab bars or the charts; one overlay
on the window draws the same ring around each of them (and around line edits and tables).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QPaintEvent

#: Width of the ring and its gap outside the focused widget, in pixels.
RING_WIDTH = 2


class FocusRing(QWidget):
    """Draws a ring in the highlight colour around the window's focused widget."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("focusRing")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._target: QWidget | None = None
        self._offset = QPoint()
        self._ring_size = QSize()
        self.hide()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    @property
    def target(self) -> QWidget | None:
        """The widget the ring is drawn around (None when hidden)."""
        return self._target

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self._target is not None:
            self._target.removeEventFilter(self)
        host = self.parentWidget()
        if new is None or host is None or new.window() is not host or new is self:
            self._target = None
            self.hide()
            return
        self._target = new
        new.installEventFilter(self)
        self.follow()

    def follow(self) -> None:
        """Put the ring around the target again (it moved, resized or scrolled)."""
        target, host = self._target, self.parentWidget()
        if target is None or host is None or not target.isVisible():
            self.hide()
            return
        top_left = target.mapTo(host, target.rect().topLeft())
        pad = RING_WIDTH + 1
        ring = QRect(top_left, target.size()).adjusted(-pad, -pad, pad, pad)
        self.setGeometry(ring.intersected(host.rect()))
        self._offset = ring.topLeft() - self.geometry().topLeft()
        self._ring_size = ring.size()
        self.show()
        self.raise_()
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._target and event.type() in (
            QEvent.Type.Move,
            QEvent.Type.Resize,
            QEvent.Type.Show,
            QEvent.Type.Hide,
        ):
            self.follow()
        return False

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), RING_WIDTH)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        half = RING_WIDTH / 2
        rect = QRect(self._offset, self._ring_size)
        painter.drawRoundedRect(rect.toRectF().adjusted(half, half, -half, -half), 3, 3)
        painter.end()
