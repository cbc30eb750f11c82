"""One fixed, colour-blind-safe palette, and light/dark chart colours read from a QPalette.

The series colours are Okabe & Ito's (2008) set without black. A name keeps its colour in every
chart and every run: known categories, regions and suppliers have fixed slots; any other name
gets a slot from a CRC-32 of its case-folded text (Python's ``hash()`` is salted per process).
Unknown names hash over the seven colours and a darker shade of each (fourteen slots, so two
unknown suppliers side by side rarely share a colour; the shades differ in lightness, which
colour-blind readers see too).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPalette, QPen

#: Okabe–Ito, black left out (it is the text colour on light backgrounds).
OKABE_ITO: tuple[str, ...] = (
    "#E69F00",  # 0 orange
    "#56B4E9",  # 1 sky blue
    "#009E73",  # 2 bluish green
    "#F0E442",  # 3 yellow
    "#0072B2",  # 4 blue
    "#D55E00",  # 5 vermillion
    "#CC79A7",  # 6 reddish purple
)
#: For "Other" and anything that is deliberately not a series.
NEUTRAL = "#999999"

#: Fixed slots (index into OKABE_ITO, or -1 for NEUTRAL), unique within each kind of name.
KNOWN_SLOTS: dict[str, int] = {
    # categories
    "ai chips": 4,
    "model-training capacity": 0,
    "data centres": 2,
    "networking": 6,
    "power": 3,
    "other": -1,
    # regions
    "china": 5,
    "overseas": 1,
    "united states": 4,
    "global": 2,
    # suppliers
    "nvidia": 2,
    "huawei": 5,
    "cambricon": 1,
    "amd": 6,
    "intel": 4,
    "google": 3,
    "t-head": 0,
}

#: Company-comparison series (not names, so they take fixed colours of their own).
SPEND_SERIES = OKABE_ITO[4]
UNITS_SERIES = OKABE_ITO[6]


#: How much darker the second shade of each colour is (towards black).
SHADE = 0.38


def slot_for(name: str) -> int:
    """Palette slot of *name*: fixed for known names (0..6, or -1 for neutral), a stable hash
    slot for others (0..13; 7..13 are the darker shades)."""
    key = name.strip().casefold()
    if key in KNOWN_SLOTS:
        return KNOWN_SLOTS[key]
    return zlib.crc32(key.encode("utf-8")) % (2 * len(OKABE_ITO))


def colour_for(name: str) -> QColor:
    """The series colour of a category, region or supplier name."""
    slot = slot_for(name)
    if slot < 0:
        return QColor(NEUTRAL)
    base = QColor(OKABE_ITO[slot % len(OKABE_ITO)])
    return base if slot < len(OKABE_ITO) else mix(base, QColor("black"), SHADE)


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """*a* blended towards *b* by t (0 = a, 1 = b)."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


def is_dark(palette: QPalette) -> bool:
    """True for a dark colour scheme (window background darker than mid-grey)."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


@dataclass(frozen=True)
class ChartTheme:
    """The non-series colours of a chart, for one light or dark palette."""

    dark: bool
    background: QColor
    foreground: QColor
    muted: QColor  # secondary text, leader lines
    grid: QColor
    warning: QColor  # text of "no CNY rate" notes
    separator: QColor  # thin line between stacked segments and slices

    @classmethod
    def from_palette(cls, palette: QPalette) -> ChartTheme:
        """Colours that read well on *palette* (the widget's, so dark mode follows the app)."""
        dark = is_dark(palette)
        background = palette.color(QPalette.ColorRole.Base)
        if dark == (background.lightness() >= 128):  # Base that disagrees with Window: trust Window
            background = palette.color(QPalette.ColorRole.Window)
        foreground = palette.color(QPalette.ColorRole.Text)
        if abs(foreground.lightness() - background.lightness()) < 90:
            foreground = QColor("#f0f0f0" if dark else "#1a1a1a")
        return cls(
            dark=dark,
            background=background,
            foreground=foreground,
            muted=mix(foreground, background, 0.4),
            grid=mix(foreground, background, 0.85),
            warning=QColor("#F5B041" if dark else "#A04000"),
            separator=background,
        )

    def pen(self, colour: QColor, width: float = 1.0) -> QPen:
        """A cosmetic pen (same width in pixels whatever the view scale)."""
        pen = QPen(colour)
        pen.setWidthF(width)
        pen.setCosmetic(True)
        return pen


def solid_brush(colour: QColor) -> QBrush:
    """A plain fill."""
    return QBrush(colour)


def tint_brush(colour: QColor, theme: ChartTheme) -> QBrush:
    """The pale fill under a hatch: the colour faded towards the background."""
    return QBrush(mix(colour, theme.background, 0.62 if theme.dark else 0.72))


def hatch_brush(colour: QColor, theme: ChartTheme) -> QBrush:
    """Diagonal hatching in the series colour (lifted on dark backgrounds): estimates, plans."""
    lines = mix(colour, QColor("white"), 0.35) if theme.dark else colour
    return QBrush(lines, Qt.BrushStyle.BDiagPattern)
