"""The command line, run as a user runs it: a real process, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest


def _run(*args: str, home: Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m capex_gui ARGS`` in *cwd* (default: the home folder), so relative paths
    in ARGS land where the test looks for them."""
    env = {**os.environ, "CAPEX_GUI_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "capex_gui", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or home,
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
        "periods",
        "reconciliation",
    }
    # the sample's figures are whole calendar years, each its own period row; nothing to reconcile
    assert {(p["period"], p["start"], p["end"]) for p in data["periods"]} == {
        ("2024", "2024-01", "2024-12"),
        ("2025", "2025-01", "2025-12"),
    }
    assert {
        (p["company"], p["period"], p["category"], p["region"]): p["amount"]
        for p in data["periods"]
    }[("ByteDance", "2025", "AI chips", "China")] == "5502063273.73"
    assert set(data["periods"][0]) == {
        "company", "period", "start", "end", "category", "region", "amount"
    }  # fmt: skip
    assert data["reconciliation"] == []


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
        (("summary", "foo://bar"), "not a kind of database this app can open"),
        (("check", "postgresql+psycopg2://u@h/db"), "needs the Python package psycopg2"),
    ],
)
def test_errors_go_to_stderr_with_non_zero_exit(
    args: tuple[str, ...], message: str, tmp_path: Path, _isolated_home: Path
) -> None:
    (tmp_path / "x.capex").write_bytes(b"")  # exists, so the currency is what is refused
    out = _run(*args, home=_isolated_home, cwd=tmp_path)
    assert out.returncode != 0
    assert message in out.stderr
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr  # one sentence
    assert out.stdout == ""
    assert not (tmp_path / "nowhere.capex").exists()  # where the command looked: cwd


def test_every_command_has_its_own_help(_isolated_home: Path) -> None:
    from capex_gui.app.cli import COMMANDS

    descriptions: dict[str, str] = {}
    for command in sorted(COMMANDS):
        out = _run(command, "--help", home=_isolated_home)
        assert out.returncode == 0, out.stderr
        assert out.stdout.startswith(f"usage: capex-gui {command}"), out.stdout
        assert out.stderr == ""
        # the text between the usage and the options: what this command does
        descriptions[command] = " ".join(out.stdout.split("\n\n")[1].split())
    assert len(set(descriptions.values())) == len(descriptions), descriptions
    assert descriptions["uninstall-desktop"].startswith("Remove what capex-gui install-desktop")
    assert "Add the app" not in descriptions["uninstall-desktop"]
    top = _run("--help", home=_isolated_home)
    assert top.returncode == 0
    for command in COMMANDS:  # the top-level help lists every command
        assert f"  {command}" in top.stdout


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


@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    from capex_gui.app.paths import create_sample_database

    path = tmp_path / "sample.capex"
    create_sample_database(path).close()
    return path


def test_summary_says_which_figure_a_row_is_left_out_of(
    sample_file: Path, _isolated_home: Path
) -> None:
    out = _run("summary", str(sample_file), home=_isolated_home)
    assert out.returncode == 0, out.stderr
    left_out = out.stdout.split("Left out\n", 1)[1].splitlines()
    # the 2025 orders give values, not units: they count in the value shares
    assert "  chip_orders #1: left out of the units share: no units" in left_out
    assert "  chip_orders #4: left out of the value share: no value" in left_out
    assert not [line for line in left_out if "left out of the" not in line]
    data = json.loads(_run("summary", str(sample_file), "--json", home=_isolated_home).stdout)
    assert {(e["id"], e["reason"], e["left_out_of"]) for e in data["excluded"]} == {
        (1, "no units", "units share"),
        (2, "no units", "units share"),
        (3, "no units", "units share"),
        (4, "no value", "value share"),
    }


def test_summary_converts_each_year_at_its_own_rate(
    sample_file: Path, _isolated_home: Path
) -> None:
    from capex_gui.domain.entities import FxRate
    from capex_gui.storage.database import open_database
    from capex_gui.storage.repository import Repository

    db = open_database(sample_file)
    Repository(db.engine).set_fx_rate(FxRate("CNY", 2024, Decimal("8")))
    db.close()
    out = _run("summary", str(sample_file), "--json", home=_isolated_home)
    totals = {
        (t["company"], t["year"]): Decimal(t["amount"]) for t in json.loads(out.stdout)["totals"]
    }
    assert totals[("ByteDance", 2024)] == Decimal("2500000000.00")  # CNY 20B at 8 (2024)
    assert totals[("ByteDance", 2025)] == Decimal("12302063273.73")  # CNY 40B at 7.27 (2025)


def test_screenshot_prints_no_qt_warnings(
    sample_file: Path, tmp_path: Path, _isolated_home: Path
) -> None:
    shot = tmp_path / "window.png"
    out = _run("screenshot", str(sample_file), "-o", str(shot), home=_isolated_home)
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    assert out.stdout == f"wrote {shot}\n"
    assert shot.is_file() and shot.stat().st_size > 10_000


@pytest.mark.parametrize(
    "args",
    [
        ("summary", "{db}"),
        ("summary", "{db}", "--json"),
        ("--help",),
        ("summary", "--help"),
        ("export-chart", "--help"),
        ("sample", "{new}"),
        ("export-chart", "{db}", "--chart", "spend", "-o", "{png}"),
        ("summary", "{missing}"),  # an error message into a closed stderr
    ],
)
def test_a_closed_pipe_ends_quietly(
    args: tuple[str, ...], sample_file: Path, tmp_path: Path, _isolated_home: Path
) -> None:
    """`capex-gui summary DB | head -1`: the reader goes away; no traceback, status 141."""
    names = {
        "db": str(sample_file),
        "new": str(tmp_path / "new.capex"),
        "png": str(tmp_path / "c.png"),
        "missing": str(tmp_path / "missing.capex"),
    }
    argv = [a.format(**names) for a in args]
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte is written
    try:
        closed_stderr = "missing" in args[-1]
        proc = subprocess.run(
            [sys.executable, "-m", "capex_gui", *argv],
            stdout=write_end,
            stderr=write_end if closed_stderr else subprocess.PIPE,
            env={**os.environ, "CAPEX_GUI_HOME": str(_isolated_home)},
            cwd=tmp_path,
            timeout=120,
        )
    finally:
        os.close(write_end)
    stderr = b"" if proc.stderr is None else proc.stderr
    assert b"Traceback" not in stderr and b"BrokenPipe" not in stderr, stderr.decode()
    assert stderr == b""
    # 141 = 128 + SIGPIPE, as a shell reports for tools stopped by a closed pipe; argparse's
    # own --help swallows the write error and exits 0, which is just as quiet
    assert proc.returncode == (0 if "--help" in args else 141)


def test_summary_into_head_as_a_person_types_it(sample_file: Path, _isolated_home: Path) -> None:
    shell = (
        f"{sys.executable} -m capex_gui summary {sample_file} | head -1; "
        'echo "status ${PIPESTATUS[0]}" >&2'
    )
    proc = subprocess.run(
        ["bash", "-c", shell],
        capture_output=True,
        text=True,
        env={**os.environ, "CAPEX_GUI_HOME": str(_isolated_home)},
        cwd=_isolated_home,
        timeout=120,
    )
    assert proc.stdout == "Spend (USD)\n"
    assert proc.stderr.splitlines()[-1] in ("status 0", "status 141"), proc.stderr
    assert "Traceback" not in proc.stderr
