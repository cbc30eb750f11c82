"""The legend under every chart: samples and names in rows that wrap to the width."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from capex_gui.widgets.charts.palette import ChartTheme, hatch_brush, tint_brush

if TYPE_CHECKING:
    from collections.abc import Iterable


class Swatch(Enum):
    """How a legend entry's sample is drawn."""

    SOLID = "solid"
    HATCH = "hatch"  # estimate / planned
    RANGE = "range"  # an error bar
    LINE = "line"  # a line with a dot (a trend series)
    DASHED = "dashed"  # a dashed line with a hollow dot (estimates on a trend)
    BAND = "band"  # a translucent box with a dashed edge (a period longer than a slot)


@dataclass(frozen=True)
class LegendEntry:
    """One sample and its name."""

    text: str
    colour: QColor
    swatch: Swatch = Swatch.SOLID


class ChartLegend(QWidget):
    """Legend entries in rows that wrap to the width: nothing is ever clipped."""

    SAMPLE = 12.0
    GAP = 6.0
    SPACING = 18.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[LegendEntry] = []
        self._theme = ChartTheme.from_palette(self.palette())
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_entries(self, entries: Iterable[LegendEntry]) -> None:
        """Replace the entries (only repaints when they changed)."""
        new = list(entries)
        if new == self._entries:
            return
        self._entries = new
        self.updateGeometry()
        self.update()

    def entries(self) -> list[LegendEntry]:
        """Current entries (for tests)."""
        return list(self._entries)

    def set_theme(self, theme: ChartTheme) -> None:
        """Colours for text and hatching."""
        self._theme = theme
        self.update()

    def _rows(self, width: float) -> list[list[tuple[LegendEntry, float]]]:
        fm = QFontMetricsF(self.font())
        rows: list[list[tuple[LegendEntry, float]]] = [[]]
        used = 0.0
        for entry in self._entries:
            w = self.SAMPLE + self.GAP + fm.horizontalAdvance(entry.text)
            if rows[-1] and used + self.SPACING + w > width:
                rows.append([])
                used = 0.0
            used += (self.SPACING if rows[-1] else 0.0) + w
            rows[-1].append((entry, w))
        return rows if self._entries else []

    def hasHeightForWidth(self) -> bool:
        """The legend wraps, so its height depends on its width (Qt hook)."""
        return True

    def heightForWidth(self, width: int) -> int:
        """Height of the wrapped rows (Qt hook)."""
        rows = self._rows(max(40.0, width - 8.0))
        line = QFontMetricsF(self.font()).height() + 4
        return 0 if not rows else round(len(rows) * line + 4)

    def sizeHint(self) -> QSize:
        """Preferred size (Qt hook)."""
        w = max(120, self.width())
        return QSize(w, self.heightForWidth(w))

    def minimumSizeHint(self) -> QSize:
        """Smallest size (Qt hook)."""
        return QSize(40, self.heightForWidth(max(120, self.width())))

    def resizeEvent(self, event: Any) -> None:
        """Re-wrap when the width changes (Qt hook)."""
        super().resizeEvent(event)
        if self.height() != self.heightForWidth(self.width()):
            self.updateGeometry()

    def paintEvent(self, _event: Any) -> None:
        """Samples and names, centred row by row (Qt hook)."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetricsF(self.font())
        line = fm.height() + 4
        y = 2.0
        for row in self._rows(max(40.0, self.width() - 8.0)):
            total = sum(w for _e, w in row) + self.SPACING * (len(row) - 1)
            x = max(4.0, (self.width() - total) / 2)
            for entry, w in row:
                sample = QRectF(x, y + (line - self.SAMPLE) / 2, self.SAMPLE, self.SAMPLE)
                self._draw_sample(painter, sample, entry)
                painter.setPen(self._theme.foreground)
                text_rect = QRectF(
                    x + self.SAMPLE + self.GAP, y, w - self.SAMPLE - self.GAP + 2, line
                )
                painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignVCenter), entry.text)
                x += w + self.SPACING
            y += line
        painter.end()

    def _draw_sample(self, painter: QPainter, rect: QRectF, entry: LegendEntry) -> None:
        if entry.swatch is Swatch.RANGE:
            pen = QPen(entry.colour, 1.5)
            painter.setPen(pen)
            cx = rect.center().x()
            painter.drawLine(QPointF(cx, rect.top()), QPointF(cx, rect.bottom()))
            painter.drawLine(
                QPointF(rect.left() + 2, rect.top()), QPointF(rect.right() - 2, rect.top())
            )
            painter.drawLine(
                QPointF(rect.left() + 2, rect.bottom()), QPointF(rect.right() - 2, rect.bottom())
            )
            return
        if entry.swatch in (Swatch.LINE, Swatch.DASHED):
            dashed = entry.swatch is Swatch.DASHED
            pen = QPen(entry.colour, 2.0, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
            painter.setPen(pen)
            mid = rect.center().y()
            painter.drawLine(QPointF(rect.left() - 3, mid), QPointF(rect.right() + 3, mid))
            painter.setPen(QPen(entry.colour, 1.5))
            painter.setBrush(self._theme.background if dashed else entry.colour)
            painter.drawEllipse(rect.center(), 3.5, 3.5)
            return
        if entry.swatch is Swatch.BAND:
            fill = QColor(entry.colour)
            fill.setAlpha(70)
            painter.setPen(QPen(entry.colour, 1.2, Qt.PenStyle.DashLine))
            painter.setBrush(fill)
            painter.drawRect(rect)
            return
        painter.setPen(QPen(entry.colour, 1.0))
        if entry.swatch is Swatch.HATCH:
            painter.setBrush(tint_brush(entry.colour, self._theme))
            painter.drawRect(rect)
            painter.setBrush(hatch_brush(entry.colour, self._theme))
            painter.drawRect(rect)
        else:
            painter.setBrush(entry.colour)
            painter.drawRect(rect)
