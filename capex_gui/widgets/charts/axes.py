"""Chart axes: value axes in B/M/k units, and a bottom axis that names bars in full.

The bar axis never cuts a name short: a name that does not fit its bar's slot is wrapped onto
two lines, and if that does not do either, every name is turned 45° (or 90° when the bars are
very close). Group names (a company under its years) that do not fit are merged into the bar
names instead ("ByteDance 2025"). Only a name longer than 30% of the chart's height is ever
shortened, and then its full text is the tooltip.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPolygonF, QTransform

if TYPE_CHECKING:
    from collections.abc import Sequence

_UNITS = ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "k"))


def scaled_ticks(values: Sequence[float], spacing: float) -> list[str]:
    """Tick labels in one unit for the whole axis: 0, 2B, 4B / 0, 250M, 500M."""
    top = max((abs(v) for v in values), default=0.0)
    unit, suffix = next(((u, s) for u, s in _UNITS if top >= u), (1, ""))
    step = spacing / unit
    places = 0 if step >= 1 or step <= 0 else min(6, math.ceil(-math.log10(step) - 1e-9))
    out = []
    for v in values:
        if abs(v) < spacing * 1e-6:
            out.append("0")
        else:
            out.append(f"{v / unit:,.{places}f}{suffix}")
    return out


class ScaledAxis(pg.AxisItem):
    """A value axis whose ticks read 0, 2B, 4B (or 0, 100k, 200k units)."""

    def __init__(self, orientation: str = "left") -> None:
        super().__init__(orientation)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        """Labels in B/M/k units (pyqtgraph hook)."""
        return scaled_ticks([v * scale for v in values], spacing * scale)


@dataclass(frozen=True)
class BarLabel:
    """What the category axis writes under one bar."""

    x: float
    text: str
    #: the name with its group's, for when group names do not fit ("ByteDance 2025")
    long_text: str = ""


@dataclass(frozen=True)
class GroupLabel:
    """A name written once under a run of bars (a company under its years)."""

    x0: float
    x1: float
    text: str


class LabelMode(Enum):
    """How the bar names are laid out."""

    FLAT = "flat"  # one line each
    WRAPPED = "wrapped"  # up to two lines each
    ROTATED = "rotated"  # turned 45° or 90°


@dataclass(frozen=True)
class _Layout:
    mode: LabelMode
    angle: float  # degrees, ROTATED only
    groups: bool  # group names in a row of their own
    group_lines: int
    bar_height: float
    texts: tuple[str, ...]  # what each bar shows, in full
    shown: tuple[str, ...]  # what each bar shows, as drawn (shortened only past the cap)
    height: int


#: Space above the names, and below them.
_TOP = 6.0
_BOTTOM = 4.0
#: Turned names may take at most this share of the chart's height.
_MAX_SHARE = 0.3


class BarAxis(pg.AxisItem):
    """A bottom axis that names bars (and groups of bars) in full: wrapped or turned, not cut."""

    def __init__(self) -> None:
        super().__init__("bottom")
        self._bars: list[BarLabel] = []
        self._groups: list[GroupLabel] = []
        self._slot = 1.0
        self._font = QFont()
        self._layout: _Layout | None = None
        self._hits: list[tuple[QPolygonF, str]] = []  # shortened names: where, and in full
        self.setStyle(showValues=False, tickLength=0)
        self.setAcceptHoverEvents(True)

    # -- what the charts call ---------------------------------------------------------------
    def set_font(self, font: QFont) -> None:
        """Font of the bar and group names."""
        self._font = QFont(font)
        self._relayout()

    def set_labels(
        self, bars: Sequence[BarLabel], groups: Sequence[GroupLabel] = (), slot: float = 1.0
    ) -> None:
        """Names under bars (slot = the x distance one bar may use) and under groups."""
        self._bars = sorted(bars, key=lambda b: b.x)
        self._groups, self._slot = list(groups), slot
        self._relayout()

    def labels(self) -> list[str]:
        """The bar names, left to right, in full (for tests)."""
        if self._layout is not None:
            return list(self._layout.texts)
        return [b.text for b in self._bars]

    def bar_labels(self) -> list[BarLabel]:
        """The bars named, left to right, with their x (for tests)."""
        return list(self._bars)

    def shown_labels(self) -> list[str]:
        """The bar names as drawn, left to right (for tests: equal to labels() unless a name
        is longer than the cap, or the bars are too close to name each: then every few is
        named and the others are blank)."""
        if self._layout is not None:
            return list(self._layout.shown)
        return [b.text for b in self._bars]

    def group_labels(self) -> list[str]:
        """The group names drawn in their own row (empty when merged into the bar names)."""
        if self._layout is None or not self._layout.groups:
            return []
        return [g.text for g in self._groups]

    def mode(self) -> LabelMode:
        """How the names are laid out now."""
        return self._layout.mode if self._layout else LabelMode.FLAT

    def angle(self) -> float:
        """Degrees the names are turned (0 unless rotated)."""
        return self._layout.angle if self._layout else 0.0

    # -- layout ------------------------------------------------------------------------------
    def resizeEvent(self, ev: Any = None) -> None:
        """Fit the names to the new width (pyqtgraph/Qt hook)."""
        super().resizeEvent(ev)
        self._relayout()

    def setRange(self, mn: float, mx: float) -> None:
        """Fit the names to the new x range (pyqtgraph hook)."""
        super().setRange(mn, mx)
        self._relayout()

    def _per_unit(self) -> float:
        lo, hi = self.range
        width = self.geometry().width()
        return width / (hi - lo) if hi > lo and width > 0 else 0.0

    def _cap(self) -> float:
        """How tall turned names may be: a share of the whole chart's height."""
        scene = self.scene()
        height = scene.sceneRect().height() if scene is not None else 0.0
        return height * _MAX_SHARE if height > 0 else 1e9

    def _relayout(self) -> None:
        per_unit = self._per_unit()
        if per_unit <= 0:
            return
        fm = QFontMetricsF(self._font)
        bold = QFont(self._font)
        bold.setBold(True)
        fmb = QFontMetricsF(bold)
        line = fm.height()
        group_lines = 0
        room = [w * per_unit - 4 for w in self._group_room()]
        for lines in (1, 2):
            if self._groups and all(
                _fits(fmb, g.text, r, lines) for g, r in zip(self._groups, room, strict=True)
            ):
                group_lines = lines
                break
        use_groups = bool(self._groups) and group_lines > 0
        texts = tuple(
            b.text if use_groups or not self._groups else (b.long_text or b.text)
            for b in self._bars
        )
        slot_px = max(8.0, self._slot * per_unit - 4)
        widths = [fm.horizontalAdvance(t) for t in texts]
        angle = 0.0
        shown = texts
        if all(w <= slot_px for w in widths):
            mode, bar_height = LabelMode.FLAT, line
        elif all(_fits(fm, t, slot_px, 2) for t in texts):
            mode, bar_height = LabelMode.WRAPPED, 2 * line
        else:
            mode = LabelMode.ROTATED
            # 45° reads best, but a name must not run off the chart's left edge: else 90°
            angle = 45.0 if slot_px >= 1.5 * line and self._room_left(widths, line) else 90.0
            sin, cos = math.sin(math.radians(angle)), math.cos(math.radians(angle))
            longest = max(widths, default=0.0)
            cap = self._cap()
            if longest * sin + line * cos > cap:  # only names past 30% of the chart are cut
                length = max(line, (cap - line * cos) / sin)
                shown = tuple(fm.elidedText(t, Qt.TextElideMode.ElideRight, length) for t in texts)
                longest = max(fm.horizontalAdvance(t) for t in shown)
            bar_height = longest * sin + line * cos + 2
            shown = _thinned(shown, self._slot * per_unit, line / sin)
        if not self._bars:
            bar_height = line
        height = round(_TOP + bar_height + group_lines * fmb.height() + _BOTTOM)
        layout = _Layout(mode, angle, use_groups, group_lines, bar_height, texts, shown, height)
        if layout != self._layout:
            self.prepareGeometryChange()  # the bounding rect follows the layout
            self._layout = layout
            if self.fixedHeight != height:
                self.setHeight(height)
            self.picture = None
            self.update()

    def _group_room(self) -> list[float]:
        """Width (x units) each group name may use, centred on its group: its bars and half
        the gap to each neighbouring group."""
        groups = self._groups
        lo, hi = self.range
        bounds = [lo] + [(a.x1 + b.x0) / 2 for a, b in itertools.pairwise(groups)] + [hi]
        room = []
        for i, g in enumerate(groups):
            centre = (g.x0 + g.x1) / 2
            left = max(bounds[i], g.x0 - 0.5) if i == 0 else bounds[i]
            right = min(bounds[i + 1], g.x1 + 0.5) if i == len(groups) - 1 else bounds[i + 1]
            room.append(max(g.x1 - g.x0, 2 * min(centre - left, right - centre)))
        return room

    def _room_left(self, widths: Sequence[float], line: float) -> bool:
        """True when every name turned 45° ends right of the scene's left edge."""
        lo, _hi = self.range
        per_unit = self._per_unit()
        bounds = self.mapRectFromParent(self.geometry())
        cos45 = math.cos(math.radians(45))
        for bar, width in zip(self._bars, widths, strict=True):
            cx = bounds.left() + (bar.x - lo) * per_unit
            if self.mapToScene(QPointF(cx - (width + line) * cos45, 0)).x() < 0:
                return False
        return True

    def boundingRect(self) -> QRectF:
        """Room for names turned 45° that reach left of the axis (Qt hook)."""
        rect = super().boundingRect()
        layout = self._layout
        if layout is None or layout.mode is not LabelMode.ROTATED:
            return rect
        fm = QFontMetricsF(self._font)
        longest = max((fm.horizontalAdvance(t) for t in layout.shown), default=0.0)
        reach = (longest + fm.height()) * math.cos(math.radians(layout.angle))
        return rect.adjusted(-reach, 0, 0, 0)

    # -- drawing -----------------------------------------------------------------------------
    def drawPicture(self, p: QPainter, axisSpec: Any, tickSpecs: Any, textSpecs: Any) -> None:
        """Draw the axis line, then each bar's name and each group's name (pyqtgraph hook)."""
        super().drawPicture(p, axisSpec, (), ())
        layout = self._layout
        lo, hi = self.range
        if hi <= lo or layout is None:
            return
        bounds = self.mapRectFromParent(self.geometry())
        per_unit = bounds.width() / (hi - lo)
        fm = QFontMetricsF(self._font)
        p.setFont(self._font)
        p.setPen(self.textPen())
        line = fm.height()
        top = bounds.top() + _TOP
        slot_px = max(8.0, self._slot * per_unit - 4)
        hits: list[tuple[QPolygonF, str]] = []
        centre = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        keep = int(Qt.TextFlag.TextDontClip)
        for bar, text, shown in zip(self._bars, layout.texts, layout.shown, strict=True):
            if not lo <= bar.x <= hi:
                continue
            cx = bounds.left() + (bar.x - lo) * per_unit
            if layout.mode is LabelMode.ROTATED:
                cos = math.cos(math.radians(layout.angle))
                transform = QTransform()
                transform.translate(cx, top + line / 2 * cos)
                transform.rotate(-layout.angle)
                width = fm.horizontalAdvance(shown)
                rect = QRectF(-width - 1, -line / 2, width + 1, line)
                p.save()
                p.setTransform(transform, True)
                flags = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                p.drawText(rect, flags | keep, shown)
                p.restore()
                if shown and shown != text:
                    hits.append((transform.map(QPolygonF(rect)), text))
            elif layout.mode is LabelMode.WRAPPED:
                rect = QRectF(cx - slot_px / 2, top, slot_px, 2 * line)
                p.drawText(rect, centre | int(Qt.TextFlag.TextWordWrap) | keep, text)
            else:
                rect = QRectF(cx - slot_px / 2, top, slot_px, line)
                p.drawText(rect, centre | keep, text)
        self._hits = hits
        if not layout.groups:
            return
        bold = QFont(self._font)
        bold.setBold(True)
        p.setFont(bold)
        group_top = top + layout.bar_height
        lines = layout.group_lines
        for group, room in zip(self._groups, self._group_room(), strict=True):
            mid = bounds.left() + ((group.x0 + group.x1) / 2 - lo) * per_unit
            width = max(8.0, room * per_unit - 4)
            rect = QRectF(mid - width / 2, group_top, width, lines * line)
            p.drawText(rect, centre | int(Qt.TextFlag.TextWordWrap) | keep, group.text)

    # -- tooltips for shortened names ------------------------------------------------------
    def hoverEvent(self, ev: Any) -> None:
        """Show a shortened name in full under the pointer (pyqtgraph hook)."""
        if ev.isExit():
            self.setToolTip("")
            return
        pos = ev.pos()
        text = next(
            (full for poly, full in self._hits if poly.containsPoint(pos, Qt.FillRule.OddEvenFill)),
            "",
        )
        self.setToolTip(text)


def _thinned(texts: tuple[str, ...], spacing: float, across: float) -> tuple[str, ...]:
    """Every k-th of *texts* (the others blank) so that turned names *across* pixels wide, at
    *spacing* pixels from bar to bar, do not overlap (a crowded chart names every few bars)."""
    step = max(1, math.ceil((across + 1) / spacing)) if spacing > 0 else 1
    if step == 1:
        return texts
    return tuple(t if i % step == 0 else "" for i, t in enumerate(texts))


def _fits(fm: QFontMetricsF, text: str, width: float, lines: int) -> bool:
    """True when *text* fits *width* pixels in at most *lines* lines, breaking between words."""
    if width <= 0:
        return False
    if lines == 1:
        return fm.horizontalAdvance(text) <= width
    flags = int(Qt.TextFlag.TextWordWrap)
    rect = fm.boundingRect(QRectF(0, 0, width, 1e6), flags, text)
    return rect.width() <= width + 0.5 and rect.height() <= lines * fm.height() + 0.5
