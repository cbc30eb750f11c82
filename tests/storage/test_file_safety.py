"""Opening files safely: names that look like URI syntax, URLs, hostile and damaged content,
the connection settings, and a closed file that stands alone."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from capex_gui.app.paths import create_sample_database
from capex_gui.errors import DamagedDatabaseError, ForeignDatabaseError, StorageError
from capex_gui.storage import sqlite
from capex_gui.storage.database import open_database, to_url
from capex_gui.storage.repository import Repository

#: Names a file system allows that mean something in a URI, or are simply unusual.
ODD_NAMES = [
    "new#1.capex",
    "q1?draft.capex",
    "report%41.capex",
    "100% sure.capex",
    "two  words .capex",
    'it\'s "quoted".capex',
    "данные 亿元 ñ.capex",
    "a&mode=ro.capex",
]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", ODD_NAMES)
def test_a_file_uri_names_exactly_that_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    url = sqlite.file_url(path, create=True)
    assert sqlite.database_path(url) == path
    assert "#" not in (url.database or "").split("?")[0]
    con = sqlite3.connect(sqlite.file_uri(path, mode="rwc"), uri=True)
    con.execute("CREATE TABLE t (x)")
    con.close()
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_odd_names_touch_only_their_own_file(tmp_path: Path) -> None:
    # the files the unescaped names used to reach instead
    decoy = tmp_path / "reportA.capex"
    create_sample_database(decoy).close()
    (tmp_path / "new").write_bytes(b"not touched")
    (tmp_path / "q1").write_bytes(b"not touched either")
    before = {p.name: _digest(p) for p in tmp_path.iterdir()}
    for name in ODD_NAMES:
        create_sample_database(tmp_path / name).close()
        db = open_database(tmp_path / name)
        try:
            assert db.path == tmp_path / name
            assert db.label == str(tmp_path / name)
            assert len(Repository(db.engine).investments()) == 3
        finally:
            db.close()
    assert {p.name: _digest(p) for p in tmp_path.iterdir() if p.name in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*before, *ODD_NAMES])


def test_a_missing_odd_name_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="there is no database at"):
        open_database(tmp_path / "q1#draft.capex")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("foo://bar", "not a kind of database this app can open"),
        ("postgresql://user@127.0.0.1:1/capex", "server cannot be reached"),
        ("postgresql+psycopg2://u@h/db", "needs the Python package psycopg2"),
        ("sqlite://", r"\(in memory\) is empty"),
    ],
)
def test_urls_the_app_cannot_open_say_why(target: str, message: str) -> None:
    with pytest.raises(StorageError, match=message) as caught:
        open_database(target)
    assert "\n" not in str(caught.value)


def test_an_sqlite_url_to_a_file_gets_the_same_safeguards(tmp_path: Path) -> None:
    target = tmp_path / "x#1.capex"
    url = to_url(f"sqlite:///{target}")
    assert sqlite.database_path(url) == target
    with pytest.raises(StorageError, match="there is no database"):
        open_database(f"sqlite:///{target}")
    assert list(tmp_path.iterdir()) == []


def test_every_connection_gets_the_settings_chosen_on_purpose(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        with db.engine.connect() as conn:
            pragma = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar_one()
                for name in (
                    "journal_mode",
                    "synchronous",
                    "busy_timeout",
                    "foreign_keys",
                    "trusted_schema",
                    "cell_size_check",
                )
            }
            conn.rollback()
    finally:
        db.close()
    assert pragma == {
        "journal_mode": "wal",
        "synchronous": 2,  # FULL
        "busy_timeout": sqlite.BUSY_TIMEOUT_MS,
        "foreign_keys": 1,
        "trusted_schema": 0,
        "cell_size_check": 1,
    }


def test_closing_leaves_one_self_contained_file(db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path)
    repo = Repository(db.engine)
    first = repo.investments()[0]
    repo.update_investment(first.with_changes(notes="written before close"))
    assert db_path.with_name(db_path.name + "-wal").exists()  # while open, the WAL holds it
    db.close()
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]
    alone = tmp_path / "copied" / "alone.capex"
    alone.parent.mkdir()
    alone.write_bytes(db_path.read_bytes())  # the .capex alone carries everything
    copy = open_database(alone)
    try:
        assert Repository(copy.engine).investments()[0].notes == "written before close"
    finally:
        copy.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "sample.capex"
    create_sample_database(path).close()
    return path


@pytest.mark.parametrize(
    "ddl",
    [
        "CREATE TRIGGER spy AFTER UPDATE ON investments BEGIN SELECT 1; END",
        "CREATE VIEW everything AS SELECT * FROM investments",
        "CREATE TABLE extra (x TEXT)",
        "CREATE INDEX ix_mine ON investments (notes)",
    ],
)
def test_files_holding_objects_we_did_not_create_are_refused(db_path: Path, ddl: str) -> None:
    con = sqlite3.connect(db_path)
    con.execute(ddl)
    con.commit()
    con.close()
    before = _digest(db_path)
    with pytest.raises(ForeignDatabaseError, match="holds objects this app did not create"):
        open_database(db_path)
    assert _digest(db_path) == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


def test_a_zeroed_page_is_refused_as_damaged(db_path: Path) -> None:
    data = bytearray(db_path.read_bytes())
    data[4096 * 3 : 4096 * 4] = bytes(4096)
    db_path.write_bytes(bytes(data))
    with pytest.raises(DamagedDatabaseError, match="is damaged and was not opened") as caught:
        open_database(db_path)
    assert "\n" not in str(caught.value)
    assert db_path.read_bytes() == bytes(data)


@pytest.mark.parametrize(
    ("sql", "value"),
    [
        ("UPDATE investments SET notes = CAST(? AS TEXT)", b"caf\xe9 \xff"),
        ("UPDATE investments SET created_at = ?", "2026-11-29 12:07:09&559293"),
        ("UPDATE investments SET status = ?", "repOrted"),
        ("UPDATE investments SET year = ?", 2150),
    ],
)
def test_values_that_cannot_be_read_are_one_sentence(
    db_path: Path, sql: str, value: object
) -> None:
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA ignore_check_constraints = ON")  # as a flipped bit would
    con.execute(sql + " WHERE id = 2", (value,))
    con.commit()
    con.close()
    db = open_database(db_path)  # the pages are sound: the damage is inside one value
    try:
        with pytest.raises(StorageError, match="damaged") as caught:
            Repository(db.engine).investments()
        assert "\n" not in str(caught.value)
    finally:
        db.close()


def test_text_is_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "notes.capex"
    junk.write_text("just text " * 500)
    with pytest.raises(ForeignDatabaseError, match="not an AI Capex Tracker database"):
        open_database(junk)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.capex"]


def test_copy_file_is_atomic_and_stands_alone(db_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy #2 ?.capex"
    sqlite.copy_file(db_path, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([db_path.name, target.name])
    con = sqlite3.connect(sqlite.file_uri(target, mode="ro"), uri=True)
    assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert con.execute("SELECT count(*) FROM investments").fetchone() == (3,)
    con.close()
    with pytest.raises(StorageError, match="could not copy"):
        sqlite.copy_file(db_path, tmp_path / "no such folder" / "x.capex")


@pytest.fixture
def backend() -> str:
    """SQLite only: this module is about database files (tests/postgres has the server's side)."""
    return "sqlite"
