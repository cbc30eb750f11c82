"""Render resources/capex-gui.svg to the app's PNG, .ico and .icns files.

Run from the repository root after editing the SVG, and commit the result::

    .venv/bin/python packaging/make_icons.py

Writes into ``capex_gui/resources/icons/`` (shipped in the wheel and the PyInstaller bundle):

- ``capex-gui.svg``: a copy of the source (the hicolor ``scalable`` icon);
- ``capex-gui-<N>.png`` for N in 16, 24, 32, 48, 64, 128, 256, 512 (QtSvg renders them);
- ``capex-gui.ico``: Windows icon, one PNG-compressed image per size 16…256. An ICO file is a
  6-byte ICONDIR (reserved 0, type 1, count) and one 16-byte ICONDIRENTRY per image (width and
  height with 0 meaning 256, colours 0, reserved 0, planes 1, bits 32, byte size, offset), then
  the images; Windows Vista and later read PNG images in it;
- ``capex-gui.icns``: macOS icon. An icns file is the magic ``icns`` and the total length
  (big-endian 32 bit), then chunks of a 4-byte type, a big-endian length that counts the 8-byte
  chunk header, and the data. Every chunk here holds a PNG (macOS 10.7+): ``icp4`` 16,
  ``icp5`` 32, ``icp6`` 64, ``ic07`` 128, ``ic08`` 256, ``ic09`` 512, and the Retina ``@2x``
  variants ``ic11`` (32 px for 16), ``ic12`` (64 for 32), ``ic13`` (256 for 128), ``ic14``
  (512 for 256), ``ic10`` (1024 for 512).

No dependency beyond PySide6 (QtSvg comes with PySide6-Essentials); no Pillow.
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "capex-gui.svg"
OUT = ROOT / "capex_gui" / "resources" / "icons"
NAME = "capex-gui"

#: PNG files written (the hicolor theme sizes).
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
#: Images inside the .ico (256 is the largest an ICO entry can describe).
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
#: icns chunk type → pixel size.
ICNS_TYPES: tuple[tuple[bytes, int], ...] = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
    (b"ic10", 1024),
)

#: The QGuiApplication made when this runs as a script (QtSvg wants one for its fonts).
_app: object = None


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn at *size* × *size* pixels on a transparent background, as PNG bytes."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
    from PySide6.QtSvg import QSvgRenderer

    global _app
    if QGuiApplication.instance() is None:
        _app = QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG file QtSvg can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    if not writer.write(image):
        raise RuntimeError(f"Qt could not encode a PNG: {writer.errorString()}")
    buffer.close()
    return bytes(data.data())


#: Where each line of the SVG's 16-unit design grid lands in the 24-px icon. 24 is 1.5 × 16, so a
#: plain rendering puts half the edges on half pixels (blurred); this mapping gives every unit one
#: or two whole pixels, symmetrically, with equal widths for the three contacts and bars.
GRID_24 = (0, 2, 3, 4, 6, 8, 9, 10, 12, 14, 15, 16, 18, 20, 21, 22, 24)
#: Source pixel (within a unit's three pixels at 48 px) for each pixel the unit gets at 24 px.
_UNIT_PICK = {1: (1,), 2: (0, 2), 3: (0, 1, 2)}


def render_png_24(svg: Path) -> bytes:
    """The SVG at 24 px, hinted: resampled from a 48-px rendering along :data:`GRID_24`."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QImageWriter

    big = QImage.fromData(render_png(svg, 48)).convertToFormat(QImage.Format.Format_ARGB32)
    source: list[int] = []
    for k in range(16):
        width = GRID_24[k + 1] - GRID_24[k]
        source.extend(3 * k + pick for pick in _UNIT_PICK[width])
    image = QImage(24, 24, QImage.Format.Format_ARGB32)
    for y, sy in enumerate(source):
        for x, sx in enumerate(source):
            image.setPixel(x, y, big.pixel(sx, sy))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    QImageWriter(buffer, QByteArray(b"png")).write(image)
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO container holding the given PNG images (size → PNG bytes, sizes up to 256)."""
    sizes = sorted(pngs)
    if any(not 0 < s <= 256 for s in sizes):
        raise ValueError("ICO images are 1 to 256 pixels wide")
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries = b""
    for s in sizes:
        data = pngs[s]
        side = 0 if s == 256 else s
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return header + entries + b"".join(pngs[s] for s in sizes)


def icns_bytes(chunks: list[tuple[bytes, bytes]]) -> bytes:
    """An icns container of (4-byte type, PNG bytes) chunks."""
    body = b""
    for kind, data in chunks:
        if len(kind) != 4:
            raise ValueError(f"icns chunk types have four bytes, not {kind!r}")
        body += kind + struct.pack(">I", len(data) + 8) + data
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def make_icons(svg: Path = SVG, out: Path = OUT) -> list[Path]:
    """Write every icon file into *out*; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    rendered = {s: render_png(svg, s) for s in {*PNG_SIZES, *ICO_SIZES, 1024}}
    rendered[24] = render_png_24(svg)
    written: list[Path] = []
    scalable = out / f"{NAME}.svg"
    shutil.copyfile(svg, scalable)
    written.append(scalable)
    for s in PNG_SIZES:
        path = out / f"{NAME}-{s}.png"
        path.write_bytes(rendered[s])
        written.append(path)
    ico = out / f"{NAME}.ico"
    ico.write_bytes(ico_bytes({s: rendered[s] for s in ICO_SIZES}))
    written.append(ico)
    icns = out / f"{NAME}.icns"
    icns.write_bytes(icns_bytes([(kind, rendered[s]) for kind, s in ICNS_TYPES]))
    written.append(icns)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: ``make_icons.py [--svg SVG] [--out DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--svg", type=Path, default=SVG, help=f"source (default: {SVG})")
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder (default: {OUT})")
    args = parser.parse_args(argv)
    for path in make_icons(args.svg, args.out):
        print(f"wrote {path} ({path.stat().st_size} bytes)")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
