"""Render a chart widget into PNG, SVG or PDF at an exact size, with title, footnote, metadata.

Why not pyqtgraph's exporters: its SVGExporter fails on every plot with Qt >= 6.11 (pyqtgraph
issue #3485: Qt's SVG paths now end in ``Z``, which its coordinate fix-up cannot split), and
exporting one small plot item upscaled costs twice as much as painting the laid-out widget. So
the one place that works around both is here: the chart widget is laid out at a *logical* size
and painted through QPainter onto QImage / QSvgGenerator / QPdfWriter, scaled to the target.
Text stays text and bars stay vector shapes, and fonts and line widths scale with the image.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QMimeData,
    QPoint,
    QRect,
    QRectF,
    QSize,
    QSizeF,
    Qt,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontInfo,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QRegion,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QGraphicsView, QWidget

from capex_gui.errors import CapexError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

#: Layout is computed at most this wide (logical pixels); larger exports are that layout scaled
#: up, so a 3840-px image has the same proportions as a 1920-px one, not thinner lines.
BASE_WIDTH = 1280
BASE_HEIGHT = 720


class ExportFormat(StrEnum):
    """File formats charts export to."""

    PNG = "png"
    SVG = "svg"
    PDF = "pdf"

    @classmethod
    def from_path(cls, path: Path) -> ExportFormat:
        """The format named by a file's extension."""
        try:
            return cls(path.suffix.lower().lstrip("."))
        except ValueError:
            raise CapexError(
                f"cannot tell the format of {path.name!r}: use .png, .svg or .pdf"
            ) from None


@dataclass(frozen=True)
class ExportOptions:
    """How to render one chart."""

    format: ExportFormat = ExportFormat.PNG
    width: int = 1920
    height: int = 1080
    scale: float = 1.0  # PNG only: pixels per logical pixel, for crisp high-DPI images
    transparent: bool = False
    title: str = ""
    footnote: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    a4_page: bool = False  # PDF only: an A4 landscape page instead of width × height

    def __post_init__(self) -> None:
        if not (16 <= self.width <= 20000 and 16 <= self.height <= 20000):
            raise CapexError("width and height must be between 16 and 20000 pixels")
        if not 0.25 <= self.scale <= 8:
            raise CapexError("the scale factor must be between 0.25 and 8")


#: How the footnote is laid out: left, from the top, wrapped between words.
_FOOT_FLAGS = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)


def layout_factor(width: int, height: int) -> float:
    """How much the logical layout is scaled up to reach width × height (≥ 1)."""
    return max(1.0, min(width / BASE_WIDTH, height / BASE_HEIGHT))


def _bands(
    width: float, height: float, options: ExportOptions, font: QFont
) -> tuple[QRectF, QRectF, QRectF]:
    """(title, chart, footnote) rectangles in logical units; the footnote as tall as its text
    wraps to (at most a quarter of the height)."""
    title_h = 44.0 if options.title else 0.0
    margin = 12.0
    foot_h = 0.0
    if options.footnote:
        wrapped = QFontMetricsF(font).boundingRect(
            QRectF(0, 0, width - 2 * margin, 1e6), _FOOT_FLAGS, options.footnote
        )
        foot_h = min(height / 4, 10.0 + max(18.0, wrapped.height()))
    title = QRectF(margin, 6, width - 2 * margin, title_h)
    chart = QRectF(0, title_h + (6 if title_h else 0), width, height - title_h - foot_h - 6)
    foot = QRectF(margin, height - foot_h, width - 2 * margin, foot_h - 4)
    return title, chart, foot


