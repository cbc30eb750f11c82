"""The hooks the scale benchmark reads: first paint, charts drawn, stalls, quit after the charts."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

from capex_gui.app.application import (
    CHARTS_DRAWN_ENV,
    FIRST_PAINT_ENV,
    QUIT_AFTER_CHARTS_ENV,
    QUIT_AFTER_ENV,
    STALLS_ENV,
)
from capex_gui.app.paths import create_sample_database

if TYPE_CHECKING:
    from pathlib import Path


def test_app_reports_first_paint_charts_drawn_and_stalls(
    tmp_path: Path, _isolated_home: Path
) -> None:
    db = tmp_path / "s.capex"
    create_sample_database(db).close()
    env = {
        **os.environ,
        "CAPEX_GUI_HOME": str(_isolated_home),
        FIRST_PAINT_ENV: "1",
        CHARTS_DRAWN_ENV: "1",
        STALLS_ENV: "1",
        QUIT_AFTER_CHARTS_ENV: "300",
        QUIT_AFTER_ENV: "60000",  # a safety net only: the charts hook must quit first
    }
    proc = subprocess.run(
        [sys.executable, "-m", "capex_gui", str(db)],
        capture_output=True,
        text=True,
        env=env,
        timeout=90,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    marks = {line.split()[0]: float(line.split()[1]) for line in lines if " " in line}
    assert marks["FIRST_PAINT"] <= marks["CHARTS_DRAWN"]
    stall = [line for line in lines if line.startswith("STALL_MAX_MS=")]
    assert len(stall) == 1
    assert float(stall[0].split("=")[1]) >= 0
