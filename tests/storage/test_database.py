"""Opening, creating, refusing and migrating database files."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from capex_gui.errors import ForeignDatabaseError, NewerSchemaError, StorageError
from capex_gui.storage.database import head_revision, open_database
from capex_gui.storage.repository import Repository
from capex_gui.storage.sqlite import APPLICATION_ID

FIXTURE = Path(__file__).parent.parent / "fixtures" / "rev0001.capex"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_missing_path_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "typo.capex"
    with pytest.raises(StorageError, match="there is no database at"):
        open_database(target)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_create_makes_a_marked_file_at_head(tmp_path: Path) -> None:
    target = tmp_path / "new.capex"
    db = open_database(target, create=True)
    db.close()
    con = sqlite3.connect(target)
    assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
    con.close()
    with pytest.raises(StorageError, match="already exists"):
        open_database(target, create=True)
    open_database(target).close()


def test_foreign_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (x TEXT)")
    con.commit()
    con.close()
    before = _digest(other)
    with pytest.raises(ForeignDatabaseError, match="another application"):
        open_database(other)
    assert _digest(other) == before
    marked = tmp_path / "marked.db"
    con = sqlite3.connect(marked)
    con.execute("PRAGMA application_id = 1234")
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(ForeignDatabaseError):
        open_database(marked)


def test_non_database_file_is_refused_untouched(tmp_path: Path) -> None:
    junk = tmp_path / "notes.capex"
    junk.write_text("this is not a database, just some text " * 50)
    before = _digest(junk)
    with pytest.raises(ForeignDatabaseError, match="not an AI Capex Tracker database"):
        open_database(junk)
    assert _digest(junk) == before


def test_empty_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.capex"
    empty.touch()
    with pytest.raises(StorageError, match="empty"):
        open_database(empty)
    assert empty.stat().st_size == 0


def test_newer_revision_is_refused_untouched(tmp_path: Path) -> None:
    target = tmp_path / "future.capex"
    open_database(target, create=True).close()
    con = sqlite3.connect(target)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()
    before = _digest(target)
    with pytest.raises(NewerSchemaError, match="newer version of AI Capex Tracker"):
        open_database(target)
    assert _digest(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["future.capex"]


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    con = sqlite3.connect(path)
    try:
        tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        con.close()


def _columns(path: Path, table: str) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
    finally:
        con.close()


def _kept(old: tuple[object, ...], new: tuple[object, ...]) -> tuple[object, ...]:
    """The part of an upgraded row that the old schema had (new columns are appended)."""
    return new[: len(old)]


def _assert_periods_are_full_calendar_years(path: Path) -> None:
    """Every figure of an old file becomes the whole calendar year of its year."""
    con = sqlite3.connect(path)
    try:
        for table in ("investments", "chip_orders"):
            rows = con.execute(
                f"SELECT year, period_start, period_end, period_basis, period_kind, "
                f"period_year_end FROM {table}"
            ).fetchall()
            assert rows, table
            for year, start, end, basis, kind, year_end in rows:
                assert (start, end) == (year * 100 + 1, year * 100 + 12), table
                assert (basis, kind, year_end) == ("calendar", "year", 12), table
        assert {end for (end,) in con.execute("SELECT fiscal_year_end FROM companies")} == {12}
    finally:
        con.close()


def test_first_revision_fixture_upgrades_keeping_every_row(tmp_path: Path) -> None:
    target = tmp_path / "old.capex"
    shutil.copy(FIXTURE, target)
    old = _rows(target)
    assert old["alembic_version"] == [("0001",)]
    assert all(old[t] for t in ("companies", "suppliers", "investments", "chip_orders", "fx_rates"))
    db = open_database(target)
    try:
        repo = Repository(db.engine)
        new = _rows(target)
        for table, rows in old.items():
            if table == "alembic_version":
                continue
            assert len(new[table]) == len(rows), table
            if table != "categories":  # categories gained a column; others gained some at the end
                by_id = {row[0]: row for row in new[table]}
                assert [_kept(row, by_id[row[0]]) for row in rows] == rows, table
        assert db.backup is not None
        for table in ("companies", "investments", "chip_orders"):
            before = _columns(db.backup, table)
            assert _columns(target, table)[: len(before)] == before, table
        _assert_periods_are_full_calendar_years(target)
        assert {i.period.label for i in repo.investments()} == {
            str(i.year) for i in repo.investments()
        }
        assert new["alembic_version"] == [(head_revision(),)]
        assert len(repo.investments()) == len(old["investments"])
        assert len(repo.chip_orders()) == len(old["chip_orders"])
        assert db.backup is not None and db.backup.exists()
        assert _rows(db.backup) == old  # the backup is the file as it was
    finally:
        db.close()


def test_interrupted_upgrade_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "old.capex"
    shutil.copy(FIXTURE, target)
    old = _rows(target)
    import capex_gui.storage.sqlite as sq

    def explode(conn: object) -> list[tuple[object, ...]]:
        raise RuntimeError("power cut")

    monkeypatch.setattr(sq, "foreign_key_problems", explode)
    with pytest.raises(RuntimeError, match="power cut"):
        open_database(target)
    assert _rows(target) == old  # the whole upgrade rolled back: one transaction


REV0002 = Path(__file__).parent.parent / "fixtures" / "rev0002.capex"


def test_first_release_fixture_opens_keeping_every_row(tmp_path: Path) -> None:
    """rev0002 is the schema of the first release: files of that release must open whole."""
    target = tmp_path / "release1.capex"
    shutil.copy(REV0002, target)
    old = _rows(target)
    assert old["alembic_version"] == [("0002",)]
    db = open_database(target)
    try:
        repo = Repository(db.engine)
        new = _rows(target)
        for table, rows in old.items():
            assert len(new[table]) == len(rows), table
        investments = repo.investments()
        orders = repo.chip_orders()
        assert len(investments) == len(old["investments"]) == 5
        assert len(orders) == len(old["chip_orders"]) == 5
        assert sorted(i.amount for i in investments)[-1] == Decimal("99999999999999.99")
        assert {o.chip_model for o in orders} >= {"H20", "Ascend 910B", "B200"}
        assert any(i.notes == "line one\nline two" for i in investments)
        _assert_periods_are_full_calendar_years(target)
        assert sorted((i.year, i.period.label) for i in investments) == [
            (2023, "2023"),
            (2024, "2024"),
            (2024, "2024"),
            (2025, "2025"),
            (2025, "2025"),
        ]
        assert sorted(o.period.months_label for o in orders) == [
            "Jan–Dec 2024",
            "Jan–Dec 2025",
            "Jan–Dec 2025",
            "Jan–Dec 2025",
            "Jan–Dec 2026",
        ]
        assert {c.fiscal_year_end_month for c in repo.companies()} == {12}
        assert [(c.name, c.country) for c in repo.companies()] == [
            ("ByteDance", "CN"),
            ("Microsoft", "US"),
            ("Nvidia Buyer #1", "SG"),
            ("Tencent", "CN"),
        ]
    finally:
        db.close()


@pytest.fixture
def backend() -> str:
    """SQLite only: this module is about database files (tests/postgres has the server's side)."""
    return "sqlite"
