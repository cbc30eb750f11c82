"""Pieces every chart shares: the base widget, number formats, label fitting.

Axes live in ``axes.py`` and the legend in ``legend.py``; both are re-exported here.
"""

from __future__ import annotations

import html
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Any

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QFont, QPainter
from PySide6.QtWidgets import QLabel, QToolTip, QVBoxLayout, QWidget

from capex_gui.domain.money import EXACT
from capex_gui.domain.parsing import format_amount
from capex_gui.widgets.charts.axes import (
    BarAxis,
    BarLabel,
    GroupLabel,
    LabelMode,
    ScaledAxis,
    scaled_ticks,
)
from capex_gui.widgets.charts.legend import ChartLegend, LegendEntry, Swatch
from capex_gui.widgets.charts.palette import ChartTheme

if TYPE_CHECKING:
    from collections import Counter
    from collections.abc import Sequence

    from capex_gui.domain.analytics import SpendLedger
    from capex_gui.domain.fx import FxTable
    from capex_gui.widgets.charts.chart_data import ChartData

#: Symbols worth using in compact labels; other currencies keep their code ("CNY 40B").
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}

#: Tooltips list at most this many sources, then "and N more".
MAX_SOURCES = 4


def compact_money(value: Decimal, currency: str) -> str:
    """Compact label, three significant digits: "$12.3B", "CNY 40B"."""
    body = format_amount(value, compact=True)
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{body}" if symbol else f"{currency} {body}"


def exact_money(value: Decimal, currency: str) -> str:
    """The exact figure, for tooltips: "USD 12,302,063,273.73"."""
    return format_amount(value, currency)


def percent(share: Decimal, places: int = 1) -> str:
    """0.6 -> "60%", 0.4472 -> "44.7%": trailing ".0" dropped."""
    text = f"{float(share) * 100:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def plural(n: int, word: str) -> str:
    """*n* and *word*, plural when needed: "1 order", "3 orders"."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def sources_html(counter: Counter[str] | None) -> str:
    """The sources behind a figure, for a tooltip: "Sources: FT (2), Reuters"."""
    if not counter:
        return "Sources: none recorded"
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    parts = [html.escape(name) + (f" ({n})" if n > 1 else "") for name, n in ranked[:MAX_SOURCES]]
    if len(ranked) > MAX_SOURCES:
        parts.append(f"and {len(ranked) - MAX_SOURCES} more")
    label = "Source" if len(ranked) == 1 else "Sources"
    return f"{label}: " + ", ".join(parts)


def spend_rate_gaps(
    ledger: SpendLedger, fx: FxTable, currency: str
) -> dict[tuple[str, int], dict[str, int]]:
    """(company, year) -> {"no CNY rate for 2026": rows}: spend that cannot be converted.

    A bar with any such rows is not drawn at all: a partial total would be a wrong bar.
    """
    gaps: dict[tuple[str, int], dict[str, int]] = {}
    for (key, cur), n in ledger.counts.items():
        for code in (cur, currency):
            if not fx.has_rate(code, key.year):
                reason = f"no {code} rate for {key.year}"
                per = gaps.setdefault((key.company, key.year), {})
                per[reason] = per.get(reason, 0) + n
                break
    return gaps


def group_gap_warnings(gaps: dict[tuple[str, int], dict[str, int]]) -> tuple[str, ...]:
    """One line per missing rate: "No CNY rate for 2026: Alibaba, Baidu not drawn for 2026
    (4 figures). Add the rate under FX rates." """
    by_reason: dict[str, list[tuple[str, int, int]]] = {}
    for (company, year), per in gaps.items():
        for reason, n in per.items():
            by_reason.setdefault(reason, []).append((company, year, n))
    lines = []
    for reason, hits in sorted(by_reason.items()):
        companies = ", ".join(sorted({c for c, _y, _n in hits}))
        years = ", ".join(str(y) for y in sorted({y for _c, y, _n in hits}))
        n = sum(k for _c, _y, k in hits)
        lines.append(
            f"{reason[0].upper()}{reason[1:]}: {companies} not drawn for {years} "
            f"({plural(n, 'figure')}). Add the rate under FX rates."
        )
    return tuple(lines)


def round_significant(value: Decimal, digits: int) -> Decimal:
    """*value* rounded to *digits* significant digits (5.0937e9 -> 5.1e9)."""
    if not value or not value.is_finite():
        return value
    with localcontext(EXACT):
        return value.quantize(Decimal(1).scaleb(value.adjusted() - digits + 1))


