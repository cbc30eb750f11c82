"""A writer waits for another connection's write lock instead of failing (issue 10, finding 2)."""

from __future__ import annotations

import sqlite3
import threading
import time
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from capex_gui.domain.entities import ChipOrder
from capex_gui.errors import StorageError
from capex_gui.storage import sqlite
from capex_gui.storage.changes import LOCK_WAIT_S

if TYPE_CHECKING:
    from capex_gui.storage.database import Database
    from capex_gui.storage.repository import Repository


def _hold_write_lock(db: Database, seconds: float, locked: threading.Event) -> threading.Thread:
    """Another program: takes the write lock, writes, keeps the lock *seconds*, commits."""
    path = db.path
    assert path is not None

    def run() -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE companies SET country = country")
            conn.execute(
                "INSERT INTO regions (name, created_at, updated_at) "
                "VALUES ('Mars', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
            locked.set()
            time.sleep(seconds)
            conn.execute("COMMIT")
        finally:
            conn.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _order(_repo: Repository) -> ChipOrder:
    return ChipOrder(
        "ByteDance", 2025, "China", "Nvidia", units=10, value=Decimal(5), currency="USD"
    )


def test_a_write_waits_for_a_lock_held_less_than_the_timeout(
    sample_repo: Repository, db: Database
) -> None:
    locked = threading.Event()
    holder = _hold_write_lock(db, 0.6, locked)
    assert locked.wait(5)
    started = time.monotonic()
    try:
        made = sample_repo.add_chip_order(_order(sample_repo))  # reads names, then inserts
    finally:
        holder.join()
    waited = time.monotonic() - started
    assert 0.3 < waited < LOCK_WAIT_S
    assert made.id in {o.id for o in sample_repo.chip_orders()}
    assert "Mars" in {r.name for r in sample_repo.regions()}  # the other program's write stands


def test_a_deferred_read_then_write_is_refused_which_is_why_writes_lock_first(
    sample_repo: Repository, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control: without the lock taken up front, the same edit is refused."""
    monkeypatch.setattr(sample_repo, "_write_engine", sample_repo.engine)
    locked = threading.Event()
    holder = _hold_write_lock(db, 0.6, locked)
    assert locked.wait(5)
    try:
        with pytest.raises(StorageError, match="locked"):
            sample_repo.add_chip_order(_order(sample_repo))
    finally:
        holder.join()


def test_a_lock_held_longer_than_the_timeout_refuses_the_edit_with_a_sentence(
    sample_repo: Repository, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite, "BUSY_TIMEOUT_MS", 300)
    from capex_gui.storage.database import open_database
    from capex_gui.storage.repository import Repository

    assert db.path is not None
    short = open_database(db.path)
    try:
        repo = Repository(short.engine)
        locked = threading.Event()
        holder = _hold_write_lock(db, 1.5, locked)
        assert locked.wait(5)
        try:
            with pytest.raises(StorageError, match=r"^Not saved: another program kept"):
                repo.add_chip_order(_order(repo))
        finally:
            holder.join()
        assert len(repo.chip_orders()) == len(sample_repo.chip_orders())
    finally:
        short.close()


def test_reads_do_not_wait_for_a_writer(sample_repo: Repository, db: Database) -> None:
    locked = threading.Event()
    holder = _hold_write_lock(db, 0.6, locked)
    assert locked.wait(5)
    started = time.monotonic()
    try:
        assert sample_repo.chip_orders()
        assert time.monotonic() - started < 0.5
    finally:
        holder.join()


@pytest.fixture
def backend() -> str:
    """SQLite only: this module is about database files (tests/postgres has the server's side)."""
    return "sqlite"