def _paint(
    painter: QPainter, widget: QWidget, width: int, height: int, options: ExportOptions
) -> None:
    """Lay *widget* out at the logical size and paint title, chart and footnote."""
    factor = layout_factor(width, height)
    lw, lh = width / factor, height / factor
    painter.save()
    painter.scale(factor, factor)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    if not options.transparent:
        painter.fillRect(QRectF(0, 0, lw, lh), QColor("white"))
    foot_font = QFont(widget.font())
    foot_font.setPixelSize(13)
    title_rect, chart_rect, foot_rect = _bands(lw, lh, options, foot_font)
    text_colour = QColor("#1a1a1a")
    if options.title:
        font = QFont(widget.font())
        font.setPixelSize(24)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(text_colour)
        painter.drawText(
            title_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            options.title,
        )
    size = QSize(max(16, round(chart_rect.width())), max(16, round(chart_rect.height())))
    _lay_out(widget, size)
    painter.save()
    painter.translate(chart_rect.topLeft())
    with _vector_mode(widget, transparent=options.transparent):
        # QWidget.render, not a QGraphicsView override: the widget and children as laid out
        QWidget.render(widget, painter, QPoint(0, 0), QRegion(), QWidget.RenderFlag.DrawChildren)
    painter.restore()
    if options.footnote:
        painter.setFont(foot_font)
        painter.setPen(QColor("#4d4d4d"))
        painter.drawText(foot_rect, _FOOT_FLAGS, options.footnote)
    painter.restore()


@contextmanager
def _vector_mode(widget: QWidget, *, transparent: bool) -> Iterator[None]:
    """Paint graphics views without their pixmap caches (so SVG/PDF get vectors, not a bitmap
    of the background) and, for transparent exports, without filled backgrounds."""
    views = [widget] if isinstance(widget, QGraphicsView) else []
    views += widget.findChildren(QGraphicsView)
    saved = []
    for view in views:
        saved.append(
            (view, view.cacheMode(), view.backgroundBrush(), view.viewport().autoFillBackground())
        )
        view.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        if transparent:
            view.setBackgroundBrush(QBrush(Qt.BrushStyle.NoBrush))
            view.viewport().setAutoFillBackground(False)
    fills = (
        [(w, w.autoFillBackground()) for w in widget.findChildren(QWidget)] if transparent else []
    )
    for w, _fill in fills:
        w.setAutoFillBackground(False)
    try:
        yield
    finally:
        for view, cache, brush, fill in saved:
            view.setCacheMode(cache)
            view.setBackgroundBrush(brush)
            view.viewport().setAutoFillBackground(fill)
        for w, fill in fills:
            w.setAutoFillBackground(fill)


def _lay_out(widget: QWidget, size: QSize) -> None:
    """Give the (hidden) widget its size and let layouts and pyqtgraph settle."""
    widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    widget.resize(size)
    if not widget.isVisible():
        widget.show()
    for _ in range(3):
        QApplication.processEvents()
    widget.resize(size)
    QApplication.processEvents()


def render_image(widget: QWidget, options: ExportOptions) -> QImage:
    """The chart as an image of exactly width × height × scale pixels."""
    w, h = round(options.width * options.scale), round(options.height * options.scale)
    image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent if options.transparent else Qt.GlobalColor.white)
    image.setDotsPerMeterX(round(3780 * options.scale))
    image.setDotsPerMeterY(round(3780 * options.scale))
    painter = QPainter(image)
    painter.scale(options.scale, options.scale)
    _paint(painter, widget, options.width, options.height, options)
    painter.end()
    for key, value in options.metadata.items():
        image.setText(key, value)
    return image


