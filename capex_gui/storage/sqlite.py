"""Everything that knows the database is SQLite lives here, and only here.

- file paths -> URLs that never create a file by accident (``mode=rw``);
- the connection pragmas (foreign keys, WAL, busy timeout);
- transactional DDL: pysqlite does not wrap schema changes in a transaction on Python 3.11, so a
  killed migration could strand the file. We take BEGIN/COMMIT into our own hands;
- our file signature (``PRAGMA application_id``) and backup copies.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection

from capex_gui.storage.changes import LOCK_WAIT_S, WRITE_INTENT

#: 'CAPX' in ASCII: marks our files so another application's SQLite file is recognised as foreign.
APPLICATION_ID = 0x43415058

#: File extension of our databases.
EXTENSION = ".capex"

#: How long a connection waits for another one's write lock (ms): see changes.LOCK_WAIT_S.
BUSY_TIMEOUT_MS = round(LOCK_WAIT_S * 1000)


def is_sqlite(url: URL) -> bool:
    """True for any SQLite URL."""
    return url.get_backend_name() == "sqlite"


def file_url(path: Path, *, create: bool) -> URL:
    """A URL for *path* that lets SQLite create the file only when *create* is true."""
    mode = "rwc" if create else "rw"
    uri = f"file:{path.resolve().as_posix()}?mode={mode}"
    return URL.create("sqlite", database=uri, query={"uri": "true"})


def make_engine(url: URL, *, foreign_keys: bool = True) -> Engine:
    """An engine with our pragmas and explicit transactions (DDL included)."""
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, see below
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A transaction that will write takes the write lock as it begins (BEGIN IMMEDIATE), so
        # it waits up to BUSY_TIMEOUT_MS for another writer. A deferred one that reads and then
        # writes fails at once with SQLITE_BUSY when another process committed in between,
        # whatever the timeout. Reads stay deferred: in WAL mode they never wait.
        writes = conn.get_execution_options().get(WRITE_INTENT, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    return engine


def enable_wal(engine: Engine) -> None:
    """Switch our file to write-ahead logging (persistent; readers never block the writer)."""
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA journal_mode = WAL")  # type: ignore[union-attr]
    finally:
        raw.close()


def application_id(conn: Connection) -> int:
    """The file's application_id (0 for a file nobody marked)."""
    return int(conn.exec_driver_sql("PRAGMA application_id").scalar_one())


def mark_as_ours(conn: Connection) -> None:
    """Write our application_id into the file header."""
    conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")


def has_user_tables(conn: Connection) -> bool:
    """True when the file holds any table at all."""
    n = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type = 'table'").scalar_one()
    return int(n) > 0


def foreign_key_problems(conn: Connection) -> list[tuple[Any, ...]]:
    """Rows that break a foreign key (checked before a migration commits)."""
    return [tuple(r) for r in conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()]


def database_path(url: URL) -> Path | None:
    """The file behind a SQLite URL (None for in-memory)."""
    db = url.database or ""
    if not db or db == ":memory:":
        return None
    if db.startswith("file:"):
        db = db[len("file:") :].split("?", 1)[0]
    return Path(db)


def backup_copy(url: URL, revision: str) -> Path:
    """Copy the database beside itself before an upgrade; returns the copy's path."""
    path = database_path(url)
    if path is None:
        raise ValueError("an in-memory database has no file to back up")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.rev{revision}-{stamp}.bak{path.suffix}")
    copy_file(path, target)
    return target


def copy_file(source: Path, target: Path) -> None:
    """A consistent copy of a live database file (SQLite's online backup)."""
    src = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def checkpoint(engine: Engine) -> None:
    """Fold the WAL back into the main file (before closing or copying)."""
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.rollback()
