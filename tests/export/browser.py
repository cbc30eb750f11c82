"""Render SVGs the way a web page does (headless Chromium) and the way librsvg does, and compare.

Chromium is launched once for a page that holds every SVG in an <img> at its exact size, one
below the other; the screenshot is cut back into one image per SVG.
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage

SVG_NS = "http://www.w3.org/2000/svg"

#: The flags the issue asks for: no network, no first-run work, a fresh profile per run.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)


def chromium() -> str:
    """The Chromium binary; the test fails (not skips) without it: .ci/run installs it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "headless Chromium is needed (Debian package 'chromium'; .ci/run installs it)"
    return found


def rsvg_convert() -> str:
    """librsvg's converter; .ci/run installs it."""
    found = shutil.which("rsvg-convert")
    assert found, "rsvg-convert is needed (Debian package 'librsvg2-bin'; .ci/run installs it)"
    return found


@dataclass(frozen=True)
class Sheet:
    """One SVG on the page."""

    svg: Path
    width: int
    height: int


def render_in_chromium(sheets: list[Sheet], work: Path) -> list[QImage]:
    """Each SVG as Chromium draws it in an <img width height> on a white page."""
    work.mkdir(parents=True, exist_ok=True)
    width = max(s.width for s in sheets)
    height = sum(s.height for s in sheets)
    images = []
    top = 0
    for i, sheet in enumerate(sheets):
        name = f"sheet{i}.svg"
        shutil.copyfile(sheet.svg, work / name)
        images.append(
            f'<img src="{name}" width="{sheet.width}" height="{sheet.height}" '
            f'style="position:absolute; left:0; top:{top}px">'
        )
        top += sheet.height
    page = work / "page.html"
    page.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><style>"
        "html,body{margin:0;padding:0;background:#fff;overflow:hidden}</style></head>"
        f"<body>{''.join(images)}</body></html>",
        encoding="utf-8",
    )
    shot = work / "chromium.png"
    proc = subprocess.run(
        [
            chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={work / 'profile'}",
            f"--window-size={width},{height}",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert shot.is_file(), f"Chromium wrote no screenshot:\n{proc.stderr[-2000:]}"
    whole = QImage(str(shot))
    assert (whole.width(), whole.height()) == (width, height)
    out = []
    top = 0
    for sheet in sheets:
        out.append(whole.copy(0, top, sheet.width, sheet.height))
        top += sheet.height
    return out


def render_in_librsvg(sheet: Sheet, out: Path) -> QImage:
    """The SVG as librsvg draws it at the same size, on white."""
    subprocess.run(
        [
            rsvg_convert(),
            "-w",
            str(sheet.width),
            "-h",
            str(sheet.height),
            "-b",
            "white",
            str(sheet.svg),
            "-o",
            str(out),
        ],
        check=True,
        timeout=120,
    )
    assert out.is_file()
    return QImage(str(out))


def text_only(svg: Path, out: Path) -> Path:
    """A copy of *svg* with only its text: where fonts differ, and nothing else does."""
    ET.register_namespace("", SVG_NS)
    tree = ET.parse(svg)

    def prune(element: ET.Element) -> None:
        for child in list(element):
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "g":
                prune(child)
            elif tag not in ("text", "title", "desc", "metadata", "defs"):
                element.remove(child)

    prune(tree.getroot())
    tree.write(out, encoding="utf-8", xml_declaration=True)
    return out


def pixels(image: QImage) -> np.ndarray:
    """RGB as an (h, w, 3) int16 array."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB32)
    h, w, stride = rgb.height(), rgb.width(), rgb.bytesPerLine()
    raw = np.frombuffer(rgb.constBits(), np.uint8, count=stride * h).reshape(h, stride // 4, 4)
    return raw[:, :w, 2::-1].astype(np.int16)  # BGRA in memory -> RGB


def _nearest_difference(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per pixel of *a*: the smallest channel difference to b's pixel or one of its eight
    neighbours (one pixel of anti-aliasing shift is not a difference)."""
    h, w, _ = a.shape
    best = np.full((h - 2, w - 2), 255, np.int16)
    core = a[1:-1, 1:-1]
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            diff = np.abs(b[dy : dy + h - 2, dx : dx + w - 2] - core).max(axis=2)
            best = np.minimum(best, diff)
    return best


@dataclass(frozen=True)
class Difference:
    """How two renders of the same picture differ."""

    of_all: float  # share of all pixels that differ
    of_ink: float  # share of the pixels that are not background in either image
    ink: int  # how many such pixels there are


def compare(a: QImage, b: QImage, *, threshold: int = 96) -> Difference:
    """Share of pixels that differ by more than *threshold* in some channel, allowing a
    one-pixel shift either way."""
    assert (a.width(), a.height()) == (b.width(), b.height())
    pa, pb = pixels(a), pixels(b)
    differs = np.maximum(_nearest_difference(pa, pb), _nearest_difference(pb, pa)) > threshold
    ink = ((pa.min(axis=2) < 200) | (pb.min(axis=2) < 200))[1:-1, 1:-1]
    n_ink = int(ink.sum())
    return Difference(
        float(differs.mean()),
        float(differs[ink].sum()) / max(1, n_ink),
        n_ink,
    )