def render_svg_bytes(widget: QWidget, options: ExportOptions) -> bytes:
    """The chart as SVG: text as <text>, bars and slices as vector shapes, <metadata> inside."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(options.width, options.height))
    generator.setViewBox(QRect(0, 0, options.width, options.height))
    generator.setResolution(96)
    generator.setTitle(options.title or options.metadata.get("Title", "Chart"))
    generator.setDescription(options.metadata.get("Description", ""))
    painter = QPainter(generator)
    _paint(painter, widget, options.width, options.height, options)
    painter.end()
    svg = bytes(buffer.data().data()).decode("utf-8")
    size = QSize(options.width, options.height)
    return _with_metadata(svg, options.metadata, size).encode("utf-8")


SVG_NS = "http://www.w3.org/2000/svg"
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_SHAPES = {f"{{{SVG_NS}}}{tag}" for tag in ("rect", "path", "polyline", "polygon", "line")}


#: Families with metrics close to a resolved family, for viewers that lack it (the first
#: of a list that is installed wins, so the SVG looks alike wherever it is opened).
_SIMILAR = {
    "DejaVu Sans": ("Bitstream Vera Sans", "Verdana"),
    "Noto Sans": ("Open Sans", "Arial"),
    "Segoe UI": ("Helvetica Neue", "Arial"),
    ".AppleSystemUIFont": ("Helvetica Neue", "Arial"),
    "Helvetica Neue": ("Helvetica", "Arial"),
}
_GENERIC = ("serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui")


def css_font_family(qt_family: str) -> str:
    """A CSS font-family list for the family Qt drew with: the real family it resolved to
    (Qt's "Sans Serif" is no family a browser knows: browsers may fall back to a serif font),
    similar families, and a CSS generic last: "'DejaVu Sans', 'Bitstream Vera Sans', Verdana,
    sans-serif"."""
    info = QFontInfo(QFont(qt_family))
    resolved = info.family()
    generic = "monospace" if info.fixedPitch() else "sans-serif"
    names: list[str] = []
    for name in (resolved, *_SIMILAR.get(resolved, ())):
        if name and name.lower() not in _GENERIC and name not in names:
            names.append(name)
    quoted = [n if re.fullmatch(r"[A-Za-z][A-Za-z-]*", n) else f"'{n}'" for n in names]
    return ", ".join([*quoted, generic])


def _with_metadata(svg: str, metadata: dict[str, str], size: QSize) -> str:
    """Flatten data-space transforms, name real font families, and add a <metadata> element
    as the root's first child."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    root = ET.fromstring(svg)
    for group in root.iter(f"{{{SVG_NS}}}g"):
        _flatten_group(group)
    # Qt writes the size in mm; a web page sizes an <img> by CSS pixels
    root.set("width", str(size.width()))
    root.set("height", str(size.height()))
    families: dict[str, str] = {}
    for element in root.iter():
        family = element.get("font-family")
        if family is not None:
            if family not in families:
                families[family] = css_font_family(family.strip("'\""))
            element.set("font-family", families[family])
    meta = ET.Element(f"{{{SVG_NS}}}metadata", {"id": "capex-gui"})
    meta.text = json.dumps(metadata, ensure_ascii=False)
    root.insert(0, meta)
    return '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + ET.tostring(
        root, encoding="unicode"
    )


def _flatten_group(group: ET.Element) -> None:
    """Apply a group's large (data-to-pixel) scaling to its shapes' coordinates.

    pyqtgraph draws plot items with cosmetic pens under the data transform; QSvgGenerator writes
    that as ``transform="matrix(684,0,0,-272,...)"`` plus ``vector-effect="non-scaling-stroke"``.
    librsvg ignores vector-effect and draws 684-unit-wide strokes over the whole chart, so the
    coordinates are transformed here instead and the transform dropped: every renderer agrees.
    """
    transform = group.get("transform", "")
    if not transform.startswith("matrix(") or not len(group):
        return
    try:
        a, b, c, d, e, f = (float(v) for v in transform[7:-1].split(","))
    except ValueError:
        return
    if b or c or not a or not d:
        return  # rotations and degenerate transforms stay as they are
    if 0.2 <= abs(a) <= 5 and 0.2 <= abs(d) <= 5:
        return  # ordinary pixel scaling: strokes should scale with it
    if any(child.tag not in _SHAPES for child in group):
        return
    if any(re.search(r"[AaHhVvmlcsqtz]", child.get("d", "")) for child in group):
        return  # relative or arc path commands: not handled, keep the transform

    def point(x: float, y: float) -> tuple[float, float]:
        return a * x + e, d * y + f

    def pairs(text: str) -> str:
        values = [float(n) for n in _NUMBER.findall(text)]
        if len(values) % 2:
            raise ValueError("coordinates do not come in pairs")
        mapped: list[float] = []
        for x, y in zip(values[::2], values[1::2], strict=True):
            mapped.extend(point(x, y))
        replacement = iter(mapped)
        return _NUMBER.sub(lambda _m: f"{next(replacement):.3f}", text)

    for child in group:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "rect":
            x, y = float(child.get("x", 0)), float(child.get("y", 0))
            w, h = float(child.get("width", 0)), float(child.get("height", 0))
            x0, y0 = point(x, y)
            x1, y1 = point(x + w, y + h)
            child.set("x", f"{min(x0, x1):.3f}")
            child.set("y", f"{min(y0, y1):.3f}")
            child.set("width", f"{abs(x1 - x0):.3f}")
            child.set("height", f"{abs(y1 - y0):.3f}")
        elif tag == "path":
            child.set("d", pairs(child.get("d", "")))
        elif tag in ("polyline", "polygon"):
            child.set("points", pairs(child.get("points", "")))
        elif tag == "line":
            x1, y1 = point(float(child.get("x1", 0)), float(child.get("y1", 0)))
            x2, y2 = point(float(child.get("x2", 0)), float(child.get("y2", 0)))
            child.set("x1", f"{x1:.3f}")
            child.set("y1", f"{y1:.3f}")
            child.set("x2", f"{x2:.3f}")
            child.set("y2", f"{y2:.3f}")
    del group.attrib["transform"]


def write_pdf(widget: QWidget, path: Path, options: ExportOptions) -> None:
    """The chart as a one-page vector PDF with the metadata in its document info and XMP."""
    writer = QPdfWriter(str(path))
    writer.setResolution(96)
    writer.setCreator(options.metadata.get("Software", "AI Capex Tracker"))
    writer.setTitle(options.title or options.metadata.get("Title", "Chart"))
    if options.a4_page:
        page = QPageSize(QPageSize.PageSizeId.A4)
        orientation = QPageLayout.Orientation.Landscape
    else:
        # width × height pixels at 96 dpi, in points
        page = QPageSize(
            QSizeF(options.width * 0.75, options.height * 0.75),
            QPageSize.Unit.Point,
            "capex",
            QPageSize.SizeMatchPolicy.ExactMatch,
        )
        orientation = QPageLayout.Orientation.Portrait
    writer.setPageLayout(QPageLayout(page, orientation, QMarginsF(0, 0, 0, 0)))
    writer.setDocumentXmpMetadata(_xmp(options.metadata))
    painter = QPainter(writer)
    target = painter.viewport()
    _paint(painter, widget, target.width(), target.height(), options)
    if not painter.end():
        raise CapexError(f"could not write {path}")


def _xmp(metadata: dict[str, str]) -> QByteArray:
    fields = "".join(
        f"<capex:{key.replace(' ', '')}>{html.escape(value)}</capex:{key.replace(' ', '')}>"
        for key, value in metadata.items()
    )
    xmp = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:capex="https://capex-tracker.example/ns/1.0/">'
        f"<dc:title>{html.escape(metadata.get('Title', ''))}</dc:title>{fields}"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
    return QByteArray(xmp.encode("utf-8"))


def export_chart(widget: QWidget, path: Path, options: ExportOptions) -> Path:
    """Write the chart to *path* in options.format; nothing is left behind on failure."""
    if not path.parent.is_dir():
        raise CapexError(f"the folder {path.parent} does not exist")
    partial = path.with_name(f".{path.name}.part")
    try:
        if options.format is ExportFormat.PNG:
            if not render_image(widget, options).save(str(partial), "PNG"):  # type: ignore[call-overload]
                raise CapexError(f"could not write {path}")
        elif options.format is ExportFormat.SVG:
            partial.write_bytes(render_svg_bytes(widget, options))
        else:
            write_pdf(widget, partial, options)
        partial.replace(path)
    except OSError as exc:
        raise CapexError(f"could not write {path}: {exc.strerror or exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return path


def copy_to_clipboard(widget: QWidget, options: ExportOptions) -> QMimeData:
    """Put the chart on the clipboard as both PNG (image) and SVG."""
    mime = QMimeData()
    image = render_image(widget, options)
    mime.setImageData(image)
    png = QBuffer()
    png.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(png, "PNG")  # type: ignore[call-overload]  # stubs say bytes; runtime wants str
    mime.setData("image/png", png.data())
    mime.setData("image/svg+xml", QByteArray(render_svg_bytes(widget, options)))
    QGuiApplication.clipboard().setMimeData(mime)
    return mime
