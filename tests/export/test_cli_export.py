"""capex-gui export-chart: headless, no display, one-line errors, nothing written on error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from capex_gui.app.paths import create_sample_database
from tests.export.checks import SVG, check_pdf, check_png, check_svg, pdf_media_box


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "sample.capex"
    create_sample_database(path).close()
    return path


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "QT_QPA_PLATFORM", "WAYLAND_DISPLAY")
    }
    return subprocess.run(
        [sys.executable, "-m", "capex_gui", "export-chart", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )


@pytest.mark.parametrize(
    ("chart", "extra", "labels"),
    [
        ("spend", ["--company", "ByteDance"], ["Spend by category", "ByteDance", "AI chips"]),
        (
            "suppliers",
            ["--company", "ByteDance", "--year", "2025"],
            ["Nvidia", "Huawei", "60% domestic"],
        ),
        ("companies", ["--year", "2025"], ["ByteDance", "Companies compared"]),
    ],
)
def test_every_chart_in_every_format_with_no_display(
    sample: Path, tmp_path: Path, chart: str, extra: list[str], labels: list[str]
) -> None:
    for fmt in ("png", "svg", "pdf"):
        out = tmp_path / f"{chart}.{fmt}"
        proc = _run(
            str(sample),
            "--chart",
            chart,
            *extra,
            "--width",
            "1600",
            "--height",
            "900",
            "-o",
            str(out),
        )
        assert proc.returncode == 0, proc.stderr
        if fmt == "png":
            check_png(out, 1600, 900)
        elif fmt == "svg":
            check_svg(out, labels, tmp_path)
        else:
            check_pdf(out)


def test_format_flag_title_and_scale(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "chart.img"
    proc = _run(
        str(sample),
        "--chart",
        "suppliers",
        "--format",
        "png",
        "--width",
        "800",
        "--height",
        "600",
        "--scale",
        "2",
        "--title",
        "ByteDance chip suppliers",
        "-o",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    image = check_png(out, 1600, 1200)
    assert image.text("Title") == "ByteDance chip suppliers"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--chart", "suppliers", "--company", "Nobody"], "no company called 'Nobody'"),
        (["--chart", "spend", "--year", "1999"], "no figures for 1999"),
        (["--chart", "pie"], "invalid choice"),
        (["--chart", "spend", "--currency", "XYZ"], "not a currency code"),
    ],
)
def test_bad_arguments_give_one_line_and_write_nothing(
    sample: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "x.png"
    proc = _run(str(sample), *args, "-o", str(out))
    assert proc.returncode != 0
    assert message in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) <= 2, proc.stderr  # argparse adds its usage line; ours is one line
    assert not out.exists()


def test_unwritable_path_and_unknown_extension(sample: Path, tmp_path: Path) -> None:
    proc = _run(str(sample), "--chart", "spend", "-o", str(tmp_path / "missing" / "x.png"))
    assert proc.returncode != 0 and "does not exist" in proc.stderr
    proc = _run(str(sample), "--chart", "spend", "-o", str(tmp_path / "x.gif"))
    assert proc.returncode != 0 and "cannot tell the format" in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_missing_rate_is_named_as_the_window_names_it(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "eur.png"
    proc = _run(str(sample), "--chart", "spend", "--currency", "EUR", "-o", str(out))
    assert proc.returncode != 0
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines == [
        "capex-gui: error: nothing to draw: no EUR rate for 2024; no EUR rate for 2025. "
        "Add the rates under FX rates"
    ]
    assert not out.exists()
    proc = _run(str(sample), "--chart", "suppliers", "--currency", "EUR", "-o", str(out))
    assert "no EUR rate for 2025" in proc.stderr and not out.exists()


@pytest.fixture(scope="module")
def unsourced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample and a company whose figures have no source."""
    from capex_gui.storage.database import open_database
    from capex_gui.storage.repository import Repository
    from tests.charts.conftest import add_unsourced_company

    path = tmp_path_factory.mktemp("cli") / "unsourced.capex"
    create_sample_database(path).close()
    db = open_database(path)
    add_unsourced_company(Repository(db.engine))
    db.close()
    return path


@pytest.mark.parametrize(
    ("chart", "unsourced_figures", "filters", "shows"),
    [
        (
            "spend",
            "1 figure",  # Tencent's 2025 investment
            {"company": "all companies", "split": "category", "years": "all"},
            "Spend by category · all companies · USD",
        ),
        (
            "suppliers",
            "1 figure",  # Tencent's order from Huawei
            {"company": "all companies", "year": 2025, "metric": "value"},
            "Chip suppliers by value · all companies · 2025 · USD",
        ),
        (
            "companies",
            "2 figures",  # both: its spend and its chips
            {"companies": "with figures in 2025", "year": 2025},
            "Companies compared · 2025 · those with figures · USD",
        ),
    ],
)
def test_footnote_and_metadata_say_what_the_chart_shows(
    unsourced: Path,
    tmp_path: Path,
    chart: str,
    unsourced_figures: str,
    filters: dict[str, object],
    shows: str,
) -> None:
    out = tmp_path / f"{chart}.svg"
    proc = _run(str(unsourced), "--chart", chart, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.is_file()
    root = ET.parse(out).getroot()
    texts = [" ".join("".join(t.itertext()).split()) for t in root.iter(f"{SVG}text")]
    footnote = next(t for t in texts if t.startswith("Source"))
    # Tencent's figures have no source: the footnote does not credit them to the FT
    expected = f"Source: Financial Times (reported); {unsourced_figures} without a source"
    assert footnote.startswith(expected), footnote
    meta = root.find(f"{SVG}metadata")
    assert meta is not None and meta.text
    metadata = json.loads(meta.text)
    assert json.loads(metadata["Filters"]) == filters
    assert metadata["Shows"] == shows
    assert shows in texts
    assert metadata["Sources"] == expected.removeprefix("Source: ")


def test_options_a_chart_does_not_use_are_said(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "spend.png"
    proc = _run(str(sample), "--chart", "spend", "--year", "2024", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "capex-gui: warning: --year (the spend chart shows every year) is not used" in (
        proc.stderr
    )
    check_png(out, 1920, 1080)


@pytest.mark.parametrize(("width", "height"), [(800, 600), (1600, 900), (1123, 794)])
def test_pdf_page_and_svg_size_follow_the_pixels(
    sample: Path, tmp_path: Path, width: int, height: int
) -> None:
    """0.75 pt per px for any size (not only A4), and the SVG's own width, height and
    viewBox, read from the files themselves (no pdfinfo needed)."""
    pdf, svg = tmp_path / "c.pdf", tmp_path / "c.svg"
    for out in (pdf, svg):
        size = ["--width", str(width), "--height", str(height)]
        proc = _run(str(sample), "--chart", "spend", *size, "-o", str(out))
        assert proc.returncode == 0, proc.stderr
    # Qt's page sizes are whole points: the nearest to 0.75 pt per px
    assert pdf_media_box(pdf) == pytest.approx((width * 0.75, height * 0.75), abs=0.5)
    root = ET.parse(svg).getroot()
    assert (root.get("width"), root.get("height")) == (f"{width}", f"{height}")  # CSS px
    assert [float(v) for v in (root.get("viewBox") or "").split()] == [0, 0, width, height]
