"""The renderer behind every chart export, checked on a plain pyqtgraph plot."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QColor, QGuiApplication, QImage
from pytestqt.qtbot import QtBot

from capex_gui.errors import CapexError
from capex_gui.export.render import (
    ExportFormat,
    ExportOptions,
    copy_to_clipboard,
    export_chart,
    layout_factor,
)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def plot(qtbot: QtBot) -> pg.PlotWidget:
    widget = pg.PlotWidget(background="w")
    qtbot.addWidget(widget)
    widget.addItem(pg.BarGraphItem(x=[1, 2, 3], height=[3, 1, 2], width=0.6, brush="#0072B2"))
    widget.setTitle("Bars for the test", color="k")
    return widget


def _non_blank(image: QImage) -> int:
    """How many distinct colours a sample grid of the image holds."""
    colours = {
        image.pixel(x, y)
        for x in range(0, image.width(), max(1, image.width() // 60))
        for y in range(0, image.height(), max(1, image.height() // 40))
    }
    return len(colours)


@pytest.mark.parametrize(("w", "h", "scale"), [(1920, 1080, 1.0), (800, 600, 1.0), (640, 360, 2.0)])
def test_png_has_the_exact_size_and_is_not_blank(
    plot: pg.PlotWidget, tmp_path: Path, w: int, h: int, scale: float
) -> None:
    out = export_chart(
        plot,
        tmp_path / "c.png",
        ExportOptions(
            ExportFormat.PNG,
            w,
            h,
            scale,
            title="Title",
            footnote="Source: FT",
            metadata={"Chart": "test"},
        ),
    )
    image = QImage(str(out))
    assert (image.width(), image.height()) == (round(w * scale), round(h * scale))
    assert _non_blank(image) >= 3
    assert image.text("Chart") == "test"


def test_transparent_png_keeps_transparent_corners(plot: pg.PlotWidget, tmp_path: Path) -> None:
    plot.setBackground(None)
    out = export_chart(
        plot, tmp_path / "t.png", ExportOptions(ExportFormat.PNG, 400, 300, transparent=True)
    )
    assert QImage(str(out)).pixelColor(1, 1).alpha() == 0


def test_svg_is_valid_vector_with_text_and_metadata(plot: pg.PlotWidget, tmp_path: Path) -> None:
    out = export_chart(
        plot,
        tmp_path / "c.svg",
        ExportOptions(
            ExportFormat.SVG,
            1920,
            1080,
            title="Spend by year",
            footnote="Source: FT",
            metadata={"Currency": "USD"},
        ),
    )
    root = ET.parse(out).getroot()
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "Spend by year" in texts and "Bars for the test" in texts and "Source: FT" in texts
    assert len(list(root.iter(f"{SVG}rect"))) >= 3  # the bars are shapes, not a bitmap
    assert not list(root.iter(f"{SVG}image"))
    meta = root.find(f"{SVG}metadata")
    assert meta is not None and json.loads(meta.text or "")["Currency"] == "USD"
    # no group scales cosmetic strokes by the data transform (librsvg would paint them huge)
    for group in root.iter(f"{SVG}g"):
        m = re.match(r"matrix\(([-\d.e]+),[-\d.e]+,[-\d.e]+,([-\d.e]+)", group.get("transform", ""))
        if m and any(child.get("vector-effect") for child in group):
            assert abs(float(m.group(1))) <= 5 and abs(float(m.group(2))) <= 5


@pytest.mark.skipif(
    shutil.which("rsvg-convert") is None, reason="rsvg-convert is installed by .ci/run"
)
def test_svg_renders_in_librsvg_like_the_png(plot: pg.PlotWidget, tmp_path: Path) -> None:
    svg = export_chart(plot, tmp_path / "c.svg", ExportOptions(ExportFormat.SVG, 960, 540))
    png = export_chart(plot, tmp_path / "c.png", ExportOptions(ExportFormat.PNG, 960, 540))
    subprocess.run(["rsvg-convert", str(svg), "-o", str(tmp_path / "r.png")], check=True)
    rendered, direct = QImage(str(tmp_path / "r.png")), QImage(str(png))
    assert (rendered.width(), rendered.height()) == (960, 540)
    # the same picture: compare a grid of pixels, allowing antialiasing differences
    same = total = 0
    for x in range(10, 950, 20):
        for y in range(10, 530, 20):
            a, b = rendered.pixelColor(x, y), direct.pixelColor(x, y)
            total += 1
            same += (
                abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 60
            )
    assert same / total > 0.97


def test_pdf_is_one_vector_page_with_metadata(plot: pg.PlotWidget, tmp_path: Path) -> None:
    out = export_chart(
        plot,
        tmp_path / "c.pdf",
        ExportOptions(
            ExportFormat.PDF,
            1920,
            1080,
            title="Spend",
            metadata={"Software": "AI Capex Tracker 0.1"},
        ),
    )
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 1
    assert b"AI Capex Tracker 0.1" in data  # creator in the document info
    assert b"/Subtype /Image" not in data  # vectors, not a picture


def test_a4_pdf_page(plot: pg.PlotWidget, tmp_path: Path) -> None:
    out = export_chart(plot, tmp_path / "a4.pdf", ExportOptions(ExportFormat.PDF, a4_page=True))
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", out.read_bytes())
    assert box is not None
    assert (round(float(box.group(1))), round(float(box.group(2)))) == (842, 595)


def test_bad_requests_write_nothing(plot: pg.PlotWidget, tmp_path: Path) -> None:
    with pytest.raises(CapexError, match="does not exist"):
        export_chart(plot, tmp_path / "nope" / "c.png", ExportOptions())
    with pytest.raises(CapexError, match="between 16 and 20000"):
        ExportOptions(width=5)
    with pytest.raises(CapexError, match="cannot tell the format"):
        ExportFormat.from_path(tmp_path / "c.gif")
    assert list(tmp_path.iterdir()) == []


def test_layout_scales_up_instead_of_thinning() -> None:
    assert layout_factor(800, 600) == 1.0
    assert layout_factor(1920, 1080) == 1.5
    assert layout_factor(3840, 2160) == 3.0


def test_clipboard_holds_png_and_svg(plot: pg.PlotWidget) -> None:
    copy_to_clipboard(plot, ExportOptions(width=640, height=360))
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.hasImage()
    assert bytes(mime.data("image/svg+xml").data()).lstrip().startswith(b"<?xml")


def _text_bands(image: QImage, top: int, bottom: int) -> list[tuple[int, int]]:
    """Runs of rows between *top* and *bottom* holding dark (text) pixels."""
    bands: list[tuple[int, int]] = []
    start = None
    for y in range(top, bottom):
        dark = any(QColor(image.pixel(x, y)).lightness() < 160 for x in range(0, image.width(), 2))
        if dark and start is None:
            start = y
        elif not dark and start is not None:
            bands.append((start, y))
            start = None
    if start is not None:
        bands.append((start, bottom))
    return bands


def test_a_long_footnote_wraps_into_room_of_its_own(plot: pg.PlotWidget, tmp_path: Path) -> None:
    """A footnote that wraps to several lines gets room for all of them: the last is not cut
    off at the image's bottom edge (every line is as tall as the first), and the chart above
    ends before the footnote starts."""
    note = "Sources: " + "; ".join(f"Analyst report number {i}, 2025" for i in range(14)) + "."
    out = export_chart(
        plot, tmp_path / "c.png", ExportOptions(ExportFormat.PNG, 800, 600, 1.0, footnote=note)
    )
    image = QImage(str(out))
    bands = _text_bands(image, image.height() // 2, image.height())
    lines = [bands[-1]]  # the footnote: the lowest block of lines a few pixels apart
    for band in reversed(bands[:-1]):
        if lines[0][0] - band[1] > 6:
            break
        lines.insert(0, band)
    assert len(lines) >= 3, bands
    heights = [b - a for a, b in lines]
    assert max(heights) - min(heights) <= 2, lines  # none cut short
    assert lines[-1][1] < image.height() - 2  # the last line is whole
    assert lines[0][0] > image.height() * 3 // 4 - 2  # at most a quarter of the height
