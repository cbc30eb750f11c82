"""The CLI import converts each row once, inside the write transaction: a bad row late in a
big file still writes nothing, a name first seen late still asks to be confirmed, and what is
remembered across rows (periods, names) never leaks between companies or imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from capex_gui.app.cli import main
from capex_gui.domain.entities import Company
from capex_gui.storage.database import open_database
from capex_gui.storage.imports import BATCH, list_imports
from capex_gui.storage.repository import Repository
from tests.test_data_cli import sample_db, snapshot

__all__ = ["sample_db"]  # the fixture, used by name

HEADER = "Company,Supplier,Units,Period,Region\n"


def add_companies(path: Path, *companies: Company) -> None:
    db = open_database(path)
    try:
        repo = Repository(db.engine)
        for company in companies:
            repo.add_company(company)
    finally:
        db.close()


def orders(path: Path) -> list[tuple[str, int | None, str]]:
    """(company, units, months) of every stored chip order, read through its own connection."""
    db = open_database(path)
    try:
        return [
            (o.company, o.units, o.period.months_label) for o in Repository(db.engine).chip_orders()
        ]
    finally:
        db.close()


def imports(path: Path) -> int:
    db = open_database(path)
    try:
        return len(list_imports(db.engine))
    finally:
        db.close()


def import_csv(db: Path, csv: Path, *extra: str) -> int:
    return main(["import", str(db), str(csv), "--table", "chip-orders", *extra])


def test_same_period_text_means_each_companys_fiscal_quarter(
    sample_db: Path, tmp_path: Path
) -> None:
    add_companies(
        sample_db,
        Company("Juneco", "US", fiscal_year_end_month=6),
        Company("Decco", "US", fiscal_year_end_month=12),
    )
    path = tmp_path / "fy.csv"
    path.write_text(
        HEADER
        + "Decco,Nvidia,1,FY2025 Q3,China\n"
        + "Juneco,Nvidia,2,FY2025 Q3,China\n"
        + "Decco,Nvidia,3,FY2025 Q3,China\n"
        + "Juneco,Nvidia,4,FY2025 Q3,China\n"
    )
    assert import_csv(sample_db, path) == 0
    got = sorted(o for o in orders(sample_db) if o[0] in ("Juneco", "Decco"))
    assert got == [
        ("Decco", 1, "Jul–Sep 2025"),
        ("Decco", 3, "Jul–Sep 2025"),
        ("Juneco", 2, "Jan–Mar 2025"),  # a June year end: FY2025 Q3 is Jan–Mar 2025
        ("Juneco", 4, "Jan–Mar 2025"),
    ]


def test_bad_rows_after_written_batches_write_nothing(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = 2 * BATCH + 500
    bad_lines = {2 * BATCH + 100, 2 * BATCH + 300}  # after two batches went to the database
    lines = [
        f"ByteDance,Nvidia,{n},{'Q5 2025' if n + 1 in bad_lines else 'Q3 2025'},China\n"
        for n in range(1, rows + 1)
    ]
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "".join(lines))
    before, recorded = snapshot(sample_db), imports(sample_db)
    assert import_csv(sample_db, path) == 1
    err = capsys.readouterr().err.splitlines()
    # the same bad text twice: each line is reported, not only the first
    assert [line.split(",")[0] for line in err[:2]] == [f"big.csv:{n}" for n in sorted(bad_lines)]
    assert all("Q5 2025" in line for line in err[:2])
    assert "2 rows fail; nothing will be imported" in err[-1]
    assert snapshot(sample_db) == before
    assert imports(sample_db) == recorded


def test_a_new_name_late_in_the_file_still_needs_confirming(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [f"ByteDance,Nvidia,{n},Q3 2025,China\n" for n in range(1, BATCH + 600)]
    rows.append("Newco,Nvidia,7,Q3 2025,China\n")
    path = tmp_path / "late.csv"
    path.write_text(HEADER + "".join(rows))
    before, recorded = snapshot(sample_db), imports(sample_db)
    assert import_csv(sample_db, path) == 1
    assert f"late.csv:{len(rows) + 1}: the database has no company “Newco”" in (
        capsys.readouterr().err
    )
    assert snapshot(sample_db) == before
    assert imports(sample_db) == recorded
    assert import_csv(sample_db, path, "--create-missing", "--country", "Newco=DE") == 0
    assert f"imported {len(rows):,} rows" in capsys.readouterr().out
    stored = orders(sample_db)
    assert len(stored) == len(before["chip_orders"]) + len(rows)  # type: ignore[arg-type]
    assert ("Newco", 7, "Jul–Sep 2025") in stored
    assert imports(sample_db) == recorded + 1  # one import, removable as one


def test_a_company_renamed_between_imports(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_companies(sample_db, Company("Oldco", "US", fiscal_year_end_month=6))
    path = tmp_path / "old.csv"
    path.write_text(HEADER + "Oldco,Nvidia,1,FY2025,China\n")
    assert import_csv(sample_db, path) == 0
    db = open_database(sample_db)
    try:
        repo = Repository(db.engine)
        (oldco,) = [c for c in repo.companies() if c.name == "Oldco"]
        repo.update_company(oldco.with_changes(name="Newname", fiscal_year_end_month=3))
    finally:
        db.close()
    renamed = tmp_path / "new.csv"
    renamed.write_text(HEADER + "Newname,Nvidia,2,FY2025,China\n")
    assert import_csv(sample_db, renamed) == 0
    # the second import knows the new name and the new year end (April 2024 – March 2025)
    assert ("Newname", 2, "Apr 2024–Mar 2025") in orders(sample_db)
    assert import_csv(sample_db, path) == 1  # the old name is no longer a company
    assert "the database has no company “Oldco”" in capsys.readouterr().err
