"""capex-gui import / export-data: round trips, spreadsheets' own view, errors with lines."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from capex_gui.app.cli import main
from capex_gui.domain.entities import Company, Status
from capex_gui.domain.parsing import Bound
from capex_gui.domain.periods import parse_period
from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository
from capex_gui.storage.sample import write_sample
from tests.conftest import BOTH_BACKENDS

TABLES = ("fx-rates", "investments", "chip-orders")


@pytest.fixture(params=BOTH_BACKENDS)
def import_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path | str]:
    """An empty database to import into: a new file, or a new database on the test server
    (its URL, as a user types it on the command line)."""
    if request.param != "postgresql":
        yield new_db(tmp_path / "copy.capex")
        return
    server = request.getfixturevalue("pg_server")
    name = server.new_database(template=request.getfixturevalue("pg_template"))
    yield server.url(name).render_as_string(hide_password=False)
    server.drop_database(name)


@pytest.fixture
def sample_target(import_target: Path | str) -> Path | str:
    """The sample, in a file or on the server."""
    db = open_database(import_target)
    write_sample(Repository(db.engine))
    db.close()
    return import_target


@pytest.fixture
def sample_db(tmp_path: Path) -> Path:
    path = tmp_path / "sample.capex"
    db = open_database(path, create=True)
    write_sample(Repository(db.engine))
    db.close()
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV (a BOM, if any, dropped)."""
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def new_db(path: Path) -> Path:
    open_database(path, create=True).close()
    return path


def snapshot(path: Path | str) -> dict[str, object]:
    """Every stored value a round trip must keep (ids aside), read through its own connection."""
    db = open_database(path)
    try:
        repo = Repository(db.engine)
        return {
            "investments": [i.with_changes(id=None) for i in repo.investments()],
            "chip_orders": [o.with_changes(id=None) for o in repo.chip_orders()],
            "fx_rates": [r.with_changes(id=None) for r in repo.fx_rates()],
            "companies": [
                (c.name, c.country, c.fiscal_year_end_month)
                for c in repo.companies()
                if c.name in _used(repo)
            ],
            "suppliers": [
                (s.name, s.country)
                for s in repo.suppliers()
                if s.name in {o.supplier for o in repo.chip_orders()}
            ],
        }
    finally:
        db.close()


def _used(repo: Repository) -> set[str]:
    return {i.company for i in repo.investments()} | {o.company for o in repo.chip_orders()}