# -- base -----------------------------------------------------------------------------------
class ChartBase(QWidget):
    """Title, warning line, plot, legend; redraws once per burst, and only while visible.

    A hidden chart marks itself stale and catches up when shown (or when its figures are read).
    """

    #: A filter request (dict) for the rows behind a clicked bar segment or slice.
    segment_clicked = Signal(object)
    #: The chart redrew (its figures and plot items are current).
    redrawn = Signal()

    def __init__(self, data: ChartData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self._stale = True
        self._theme = ChartTheme.from_palette(self.palette())
        #: How many times the chart redrew (tests count redraws per burst).
        self.redraw_count = 0
        self.title_label = QLabel(self)
        self.title_label.setObjectName("chartTitle")
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setWordWrap(True)  # never holds a narrow chart area open
        self.notice_label = QLabel(self)
        self.notice_label.setObjectName("chartNotice")
        self.notice_label.setWordWrap(True)
        self.notice_label.setTextFormat(Qt.TextFormat.PlainText)
        self.notice_label.hide()
        self.legend = ChartLegend(self)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(10, 8, 10, 6)
        self._layout.setSpacing(4)
        self._layout.addWidget(self.title_label)
        self._layout.addWidget(self.notice_label)
        self._scale = 1.0
        self._apply_fonts()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self._refresh_if_shown)
        data.changed.connect(self._on_data_changed)

    # -- size and fonts ---------------------------------------------------------------------
    def font_scale(self) -> float:
        """Text grows a little on large charts (1.0 in a window, up to 1.45 at 1920×1080)."""
        return self._scale

    def chart_font(self, factor: float = 1.0, *, bold: bool = False) -> QFont:
        """The widget font at the chart's scale."""
        return scaled_font(self.font(), self._scale * factor, bold=bold)

    def resizeEvent(self, event: Any) -> None:
        """Rescale text when the chart becomes much larger or smaller (Qt hook)."""
        super().resizeEvent(event)
        scale = min(1.45, max(1.0, min(self.width() / 1000.0, self.height() / 640.0)))
        if abs(scale - self._scale) > 0.04:
            self._scale = scale
            self._apply_fonts()
            self._apply_theme()
            self._stale = True
            if self.isVisible():
                self.refresh()

    def _apply_fonts(self) -> None:
        self.title_label.setFont(self.chart_font(1.15, bold=True))
        self.notice_label.setFont(self.chart_font())
        self.legend.setFont(self.chart_font())

    def paintEvent(self, event: Any) -> None:
        """One surface behind title, plot and legend, in the theme's background (Qt hook)."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), self._theme.background)
        painter.end()
        super().paintEvent(event)

    # -- redraw scheduling ------------------------------------------------------------------
    def _on_data_changed(self) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def invalidate(self) -> None:
        """A selector changed: redraw on the next turn of the event loop (once for several
        changes) if shown, else when shown."""
        self._stale = True
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _refresh_if_shown(self) -> None:
        if self.isVisible():
            self.ensure_current()

    def refresh(self) -> None:
        """Recompute the figures and update the plot items (once the figures have loaded)."""
        if not self._data.loaded:
            self._stale = True  # drawn when they arrive (ChartData.changed)
            self.title_label.setText("Loading the figures…")
            return
        self._stale = False
        self.redraw_count += 1
        self._redraw()
        self.redrawn.emit()

    def ensure_current(self) -> None:
        """Redraw if something changed while the chart was hidden."""
        if self._stale:
            self.refresh()

    def showEvent(self, event: Any) -> None:
        """Catch up on changes made while hidden (Qt hook)."""
        super().showEvent(event)
        self.ensure_current()

    def changeEvent(self, event: QEvent) -> None:
        """Follow light/dark palette changes (Qt hook)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            theme = ChartTheme.from_palette(self.palette())
            if theme == self._theme:
                return
            self._theme = theme
            self.legend.set_theme(self._theme)
            self._apply_theme()
            self._stale = True
            if self.isVisible():
                self.refresh()

    @property
    def stale(self) -> bool:
        """True while the drawn figures lag behind the data (hidden chart, pending redraw)."""
        return self._stale

    @property
    def theme(self) -> ChartTheme:
        """The colours in use."""
        return self._theme

    def _redraw(self) -> None:
        raise NotImplementedError

    def _apply_theme(self) -> None:
        """Recolour what does not change with the data (axes, backgrounds)."""

    # -- helpers ----------------------------------------------------------------------------
    def _show_notices(self, lines: Sequence[str]) -> None:
        if lines:
            self.notice_label.setText("⚠ " + "\n⚠ ".join(lines))
            self.notice_label.setStyleSheet(
                f"QLabel#chartNotice {{ color: {self._theme.warning.name()}; }}"
            )
        self.notice_label.setVisible(bool(lines))

    def notices(self) -> list[str]:
        """The warning lines shown above the plot (for tests)."""
        if not self.notice_label.isVisibleTo(self):
            return []
        return [line.removeprefix("⚠ ") for line in self.notice_label.text().split("\n")]

    # -- pointer: hover tooltips and clicks in one view box ----------------------------------
    def _pointer_view(self) -> Any:
        """The view box that hover and clicks are read in (charts with one plot)."""
        raise NotImplementedError

    def _pointer_host(self) -> QWidget:
        """The widget tooltips are shown over."""
        return self

    def tooltip_at(self, x: float, y: float) -> str | None:
        """Tooltip for a point in view coordinates (None: nothing there)."""
        return None

    def filter_at(self, x: float, y: float) -> dict[str, object] | None:
        """The table filter behind a point in view coordinates (None: nothing there)."""
        return None

    def _view_point(self, scene_pos: QPointF) -> tuple[float, float] | None:
        view = self._pointer_view()
        if not view.sceneBoundingRect().contains(scene_pos):
            return None
        p = view.mapSceneToView(scene_pos)
        return p.x(), p.y()

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        point = self._view_point(scene_pos)
        self._show_tooltip(None if point is None else self.tooltip_at(*point), self._pointer_host())

    def _on_mouse_clicked(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        point = self._view_point(event.scenePos())
        wanted = None if point is None else self.filter_at(*point)
        if wanted is not None:
            self.segment_clicked.emit(wanted)

    def _show_tooltip(self, html: str | None, view: QWidget) -> None:
        if html:
            QToolTip.showText(QCursor.pos(), html, view)
        else:
            QToolTip.hideText()


def style_plot(plot: pg.PlotItem, theme: ChartTheme, font: QFont) -> None:
    """Axes, grid and text in the theme's colours; no mouse zoom or context menu."""
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.setMouseEnabled(x=False, y=False)
    plot.getViewBox().setDefaultPadding(0.0)
    for name in ("left", "bottom", "right", "top"):
        axis = plot.getAxis(name)
        # labels on a sparse level only: 0, 5B, 10B rather than every 1B
        axis.setStyle(maxTickLevel=1, textFillLimits=[(0, 0.45), (2, 0.3)])
        axis.setPen(theme.pen(theme.muted))
        axis.setTextPen(theme.pen(theme.foreground))
        axis.setTickPen(theme.pen(theme.muted))
        axis.setTickFont(font)
        if isinstance(axis, BarAxis):
            axis.set_font(font)
        axis.label.setDefaultTextColor(theme.foreground)
        axis.label.setFont(font)


def text_item(theme: ChartTheme, font: QFont, anchor: tuple[float, float]) -> pg.TextItem:
    """A label that keeps its size whatever the view scale."""
    item = pg.TextItem("", color=theme.foreground, anchor=anchor)
    item.setFont(font)
    item.textItem.document().setDocumentMargin(1)  # Qt's 4 px would make labels look wider
    return item


def fit_labels(
    items: Sequence[pg.TextItem], choices: Sequence[Sequence[tuple[str, QFont]]], slot: float
) -> None:
    """Give each label the first of its (text, font) choices that fits *slot* pixels, stepping
    all labels down together so they look alike; a label that fits none is hidden."""
    if not items:
        return
    levels = min(len(c) for c in choices)
    for level in range(levels):
        fits = []
        for item, options in zip(items, choices, strict=True):
            text, font = options[level]
            item.setText(text)
            item.setFont(font)
            fits.append(item.boundingRect().width() <= slot)
        if all(fits) or level == levels - 1:
            for item, fit in zip(items, fits, strict=True):
                item.setVisible(fit)
            return


def slot_pixels(view_box: pg.ViewBox) -> float:
    """Pixels one x unit (one bar slot) takes in *view_box*, less a little air."""
    (x0, x1), _y = view_box.viewRange()
    return float(view_box.width()) / max(1e-9, x1 - x0) - 2


def scaled_font(base: QFont, factor: float, *, bold: bool = False) -> QFont:
    """*base* scaled by factor (point or pixel size, whichever it uses)."""
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    else:
        font.setPixelSize(max(6, round(font.pixelSize() * factor)))
    font.setBold(bold)
    return font


__all__ = [
    "BarAxis",
    "BarLabel",
    "ChartBase",
    "ChartLegend",
    "GroupLabel",
    "LabelMode",
    "LegendEntry",
    "ScaledAxis",
    "Swatch",
    "scaled_ticks",
]
