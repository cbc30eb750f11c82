"""Read back what a chart draws: bar rectangles from its plot items, wedge angles from its path
items, and bar heights measured in an exported PNG. Independent of the figures the chart was
given: a chart that computes the right numbers but draws them wrong fails these."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF

from capex_gui.widgets.charts.supplier_chart import OUTER

if TYPE_CHECKING:
    import pyqtgraph as pg
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QGraphicsPathItem


@dataclass(frozen=True)
class Rect:
    """One drawn bar (or stacked segment), in data units."""

    x: float
    bottom: float
    top: float


def bar_rects(*items: pg.BarGraphItem) -> list[Rect]:
    """Every rectangle the bar items draw, left to right, bottom to top."""
    out = []
    for item in items:
        opts = item.opts
        xs = np.atleast_1d(np.asarray(opts.get("x"), dtype=float))
        y0 = np.atleast_1d(np.asarray(opts.get("y0"), dtype=float))
        heights = np.atleast_1d(np.asarray(opts.get("height"), dtype=float))
        if y0.size == 1 and xs.size > 1:
            y0 = np.full(xs.size, y0[0])
        for x, bottom, height in zip(xs, y0, heights, strict=True):
            out.append(Rect(float(x), float(bottom), float(bottom + height)))
    return sorted(out, key=lambda r: (r.x, r.bottom))


def bar_tops(*items: pg.BarGraphItem) -> dict[float, float]:
    """x -> the top of the stack drawn there (checks that segments stack without gaps)."""
    stacks: dict[float, list[Rect]] = {}
    for rect in bar_rects(*items):
        stacks.setdefault(rect.x, []).append(rect)
    tops = {}
    for x, rects in stacks.items():
        rects.sort(key=lambda r: r.bottom)
        assert rects[0].bottom == 0, f"the bar at {x} does not start at 0"
        for below, above in itertools.pairwise(rects):
            assert math.isclose(below.top, above.bottom, rel_tol=1e-9), f"gap in the bar at {x}"
        tops[x] = rects[-1].top
    return tops


@dataclass(frozen=True)
class Wedge:
    """One drawn wedge: where it starts and how much of the ring it covers (fractions of the
    circle, clockwise from 12 o'clock), found by probing the path item round the ring."""

    start: float
    fraction: float


#: Probes round the ring: wedge angles are measured to 1/STEPS of a turn.
STEPS = 2000


def wedge(item: QGraphicsPathItem) -> Wedge:
    """Measure a wedge path item of the supplier chart at mid-ring."""
    path = item.path()
    radius = (OUTER[0] + OUTER[1]) / 2
    inside = []
    for k in range(STEPS):
        angle = math.pi / 2 - 2 * math.pi * (k + 0.5) / STEPS  # clockwise from 12 o'clock
        inside.append(path.contains(QPointF(radius * math.cos(angle), radius * math.sin(angle))))
    covered = sum(inside)
    if covered in (0, STEPS):
        return Wedge(0.0, covered / STEPS)
    # the wedge starts where an uncovered probe is followed by a covered one
    start = next(k for k in range(STEPS) if inside[k] and not inside[k - 1])
    return Wedge(start / STEPS, covered / STEPS)


def colour_runs(image: QImage, colour: str, tolerance: int = 6) -> dict[int, int]:
    """Column x -> how many pixels of *colour* it holds (bars are solid fills)."""
    from tests.export.browser import pixels

    rgb = pixels(image)
    want = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.int16)
    hits = (np.abs(rgb - want).max(axis=2) <= tolerance).sum(axis=0)
    return {x: int(n) for x, n in enumerate(hits) if n}
