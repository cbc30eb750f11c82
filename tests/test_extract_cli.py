"""``capex-gui extract`` and ``capex-gui check`` run as a user runs them: real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository

SEED = Path(__file__).parent / "domain" / "data" / "seed_report.txt"


def _run(*args: str, home: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CAPEX_GUI_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "capex_gui", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        input=stdin,
    )


def test_extract_json_of_the_seed(_isolated_home: Path) -> None:
    out = _run("extract", str(SEED), "--json", home=_isolated_home)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    text = SEED.read_text(encoding="utf-8")
    assert [d["kind"] for d in data] == [
        "headline",
        "fx",
        "investment",
        "investment",
        "share",
        "chip_order",
    ]
    for item in data:
        start, end = item["span"]
        assert item["quote"] in text
        if item["kind"] in ("investment", "headline"):
            assert item["amount"].rstrip("0") in text[start:end].replace(",", "") or item[
                "amount"
            ] in ("40000000000", "6800000000", "12000000000")
    fx = data[1]
    assert (fx["amount"], fx["currency"], fx["period"]) == ("7.27", "CNY", "2025")
    assert (
        text[fx["span"][0] : fx["span"][1]]
        == "approximately RMB 40 billion, equivalent to $5.5 billion"
    )


def test_extract_reads_stdin_and_dates_relative_years(_isolated_home: Path) -> None:
    out = _run(
        "extract",
        "-",
        "--date",
        "2023-06-01",
        "--json",
        home=_isolated_home,
        stdin="腾讯预计今年资本支出将超过900亿元。",
    )
    assert out.returncode == 0, out.stderr
    (item,) = json.loads(out.stdout)
    assert (item["company"], item["period"], item["amount"], item["qualifier"]) == (
        "Tencent",
        "2023",
        "90000000000",
        "at_least",
    )
    text = _run("extract", "-", home=_isolated_home, stdin="in 2025")
    assert text.returncode == 0 and "No figures proposed" in text.stdout


def test_extract_errors_are_one_sentence(_isolated_home: Path, tmp_path: Path) -> None:
    missing = _run("extract", str(tmp_path / "nope.txt"), home=_isolated_home)
    assert missing.returncode == 2 and missing.stderr.strip().endswith("is not a file")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00bad")
    out = _run("extract", str(bad), home=_isolated_home)
    assert (
        out.returncode == 2 and "is not UTF-8 text" in out.stderr and "Traceback" not in out.stderr
    )
    date = _run("extract", str(SEED), "--date", "soon", home=_isolated_home)
    assert date.returncode == 2 and "is not a date" in date.stderr


def test_check_exits_1_on_a_hard_inconsistency(tmp_path: Path, _isolated_home: Path) -> None:
    path = tmp_path / "s.capex"
    assert _run("sample", str(path), home=_isolated_home).returncode == 0
    ok = _run("check", str(path), "--json", home=_isolated_home)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert {f["severity"] for f in json.loads(ok.stdout)} == {"ok"}
    db = open_database(path)
    try:
        repo = Repository(db.engine)
        repo.add_investments([repo.get_investment(2).with_changes(id=None)])
    finally:
        db.close()
    bad = _run("check", str(path), "--json", home=_isolated_home)
    assert bad.returncode == 1
    (dup,) = [f for f in json.loads(bad.stdout) if f["check"] == "duplicates"]
    assert dup["severity"] == "hard" and [r["id"] for r in dup["rows"]] == [2, 4]
    text = _run("check", str(path), home=_isolated_home)
    assert text.returncode == 1 and "INCONSISTENT" in text.stdout


def test_extract_knows_the_databases_company_aliases(tmp_path: Path, _isolated_home: Path) -> None:
    from capex_gui.domain.aliases import CompanyAlias
    from capex_gui.storage.aliases import add_alias

    path = tmp_path / "s.capex"
    assert _run("sample", str(path), home=_isolated_home).returncode == 0
    db = open_database(path)
    try:
        add_alias(db.engine, CompanyAlias("ByteDance", "Zijie Tiaodong"))
    finally:
        db.close()
    text = "Zijie Tiaodong ordered 1,000 H20 chips in 2024."
    known = _run("extract", "-", "--db", str(path), "--json", home=_isolated_home, stdin=text)
    assert known.returncode == 0, known.stderr
    assert [p["company"] for p in json.loads(known.stdout)] == ["ByteDance"]
    unknown = _run("extract", "-", "--json", home=_isolated_home, stdin=text)
    assert [p["company"] for p in json.loads(unknown.stdout)] == [None]  # not guessed