def add_awkward_rows(path: Path) -> None:
    """Figures of every kind the sample lacks: quarters of a June fiscal year, halves, spans,
    ranges, qualifiers, statuses, dates, and text with commas, quotes, newlines and formulas."""
    db = open_database(path)
    repo = Repository(db.engine)
    first = repo.investments()[0]
    msft = 6  # Microsoft's fiscal year ends in June (in the sample)
    repo.add_investments(
        [
            first.with_changes(
                id=None,
                company="Microsoft",
                region="Global",
                period=parse_period("FY25 Q3", msft),
                amount=Decimal("21356000000"),
                currency="USD",
                status=Status.CONFIRMED,
                bound=Bound.EXACT,
                quote='He said, "capex rose"\nand then\tmore.',
                notes="=1+1",
                source="Company filings (test data)",
                reported_on=date(2025, 4, 30),
                source_url="https://example.com/q3?x=1&y=2",
            ),
            first.with_changes(
                id=None,
                company="Microsoft",
                region="Global",
                period=parse_period("H1 2025", 12),
                amount=Decimal("1234567.89"),
                currency="EUR",
                amount_low=Decimal("1000000"),
                amount_high=Decimal("1500000.5"),
                bound=Bound.ABOUT,
                status=Status.ESTIMATE,
                notes="- a bullet",
                quote="@mention",
            ),
            first.with_changes(
                id=None,
                period=parse_period("2025–2027", 12),
                # more digits than a float holds: the XLSX keeps them as exact text
                amount=Decimal("123456789012345.67"),
                currency="CNY",
                bound=Bound.AT_LEAST,
                status=Status.PLANNED,
                notes="+ spread later",
            ),
        ]
    )
    order = repo.chip_orders()[0]
    repo.add_chip_orders(
        [
            order.with_changes(
                id=None,
                company="Microsoft",
                supplier="Nvidia",
                units=12_345,
                value=None,
                currency=None,
                period=parse_period("FY2025", msft),
                bound=Bound.AT_MOST,
                chip_model="H100, SXM",
                export_note="",
                status=Status.REPORTED,
            ),
            order.with_changes(
                id=None,
                units=None,
                value=Decimal("0.01"),
                currency="USD",
                period=parse_period("Q4 2025", 12),
                chip_model="=cmd|' /C calc'!A0",
                bound=Bound.EXACT,
            ),
        ]
    )
    db.close()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_keeps_every_value(
    sample_db: Path,
    import_target: Path | str,
    tmp_path: Path,
    suffix: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Exported from a file, imported into a new file and (the same rows) into a server."""
    add_awkward_rows(sample_db)
    target = import_target
    for table in TABLES:
        out = tmp_path / f"{table}{suffix}"
        assert main(["export-data", str(sample_db), "--table", table, "-o", str(out)]) == 0
        code = main(["import", str(target), str(out), "--table", table, "--create-missing"])
        assert code == 0, capsys.readouterr().err
    before, after = snapshot(sample_db), snapshot(target)
    for key in before:
        assert after[key] == before[key], key
    assert before["investments"] and before["chip_orders"] and before["fx_rates"]


def test_export_xlsx_cells_are_typed_and_laid_out(sample_db: Path, tmp_path: Path) -> None:
    db = open_database(sample_db)
    repo = Repository(db.engine)
    repo.add_investment(repo.investments()[0].with_changes(id=None, reported_on=date(2025, 2, 10)))
    db.close()
    out = tmp_path / "inv.xlsx"
    assert main(["export-data", str(sample_db), "--table", "investments", "-o", str(out)]) == 0
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    headers = [c.value for c in ws[1]]
    assert headers[:6] == ["Company", "Period", "Year", "Category", "Region", "Amount"]
    assert ws.freeze_panes == "B2"
    assert all(c.font.bold for c in ws[1])
    row = {h: c for h, c in zip(headers, ws[2], strict=False)}
    assert isinstance(row["Year"].value, int) and row["Year"].data_type == "n"
    assert isinstance(row["Amount"].value, int | float) and row["Amount"].data_type == "n"
    assert row["Amount"].number_format == "#,##0.00"
    assert ws.column_dimensions["A"].width >= 18
    dated = [r for r in ws.iter_rows(min_row=2) if r[headers.index("Reported on")].value]
    cell = dated[0][headers.index("Reported on")]
    assert cell.is_date and cell.value == datetime(2025, 2, 10)


def test_formula_text_stays_text(sample_db: Path, tmp_path: Path) -> None:
    evil = '=HYPERLINK("http://x","y")'
    db = open_database(sample_db)
    repo = Repository(db.engine)
    repo.add_company(Company(evil, "US"))
    first = repo.investments()[0]
    repo.add_investment(first.with_changes(id=None, company=evil, notes="-1+1", quote="@SUM(A1)"))
    db.close()
    csv_out, xlsx_out = tmp_path / "inv.csv", tmp_path / "inv.xlsx"
    for out in (csv_out, xlsx_out):
        assert main(["export-data", str(sample_db), "--table", "investments", "-o", str(out)]) == 0
    text = csv_out.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'-1+1" in text and "'@SUM(A1)" in text
    rows = read_csv(csv_out)
    assert all(not r["Amount"].startswith("'") for r in rows)  # numbers stay numbers
    ws = openpyxl.load_workbook(xlsx_out).active
    assert ws is not None
    cells = [r[0] for r in ws.iter_rows(min_row=2) if r[0].value == evil]
    assert cells and cells[0].data_type == "s"
    # and the import gives the very text back
    target = new_db(tmp_path / "back.capex")
    for out in (csv_out, xlsx_out):
        code = main(
            [
                "import",
                str(target),
                str(out),
                "--table",
                "investments",
                "--create-missing",
                "--country",
                f"{evil}=US",
            ]
        )
        assert code == 0
    back = open_database(target)
    names = {i.company for i in Repository(back.engine).investments()}
    notes = {i.notes for i in Repository(back.engine).investments()}
    back.close()
    assert evil in names and "-1+1" in notes


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.fail(
            "LibreOffice (soffice) is not installed: .ci/run installs "
            "libreoffice-calc-nogui; install it to run this test"
        )
    return found


def _libreoffice_convert(soffice: str, source: Path, target: str, profile: Path) -> Path:
    """*source* converted by LibreOffice Calc headless (*target*: the filter), in lo/."""
    outdir = source.parent / "lo"
    outdir.mkdir(exist_ok=True)
    proc = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{profile}",
            # a CSV is read as UTF-8, comma-separated (what Calc's import dialog would offer)
            "--infilter=CSV:44,34,76,1",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    extension = target.split(":", 1)[0]
    converted = outdir / f"{source.stem}.{extension}"
    assert converted.exists(), proc.stdout + proc.stderr
    return converted


def test_libreoffice_reads_the_same_numbers_and_text(sample_db: Path, tmp_path: Path) -> None:
    soffice = _soffice()
    add_awkward_rows(sample_db)  # EUR and CNY, a range, 17 significant digits, formula-like text
    evil = '=HYPERLINK("http://x","y")'
    db = open_database(sample_db)
    repo = Repository(db.engine)
    repo.add_company(Company(evil, "US"))
    repo.add_investment(repo.investments()[0].with_changes(id=None, company=evil))
    db.close()
    ours_csv, xlsx = tmp_path / "inv.csv", tmp_path / "inv.xlsx"
    for out in (ours_csv, xlsx):
        assert main(["export-data", str(sample_db), "--table", "investments", "-o", str(out)]) == 0
    profile = tmp_path / "lo-profile"
    # our XLSX, as Calc reads it and writes it out again as CSV
    theirs = read_csv(
        _libreoffice_convert(
            soffice,
            xlsx,
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false",
            profile,
        )
    )
    ours = read_csv(ours_csv)
    assert len(theirs) == len(ours) > 3
    numbers = ("Year", "Amount", "Low", "High", "Value (USD)")
    for mine, calc in zip(ours, theirs, strict=True):
        for column in numbers:
            if mine[column]:
                assert Decimal(calc[column]) == Decimal(mine[column]), column
            else:
                assert calc[column] == ""
    assert "123456789012345.67" in [row["Amount"] for row in theirs]  # not ...345.7
    assert evil in [row["Company"] for row in theirs]  # text, not a live formula ("y")
    # our CSV opened in Calc: the company is a text cell, no cell is a formula, and the
    # numbers are numbers
    book = openpyxl.load_workbook(_libreoffice_convert(soffice, ours_csv, "xlsx", profile))
    ws = book.active
    assert ws is not None
    rows = list(ws.iter_rows())
    headers = [c.value for c in rows[0]]
    assert not [c.coordinate for row in rows for c in row if c.data_type == "f"]
    [evil_row] = [r for r in rows if str(r[0].value).endswith(evil)]
    assert evil_row[0].data_type == "s" and evil_row[0].value == "'" + evil
    amount = evil_row[headers.index("Amount")]
    assert amount.data_type == "n"
    [mine] = [r for r in ours if r["Company"] == "'" + evil]
    assert Decimal(str(amount.value)) == Decimal(mine["Amount"])


def test_import_errors_go_to_stderr_with_lines(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Buyer,Vendor,Units shipped,Year,Region\n"
        "ByteDance,Nvidia,100,2025,China\n"
        "ByteDance,Nvidia,lots,2025,China\n"
        "ByteDance,Nvidia,5,20x5,China\n"
    )
    before = snapshot(sample_db)
    assert main(["import", str(sample_db), str(bad), "--table", "chip-orders"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("bad.csv:3, column C “Units shipped”: ")
    assert err[1].startswith("bad.csv:4, column D “Year”: ")
    assert "2 rows fail; nothing will be imported" in err[-1]
    assert snapshot(sample_db) == before


def test_dry_run_map_and_set(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "odd.csv"
    path.write_text('Who,Maker,How many\nByteDance,Nvidia,"1,000"\n')
    assert main(["import", str(sample_db), str(path), "--table", "chip-orders"]) == 2
    assert "no column is Company" in capsys.readouterr().err
    args = [
        "import",
        str(sample_db),
        str(path),
        "--table",
        "chip-orders",
        "--map",
        "company=Who",
        "--map",
        "supplier=B",
        "--map",
        "units=How many",
        "--set",
        "year=2025",
        "--set",
        "region=China",
        "--dry-run",
    ]
    before = snapshot(sample_db)
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "1 row would be imported into chip orders" in out
    assert "Company            <- column A “Who”" in out
    assert "Year               =  “2025” (fixed)" in out
    assert "ByteDance | 2025 | Nvidia | - | 1,000 units | -" in out
    assert snapshot(sample_db) == before
    assert main(args[:-1]) == 0
    assert len(snapshot(sample_db)["chip_orders"]) == len(before["chip_orders"]) + 1  # type: ignore[arg-type]


def test_unknown_names_need_create_missing(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new.csv"
    path.write_text("Buyer,Vendor,Units,Year,Region\nNewco,Nvidia,1,2025,China\n")
    assert main(["import", str(sample_db), str(path), "--table", "chip-orders"]) == 1
    assert "new.csv:2: the database has no company “Newco”" in capsys.readouterr().err
    assert (
        main(["import", str(sample_db), str(path), "--table", "chip-orders", "--create-missing"])
        == 1
    )
    assert "needs a country" in capsys.readouterr().err
    assert (
        main(
            [
                "import",
                str(sample_db),
                str(path),
                "--table",
                "chip-orders",
                "--create-missing",
                "--country",
                "Newco=DE",
            ]
        )
        == 0
    )
    assert "imported 1 row into chip orders from new.csv" in capsys.readouterr().out


def test_export_summary_both_formats(sample_db: Path, tmp_path: Path) -> None:
    db = open_database(sample_db)
    repo = Repository(db.engine)
    first = repo.investments()[0]
    year = first.with_changes(id=None, company="Meta", region="Global", currency="USD")
    repo.add_investments(
        [year.with_changes(period=parse_period("2025", 12), amount=Decimal(80_000_000_000))]
        + [
            year.with_changes(period=parse_period(f"Q{q} 2025", 12), amount=Decimal(22_050_000_000))
            for q in (1, 2, 3, 4)
        ]
    )
    db.close()
    assert (
        main(["export-data", str(sample_db), "--table", "summary", "-o", str(tmp_path / "s.xlsx")])
        == 0
    )
    book = openpyxl.load_workbook(tmp_path / "s.xlsx")
    assert book.sheetnames[:3] == ["Totals", "Spend", "Supplier shares"]
    totals = book["Totals"]
    assert totals.cell(1, 3).value == "Spend (USD)"
    assert isinstance(totals.cell(2, 3).value, float)
    rec = book["Reconciliation"]
    assert [c.value for c in rec[2]][:3] == ["Meta", "2025", first.category]
    assert rec.cell(2, 4).value == 80_000_000_000 and rec.cell(2, 5).value == 88_200_000_000
    assert (
        main(["export-data", str(sample_db), "--table", "summary", "-o", str(tmp_path / "s.csv")])
        == 0
    )
    rows = read_csv(tmp_path / "s.csv")
    parts = {r["Part"] for r in rows}
    assert {"total", "spend", "supplier share", "period", "reconciliation"} <= parts
    [check] = [r for r in rows if r["Part"] == "reconciliation"]
    assert (check["Company"], check["Year"], Decimal(check["Amount (USD or units)"])) == (
        "Meta",
        "2025",
        Decimal(8_200_000_000),
    )
    assert "+10%" in check["Reason"]
    shares = [Decimal(r["Share"]) for r in rows if r["Part"] == "supplier share"]
    assert shares and all(0 < s <= 1 for s in shares)


def test_export_refuses_other_extensions(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            ["export-data", str(sample_db), "--table", "investments", "-o", str(tmp_path / "x.ods")]
        )
        == 2
    )
    assert "ending in .csv or .xlsx" in capsys.readouterr().err
    assert not (tmp_path / "x.ods").exists()


def test_imports_are_listed_and_removed_later(
    sample_target: Path | str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample_db = sample_target  # a file, then a server database
    before = snapshot(sample_db)
    path = tmp_path / "later.csv"
    path.write_text("Buyer,Vendor,Units,Year,Region,Country\nLaterco,Nvidia,7,2025,China,CN\n")
    assert (
        main(["import", str(sample_db), str(path), "--table", "chip-orders", "--create-missing"])
        == 0
    )
    capsys.readouterr()
    assert main(["imports", str(sample_db)]) == 0
    listing = capsys.readouterr().out
    assert "#1 " in listing and "chip_orders" in listing and "later.csv, created 1 name" in listing
    assert main(["imports", str(sample_db), "--remove", "1"]) == 0
    assert "removed import #1: 1 row of chip orders from later.csv" in capsys.readouterr().out
    assert snapshot(sample_db) == before
    assert main(["imports", str(sample_db), "--remove", "1"]) == 2
    assert "there is no import #1" in capsys.readouterr().err
