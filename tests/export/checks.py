"""What every exported file must satisfy, whichever way it was made."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtGui import QImage

SVG = "{http://www.w3.org/2000/svg}"


def distinct_colours(image: QImage) -> int:
    """Distinct colours on a sample grid: a blank image has one."""
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), max(1, image.width() // 80))
            for y in range(0, image.height(), max(1, image.height() // 60))
        }
    )


def check_png(path: Path, width: int, height: int) -> QImage:
    image = QImage(str(path))
    assert not image.isNull(), path
    assert (image.width(), image.height()) == (width, height)
    assert distinct_colours(image) > 4, "the PNG looks blank"
    return image


def check_svg(path: Path, labels: list[str], tmp: Path) -> None:
    root = ET.parse(path).getroot()  # valid XML
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    for label in labels:
        assert label in texts, f"{label!r} is not a <text> in {path.name}"
    assert not list(root.iter(f"{SVG}image")), "the SVG holds a bitmap"
    assert list(root.iter(f"{SVG}path")) or list(root.iter(f"{SVG}rect"))
    assert root.find(f"{SVG}metadata") is not None
    if shutil.which("rsvg-convert"):
        out = tmp / (path.stem + "-rsvg.png")
        subprocess.run(["rsvg-convert", str(path), "-o", str(out)], check=True)
        assert distinct_colours(QImage(str(out))) > 4, "librsvg renders it blank"


def check_pdf(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 1
    assert b"/Subtype /Image" not in data
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
        assert re.search(r"^Pages:\s+1$", info.stdout, re.MULTILINE)


def svg_font_families(path: Path) -> list[list[str]]:
    """Every distinct font-family list in an SVG, as names without quotes."""
    root = ET.parse(path).getroot()
    found = {el.get("font-family") for el in root.iter() if el.get("font-family") is not None}
    assert found, f"{path.name} names no font"
    return [
        [name.strip().strip("'\"") for name in value.split(",")]
        for value in sorted(f for f in found if f is not None)
    ]


def pdf_media_box(path: Path) -> tuple[float, float]:
    """Width and height in points of the one page's /MediaBox, read from the bytes."""
    assert path.is_file(), f"{path} was not written"
    boxes = re.findall(
        rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)", path.read_bytes()
    )
    assert len(boxes) == 1, boxes
    x0, y0, x1, y1 = (float(v) for v in boxes[0])
    return x1 - x0, y1 - y0
