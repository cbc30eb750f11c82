"""Imports: one transaction, batches, recorded, removable together; nothing on any failure."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from capex_gui.dataio.checking import REPORT_EVERY, ImportCancelled
from capex_gui.dataio.convert import RowFailure
from capex_gui.dataio.fields import ImportTable
from capex_gui.dataio.importer import ImportJob, check_import, run_import
from capex_gui.dataio.mapping import ColumnMapping
from capex_gui.dataio.tabular import open_table
from capex_gui.domain.aliases import AliasKind, CompanyAlias
from capex_gui.domain.entities import Company, FxRate
from capex_gui.errors import ConstraintError, ValidationError
from capex_gui.storage.aliases import add_alias, company_aliases, company_index, delete_alias
from capex_gui.storage.database import Database, open_database
from capex_gui.storage.imports import BATCH, list_imports, remove_import
from capex_gui.storage.repository import Repository

ORDERS = (
    "Buyer,Vendor,Units shipped,Year,Region,Value,Currency,Country,Supplier country\n"
    "MSFT,Nvidia,1200,2025,United States,12bn,USD,,\n"
    "Newco,Biren,300,2025,China,,,CN,CN\n"
    "newco,Nvidia,5,2025,China,,,,\n"
)


def job(path: Path, table: ImportTable = ImportTable.CHIP_ORDERS, **fixed: str) -> ImportJob:
    source = open_table(path)
    mapping = ColumnMapping.guess(table, source.headers)
    for key, value in fixed.items():
        mapping = mapping.with_fixed(key, value)
    return ImportJob(path, mapping)


def counts(db: Database) -> dict[str, int]:
    """Row counts read through a second connection."""
    other = open_database(db.url)
    try:
        with other.engine.connect() as conn:
            return {
                t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in (
                    "chip_orders",
                    "investments",
                    "companies",
                    "suppliers",
                    "fx_rates",
                    "imports",
                )
            }
    finally:
        other.close()


@pytest.fixture
def msft(sample_repo: Repository) -> Repository:
    if "Microsoft" not in {c.name for c in sample_repo.companies()}:
        sample_repo.add_company(Company("Microsoft", "US"))
    add_alias(sample_repo.engine, CompanyAlias("Microsoft", "MSFT", AliasKind.TICKER))
    return sample_repo


def test_import_writes_rows_names_and_record(
    msft: Repository, db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS)
    before = counts(db)
    checked = check_import(job(path), msft)
    assert checked.ok and checked.rows == 3
    assert [(n.kind, n.name, n.country, n.rows) for n in checked.new_names] == [
        ("company", "Newco", "CN", 2),
        ("supplier", "Biren", "CN", 1),
    ]
    assert counts(db) == before  # checking writes nothing

    outcome = run_import(job(path), msft)
    after = counts(db)
    assert after["chip_orders"] == before["chip_orders"] + 3
    assert after["companies"] == before["companies"] + 1
    assert after["imports"] == 1
    record = list_imports(msft.engine)[0]
    assert (record.file_name, record.table, record.row_count) == ("orders.csv", "chip_orders", 3)
    assert record.created == {"company": ["Newco"], "supplier": ["Biren"]}
    mine = [o for o in msft.chip_orders() if o.id is not None and o.id >= outcome.first_id]
    assert [(o.company, o.supplier, o.units) for o in mine] == [
        ("Microsoft", "Nvidia", 1200),
        ("Newco", "Biren", 300),
        ("Newco", "Nvidia", 5),
    ]

    removed = remove_import(msft, record.id)
    assert removed is not None and removed.id == record.id
    assert counts(db) == before  # rows, created names and the record all gone


def test_a_bad_row_writes_nothing(msft: Repository, db: Database, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(ORDERS + "MSFT,Nvidia,many,2025,China,,,,\n")
    before = counts(db)
    with pytest.raises(RowFailure) as failure:
        run_import(job(path), msft)
    assert [e.line for e in failure.value.errors] == [5]
    assert counts(db) == before


def test_new_company_without_country_is_refused(
    msft: Repository, db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "nocountry.csv"
    path.write_text("Buyer,Vendor,Units,Year,Region\nStranger,Nvidia,1,2025,China\n")
    before = counts(db)
    with pytest.raises(ValidationError, match="give a country for the new company Stranger"):
        run_import(job(path), msft)
    with pytest.raises(ValidationError, match=r"lacks: company Stranger \(line 2\)"):
        run_import(job(path), msft, create_missing=False)
    assert counts(db) == before
    run_import(job(path), msft, countries={("company", "Stranger"): "DE"})
    assert msft.countries().companies["Stranger"] == "DE"


def test_cancel_in_the_writing_pass_writes_nothing(
    msft: Repository, db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "many.csv"
    path.write_text(ORDERS.splitlines()[0] + "\n" + "MSFT,Nvidia,1,2025,China,,,,\n" * (BATCH * 3))
    before = counts(db)
    calls = []
    # SQLite converts and writes in one pass; a server database checks the file first (one
    # cancel check per REPORT_EVERY rows in each pass).
    checks_per_pass = BATCH * 3 // REPORT_EVERY
    check_pass = 0 if db.engine.dialect.name == "sqlite" else checks_per_pass

    def cancelled() -> bool:
        calls.append(1)
        # inside the writing pass, after at least one batch went to the database
        return len(calls) > check_pass + BATCH // REPORT_EVERY + 1

    with pytest.raises(ImportCancelled):
        run_import(job(path), msft, cancelled=cancelled)
    assert counts(db) == before


def test_redo_repeats_ids_and_refuses_a_changed_file(msft: Repository, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS)
    first = run_import(job(path), msft)
    ids = sorted(o.id for o in msft.chip_orders() if o.id and o.id >= first.first_id)
    remove_import(msft, first.record.id)
    again = run_import(
        job(path),
        msft,
        references=first.references,
        import_id=first.record.id,
        first_id=first.first_id,
        expected_fingerprint=first.fingerprint,
    )
    assert again.record.id == first.record.id
    assert sorted(o.id for o in msft.chip_orders() if o.id and o.id >= first.first_id) == ids
    remove_import(msft, first.record.id)
    path.write_text(ORDERS + "MSFT,Nvidia,1,2025,China,,,,\n")
    with pytest.raises(ValidationError, match="has changed since it was imported"):
        run_import(job(path), msft, expected_fingerprint=first.fingerprint)


def test_fx_import_replaces_rates_and_removal_restores_them(
    sample_repo: Repository, tmp_path: Path
) -> None:
    old = {(r.currency, r.year): r for r in sample_repo.fx_rates()}
    path = tmp_path / "fx.csv"
    key = next(iter(old))
    path.write_text(f"Currency,Year,Rate,Note\n{key[0]},{key[1]},9.5,new\nJPY,2025,150.25,\n")
    outcome = run_import(job(path, ImportTable.FX_RATES), sample_repo)
    rates = {(r.currency, r.year): r for r in sample_repo.fx_rates()}
    assert rates[key].units_per_usd == Decimal("9.5")
    assert rates[("JPY", 2025)].units_per_usd == Decimal("150.25")
    assert outcome.replaced == [old[key]]
    remove_import(sample_repo, outcome.record.id, restore=outcome.replaced)
    assert {(r.currency, r.year): r for r in sample_repo.fx_rates()} == old


def test_fx_import_removed_later_puts_the_replaced_rates_back(
    sample_repo: Repository, tmp_path: Path
) -> None:
    """Removed by another program later (capex-gui imports --remove, File → Imports…), with
    nothing but the record: the rates it replaced come back, exactly."""
    old = {(r.currency, r.year): r for r in sample_repo.fx_rates()}
    path = tmp_path / "fx.csv"
    key = next(iter(old))
    path.write_text(f"Currency,Year,Rate,Note\n{key[0]},{key[1]},9.5,new\nJPY,2025,150.25,\n")
    outcome = run_import(job(path, ImportTable.FX_RATES), sample_repo)
    [record] = list_imports(sample_repo.engine)
    assert record.replaced == [old[key]] and record.created == {}
    db = open_database(sample_repo.engine.url.render_as_string(hide_password=False))
    try:
        gone = remove_import(db.engine, outcome.record.id)  # a second connection, no outcome
    finally:
        db.close()
    assert gone is not None and gone.replaced == [old[key]]
    assert {(r.currency, r.year): r for r in sample_repo.fx_rates()} == old


def test_fx_file_with_a_rate_twice(sample_repo: Repository, tmp_path: Path) -> None:
    path = tmp_path / "fx.csv"
    path.write_text("Currency,Year,Rate\nJPY,2025,150\nJPY,2025,151\n")
    with pytest.raises(ConstraintError, match="two rates for JPY 2025"):
        run_import(job(path, ImportTable.FX_RATES), sample_repo)
    assert ("JPY", 2025) not in {(r.currency, r.year) for r in sample_repo.fx_rates()}


def test_aliases(msft: Repository) -> None:
    engine = msft.engine
    add_alias(engine, CompanyAlias("ByteDance", "字节跳动"))
    with pytest.raises(ConstraintError, match="already an alias of Microsoft"):
        add_alias(engine, CompanyAlias("ByteDance", "msft"))
    with pytest.raises(ConstraintError, match="is the name of the company ByteDance"):
        add_alias(engine, CompanyAlias("Microsoft", "BYTEDANCE"))
    index = company_index(engine)
    assert index.find("ＭＳＦＴ") == "Microsoft" and index.find("字节跳动") == "ByteDance"
    assert [a.alias for a in company_aliases(engine, "Microsoft")] == ["MSFT"]
    gone = delete_alias(engine, "Microsoft", "msft")
    assert gone is not None and gone.kind is AliasKind.TICKER
    assert company_index(engine).find("MSFT") is None


def test_fx_rate_values_are_exact(sample_repo: Repository, tmp_path: Path) -> None:
    path = tmp_path / "fx.csv"
    path.write_text("Currency;Year;Units per USD\nKRW;2025;1.380,1234567891\n")
    run_import(job(path, ImportTable.FX_RATES), sample_repo)
    found = [r for r in sample_repo.fx_rates() if r.currency == "KRW"]
    assert [(r.year, r.units_per_usd) for r in found] == [(2025, Decimal("1380.1234567891"))]
    assert isinstance(found[0], FxRate)
