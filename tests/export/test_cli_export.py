"""capex-gui export-chart: headless, no display, one-line errors, nothing written on error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from capex_gui.app.paths import create_sample_database
from tests.export.checks import check_pdf, check_png, check_svg


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
