"""The command line, run as a user runs it: a real process, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest


def _run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CAPEX_GUI_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "capex_gui", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_sample_then_summary_json(tmp_path: Path, _isolated_home: Path) -> None:
    target = tmp_path / "x.capex"
    made = _run("sample", str(target), home=_isolated_home)
    assert made.returncode == 0, made.stderr
    out = _run("summary", str(target), "--json", home=_isolated_home)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["currency"] == "USD"
    spend = {
        (s["company"], s["year"], s["category"], s["region"]): Decimal(s["amount"])
        for s in data["spend"]
    }
    assert spend[("ByteDance", 2025, "AI chips", "China")] == Decimal("5502063273.73")
    assert spend[("ByteDance", 2025, "Model-training capacity", "Overseas")] == Decimal(
        "6800000000.00"
    )
    totals = {(t["company"], t["year"]): Decimal(t["amount"]) for t in data["totals"]}
    assert totals[("ByteDance", 2025)] == Decimal("12302063273.73")
    dom = {(d["company"], d["year"], d["metric"]): d["share"] for d in data["domestic_share"]}
    assert dom[("ByteDance", 2025, "value")] == pytest.approx(0.6)
    units = [s for s in data["supplier_shares"] if s["metric"] == "units" and s["year"] == 2024]
    assert units == [
        {
            "company": "ByteDance",
            "year": 2024,
            "metric": "units",
            "supplier": "Nvidia",
            "share": 1.0,
            "domestic": False,
        }
    ]
    assert {e["reason"] for e in data["excluded"]} == {"no value", "no units"}
    assert set(data) == {
        "currency",
        "spend",
        "totals",
        "supplier_shares",
        "domestic_share",
        "excluded",
    }


def test_summary_text_and_other_currency(tmp_path: Path, _isolated_home: Path) -> None:
    target = tmp_path / "x.capex"
    assert _run("sample", str(target), home=_isolated_home).returncode == 0
    out = _run("summary", str(target), "--currency", "cny", home=_isolated_home)
    assert out.returncode == 0, out.stderr
    assert "Spend (CNY)" in out.stdout and "ByteDance" in out.stdout


def test_sample_refuses_to_overwrite(tmp_path: Path, _isolated_home: Path) -> None:
    target = tmp_path / "x.capex"
    target.write_text("precious")
    out = _run("sample", str(target), home=_isolated_home)
    assert out.returncode != 0
    assert "exists already" in out.stderr
    assert target.read_text() == "precious"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("summary", "nowhere.capex"), "there is no database at"),
        (("summary", "x.capex", "--currency", "XYZ"), "not a currency code"),
        (("sample",), "the following arguments are required"),
    ],
)
def test_errors_go_to_stderr_with_non_zero_exit(
    args: tuple[str, ...], message: str, tmp_path: Path, _isolated_home: Path
) -> None:
    out = _run(*args, home=_isolated_home)
    assert out.returncode != 0
    assert message in out.stderr
    assert out.stdout == ""
    assert not (tmp_path / "nowhere.capex").exists()


@pytest.mark.parametrize("command", ["sample", "summary"])
def test_help(command: str, _isolated_home: Path) -> None:
    out = _run(command, "--help", home=_isolated_home)
    assert out.returncode == 0
    assert f"capex-gui {command}" in out.stdout


def test_first_run_creates_and_fills_the_per_user_database(_isolated_home: Path) -> None:
    from capex_gui.app.paths import default_database_path, open_default_database
    from capex_gui.storage.repository import Repository

    path = default_database_path()
    assert str(path).startswith(str(_isolated_home))
    assert not path.exists()
    db = open_default_database()
    try:
        repo = Repository(db.engine)
        assert len(repo.investments()) == 3
        assert len(repo.chip_orders()) == 4
        assert {i.source for i in repo.investments()} == {"Financial Times (reported)"}
    finally:
        db.close()
    assert path.exists()
    db = open_default_database()  # second run: opened, not refilled
    try:
        assert len(Repository(db.engine).investments()) == 3
    finally:
        db.close()
