"""Rolling backups through SQLite's backup API, and restoring one (no Qt)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from capex_gui.app.paths import backup_on_open, backups_of, create_sample_database
from capex_gui.domain.entities import Investment
from capex_gui.errors import StorageError
from capex_gui.storage import backup
from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "mine #1.capex"
    create_sample_database(path).close()
    return path


def _add_investment(path: Path, note: str) -> None:
    db = open_database(path)
    try:
        repo = Repository(db.engine)
        first = repo.investments()[0]
        repo.add_investment(first.with_changes(id=None, notes=note))
    finally:
        db.close()


def test_one_backup_a_day_on_open_kept_in_the_data_folder(
    db_path: Path, _isolated_home: Path
) -> None:
    db = open_database(db_path)
    try:
        taken = backup_on_open(db, keep=3)
        assert taken is not None and taken.parent == backups_of(db_path)
        assert taken.is_relative_to(_isolated_home / "data" / "backups")
        assert backup_on_open(db, keep=3) is None  # not again the same day
    finally:
        db.close()
    (info,) = backup.list_backups(backups_of(db_path))
    assert (info.investments, info.chip_orders) == (3, 4)
    assert info.readable and abs(info.taken - datetime.now()) < timedelta(minutes=1)
    assert (taken.parent / "source.txt").read_text().strip() == str(db_path)


def test_a_day_later_another_and_only_the_newest_n_are_kept(db_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    start = datetime(2026, 1, 1, 9, 0)
    taken = []
    for day in range(5):
        now = start + timedelta(days=day)
        made = backup.backup_if_due(db_path, folder, keep=3, now=now)
        assert made is not None
        # the name carries the time the copy was made; stamp it as that day
        renamed = made.with_name(now.strftime(backup.STAMP) + ".capex")
        made.rename(renamed)
        taken.append(renamed)
        assert backup.backup_if_due(db_path, folder, keep=3, now=now + timedelta(hours=23)) is None
    backup.prune(folder, 3)
    left = [b.path for b in backup.list_backups(folder)]
    assert left == list(reversed(taken[-3:]))
    assert backup.backup_if_due(db_path, folder, keep=0) is None


def test_the_copy_is_consistent_and_self_contained(db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path)  # open, with committed edits still in the WAL
    try:
        repo = Repository(db.engine)
        repo.add_investment(repo.investments()[0].with_changes(id=None, notes="in the WAL"))
        made = backup.take_backup(db_path, tmp_path / "b", keep=5)
    finally:
        db.close()
    assert sorted(p.name for p in made.parent.iterdir()) == sorted([made.name, "source.txt"])
    con = sqlite3.connect(made)
    assert con.execute(
        "SELECT count(*) FROM investments WHERE notes = 'in the WAL'"
    ).fetchone() == (1,)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()


def test_restore_puts_the_backup_in_place_and_keeps_the_replaced_file(
    db_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "b"
    old = backup.take_backup(db_path, folder, keep=5)
    _add_investment(db_path, "added after the backup")
    safety = backup.restore_backup(old, db_path, folder, keep=5)
    db = open_database(db_path)
    try:
        assert len(Repository(db.engine).investments()) == 3
    finally:
        db.close()
    infos = {b.path: b for b in backup.list_backups(folder)}
    assert infos[safety].note == backup.BEFORE_RESTORE
    assert infos[safety].investments == 4  # the restore itself can be undone
    assert sorted(p.name for p in db_path.parent.iterdir() if p.is_file()) == [db_path.name]


def test_restore_over_a_damaged_file(db_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    good = backup.take_backup(db_path, folder, keep=5)
    data = bytearray(db_path.read_bytes())
    data[:100] = bytes(100)
    db_path.write_bytes(bytes(data))
    with pytest.raises(StorageError):
        open_database(db_path)
    safety = backup.restore_backup(good, db_path, folder, keep=5)
    assert safety.read_bytes() == bytes(data)  # the damaged file is kept too, byte for byte
    db = open_database(db_path)
    try:
        investments: list[Investment] = Repository(db.engine).investments()
        assert len(investments) == 3
    finally:
        db.close()
    assert backup.latest_backup(folder) is not None


def test_an_unreadable_backup_is_not_restored(db_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "b" / "20260101-000000.capex"
    bad.parent.mkdir()
    bad.write_bytes(b"garbage" * 1000)
    before = db_path.read_bytes()
    with pytest.raises(StorageError, match="cannot be read"):
        backup.restore_backup(bad, db_path, bad.parent, keep=5)
    assert db_path.read_bytes() == before
    (info,) = backup.list_backups(bad.parent)
    assert not info.readable


def test_restore_reaches_a_program_that_has_the_file_open(db_path: Path, tmp_path: Path) -> None:
    """A sound file is overwritten through SQLite (under its lock), not unlinked and replaced: a
    second window or program that has it open reads the restored rows, and its next edit lands
    in the restored file rather than in a deleted one."""
    folder = tmp_path / "b"
    old = backup.take_backup(db_path, folder, keep=5)
    other = open_database(db_path)  # another program, open throughout
    try:
        repo = Repository(other.engine)
        repo.add_investment(repo.investments()[0].with_changes(id=None, notes="after the backup"))
        assert len(repo.investments()) == 4
        backup.restore_backup(old, db_path, folder, keep=5)
        assert len(repo.investments()) == 3
        repo.add_investment(repo.investments()[0].with_changes(id=None, notes="after the restore"))
    finally:
        other.close()
    db = open_database(db_path)
    try:
        notes = [i.notes for i in Repository(db.engine).investments()]
    finally:
        db.close()
    assert len(notes) == 4 and notes[-1] == "after the restore"


@pytest.fixture
def backend() -> str:
    """SQLite only: this module is about database files (tests/postgres has the server's side)."""
    return "sqlite"
