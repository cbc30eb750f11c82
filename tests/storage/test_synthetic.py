"""capex-gui generate: a synthetic database shaped like a real one, and marked synthetic."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from typing import TYPE_CHECKING

from capex_gui.domain import synthetic
from capex_gui.domain.periods import Basis, Granularity
from capex_gui.storage.repository import Repository
from capex_gui.storage.synthetic import write_synthetic

if TYPE_CHECKING:
    from pathlib import Path


def test_generated_rows_look_like_a_real_log(repo: Repository) -> None:
    write_synthetic(repo, orders=3000, investments=300, seed=7)
    orders, investments = repo.chip_orders(), repo.investments()
    assert (len(orders), len(investments)) == (3000, 300)
    companies = {c.name: c for c in repo.companies()}
    assert len(companies) == 10
    assert companies["Microsoft"].fiscal_year_end_month == 6
    assert {s.country for s in repo.suppliers()} == {"US", "CN"}
    assert len({o.supplier for o in orders}) == 8
    assert len({o.chip_model for o in orders}) == 20
    assert {o.year for o in orders} == set(range(2020, 2027))
    assert {o.currency for o in orders} == {"USD", "CNY", "EUR", None}
    kinds = Counter((o.period.basis, o.period.granularity) for o in orders)
    assert kinds[(Basis.CALENDAR, Granularity.QUARTER)] > 1000
    assert kinds[(Basis.FISCAL, Granularity.QUARTER)] > 200
    assert kinds[(Basis.CALENDAR, Granularity.YEAR)] > 500
    no_value = sum(1 for o in orders if o.value is None)
    no_units = sum(1 for o in orders if o.units is None)
    assert 90 < no_value < 240 and 40 < no_units < 160
    sources = Counter(o.source for o in orders)
    assert 100 <= len(sources) <= synthetic.SOURCE_COUNT + 1  # tens to hundreds, not one per row
    # every sourced row says it is synthetic, and every link goes nowhere
    assert all(s.startswith("Synthetic: ") for s in sources if s)
    assert all(o.source_url.startswith("https://example.invalid/") for o in orders if o.source)
    assert any(i.period.is_span for i in investments)
    rates = {(r.currency, r.year) for r in repo.fx_rates()}
    assert rates == {(c, y) for c in ("CNY", "EUR") for y in range(2020, 2027)}


def test_same_seed_same_rows(tmp_path: Path, repo: Repository) -> None:
    from capex_gui.storage.database import open_database

    write_synthetic(repo, orders=200, investments=20, seed=3)
    other = open_database(tmp_path / "other.capex", create=True)
    try:
        again = Repository(other.engine)
        write_synthetic(again, orders=200, investments=20, seed=3)
        assert again.chip_orders() == repo.chip_orders()
        assert again.investments() == repo.investments()
    finally:
        other.close()


def test_generate_command(tmp_path: Path, _isolated_home: Path) -> None:
    env = {**os.environ, "CAPEX_GUI_HOME": str(_isolated_home)}
    target = tmp_path / "big.capex"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "capex_gui", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    made = run("generate", str(target), "--orders", "2_000", "--investments", "50")
    assert made.returncode == 0, made.stderr
    assert "2,000 synthetic chip orders" in made.stdout
    again = run("generate", str(target), "--orders", "10")
    assert again.returncode == 2
    assert "exists already" in again.stderr
    bad = run("generate", str(tmp_path / "x.capex"), "--orders", "-5")
    assert bad.returncode == 2
    assert "whole number" in bad.stderr
    assert not (tmp_path / "x.capex").exists()
    summary = run("summary", str(target), "--json")
    assert summary.returncode == 0, summary.stderr
    data = json.loads(summary.stdout)
    assert {t["company"] for t in data["totals"]} >= {"ByteDance", "Microsoft"}
    assert {e["reason"] for e in data["excluded"]} >= {"no value", "no units"}
