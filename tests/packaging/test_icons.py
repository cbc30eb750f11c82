"""The app icon: generated files present, well formed, up to date with the SVG, and shipped."""

from __future__ import annotations

import glob
import importlib.util
import struct
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication, QImage

from capex_gui import APP_ID, resources
from capex_gui.resources import ICON_SIZES, app_icon, icon_path, resource_dir, resource_path

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "capex_gui" / "resources" / "icons"


@pytest.fixture(scope="module")
def make_icons() -> ModuleType:
    """packaging/make_icons.py, imported from its file (packaging/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "make_icons", ROOT / "packaging" / "make_icons.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def _gui(qapp: QGuiApplication) -> None:
    """QImage decoding and QIcon want a QGuiApplication."""


@pytest.mark.parametrize("size", ICON_SIZES)
def test_png_has_its_size_a_transparent_background_and_a_drawing(size: int) -> None:
    image = QImage(str(icon_path(size)))
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()
    for x, y in ((0, 0), (size - 1, 0), (0, size - 1), (size - 1, size - 1)):
        assert image.pixelColor(x, y).alpha() == 0, (x, y)
    centre = image.pixelColor(size // 2, size // 2)
    assert centre.alpha() == 255
    assert len({image.pixel(x, size * 3 // 4) for x in range(size)}) >= 3


def test_16px_icon_is_crisp() -> None:
    """Every edge of the design sits on a whole pixel: few half-transparent pixels at 16 px."""
    image = QImage(str(icon_path(16)))
    partial = [
        (x, y) for x in range(16) for y in range(16) if 0 < image.pixelColor(x, y).alpha() < 255
    ]
    # only the rounded corners of the package may be antialiased
    in_corners = [(x, y) for x, y in partial if min(x, 15 - x) <= 2 and min(y, 15 - y) <= 2]
    assert partial == in_corners, partial
    assert len(partial) <= 16


def test_committed_icons_match_the_svg(make_icons: ModuleType, tmp_path: Path) -> None:
    """Editing resources/capex-gui.svg without running packaging/make_icons.py fails here."""
    assert (ROOT / "resources" / f"{APP_ID}.svg").read_bytes() == icon_path(None).read_bytes()
    make_icons.make_icons(ROOT / "resources" / f"{APP_ID}.svg", tmp_path)
    for size in ICON_SIZES:
        fresh = QImage(str(tmp_path / f"{APP_ID}-{size}.png"))
        committed = QImage(str(icon_path(size)))
        worst = max(
            abs(a - b)
            for x in range(size)
            for y in range(0, size, max(1, size // 64))
            for a, b in zip(
                fresh.pixelColor(x, y).getRgb(), committed.pixelColor(x, y).getRgb(), strict=True
            )
        )
        assert worst <= 8, f"{size} px differs by {worst}: run packaging/make_icons.py"


def test_ico_holds_png_images_up_to_256() -> None:
    data = (ICONS / f"{APP_ID}.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        w, h, colours, _r, planes, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * i
        )
        side = w or 256
        assert (w, colours, planes, bits) == (h, 0, 1, 32)
        image = QImage.fromData(data[offset : offset + length])
        assert (image.width(), image.height()) == (side, side)
        sizes.append(side)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]


def test_icns_chunks_are_pngs_of_the_declared_size(make_icons: ModuleType) -> None:
    data = (ICONS / f"{APP_ID}.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack_from(">I", data, 4)[0] == len(data)
    expected = dict(make_icons.ICNS_TYPES)
    found = {}
    pos = 8
    while pos < len(data):
        kind, length = data[pos : pos + 4], struct.unpack_from(">I", data, pos + 4)[0]
        image = QImage.fromData(data[pos + 8 : pos + length])
        found[kind] = image.width()
        assert image.width() == image.height() == expected[kind], kind
        pos += length
    assert pos == len(data)
    assert found == expected


def test_ico_and_icns_writers_reject_what_the_formats_cannot_hold(
    make_icons: ModuleType,
) -> None:
    with pytest.raises(ValueError, match="256"):
        make_icons.ico_bytes({512: b"png"})
    with pytest.raises(ValueError, match="four bytes"):
        make_icons.icns_bytes([(b"ic7", b"png")])


def test_app_icon_has_every_size() -> None:
    icon = app_icon()
    assert not icon.isNull()
    assert {s.width() for s in icon.availableSizes()} == set(ICON_SIZES)
    assert icon.pixmap(QSize(32, 32)).width() == 32


def test_resource_path_names_the_missing_file() -> None:
    with pytest.raises(FileNotFoundError, match=r"nothing\.png"):
        resource_path("icons/nothing.png")


def test_frozen_bundle_looks_under_meipass(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "capex_gui" / "resources" / "icons").mkdir(parents=True)
    (tmp_path / "capex_gui" / "resources" / "icons" / "x.png").write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_dir() == tmp_path / "capex_gui" / "resources"
    assert resources.resource_path("icons/x.png") == tmp_path / "capex_gui/resources/icons/x.png"


def test_pyproject_ships_every_resource_in_the_wheel() -> None:
    """setuptools copies package data only where a package-data glob matches."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["capex_gui"]
    package = ROOT / "capex_gui"
    shipped = {
        Path(p)
        for pattern in patterns
        for p in glob.glob(str(package / pattern), recursive=True)
        if Path(p).is_file()
    }
    missing = sorted(str(p.relative_to(package)) for p in resource_dir().rglob("*") if p.is_file())
    missing = [m for m in missing if package / m not in shipped]
    assert not missing, f"add a package-data glob for {missing} in pyproject.toml"
