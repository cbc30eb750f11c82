"""Everything that knows the database is SQLite lives here, and only here.

Settings chosen on purpose (every connection, every file):

=======================  ============  ===========================================================
setting                  value         why
=======================  ============  ===========================================================
``journal_mode``         ``WAL``       readers never block the writer; a killed process loses no
                                       committed edit (the 564-kill probe of issue 10 and
                                       ``tests/app/test_kill.py``). Persistent in the file.
``synchronous``          ``FULL``      an acknowledged edit survives a power cut too, not only a
                                       crash (``NORMAL`` may roll back the last commits in WAL
                                       mode); our commits are one edit each, so the cost is small.
``busy_timeout``         5000 ms       a second writer waits up to 5 s for the lock instead of
                                       failing at once (``changes.LOCK_WAIT_S``).
write transactions       ``IMMEDIATE`` they take the write lock as they begin, so they can wait
                                       for it (a deferred read-then-write fails at once).
change notice            ``data_ver…`` a window asks ``PRAGMA data_version`` on a connection of its
                                       own every 400 ms (microseconds each) and reads the change
                                       log only when another connection committed.
``foreign_keys``         ``ON``        a figure cannot point at a missing company, supplier...
``trusted_schema``       ``OFF``       SQL stored in a file (CHECKs, views, triggers) may call only
                                       harmless built-in functions: a hostile file cannot run code.
``cell_size_check``      ``ON``        damaged pages are detected when read, not acted upon.
DBCONFIG_DEFENSIVE       on            forbids writes that can corrupt a file on purpose
                                       (``writable_schema``...). Set via
                                       ``sqlite3.Connection.setconfig`` on Python ≥ 3.12; Python
                                       3.11's ``sqlite3`` cannot reach it, and the app never issues
                                       those statements itself.
``integrity_check``      on open       a damaged file is refused before anything reads or writes
                                       it: the full check up to 32 MB, ``quick_check`` (no index
                                       contents) above (``tests/benchmarks/bench_open.py``).
schema objects           checked       a file holding triggers, views, tables or indexes our
                                       migrations did not create is refused.
checkpoint on close      ``TRUNCATE``  a closed file is self-contained: no ``-wal``/``-shm`` is
                                       left beside it, so copying the ``.capex`` copies everything.
read-only file/folder    ``mode=ro``   opened read-only and ``immutable`` (nothing is written
                                       beside the file; SQLite takes no lock) unless a ``-wal``
                                       with unsaved pages exists, which must then be read.
file names               encoded       a path goes into a ``file:`` URI percent-encoded, so ``#``,
                                       ``?`` and ``%41`` name that file and no other.
backups                  one step      SQLite's online backup API copying every page in one step
                                       (an incremental copy restarts for ever under writes).
=======================  ============  ===========================================================

Also here: transactional DDL (pysqlite does not wrap schema changes in a transaction on Python
3.11, so we issue BEGIN/COMMIT ourselves and a killed migration cannot strand a file), our file
signature (``PRAGMA application_id``), and SQLite's error codes turned into sentences.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection

from capex_gui.errors import StorageError
from capex_gui.storage.changes import LOCK_WAIT_S, WRITE_INTENT

logger = logging.getLogger(__name__)

#: 'CAPX' in ASCII: marks our files so another application's SQLite file is recognised as foreign.
APPLICATION_ID = 0x43415058

#: File extension of our databases.
EXTENSION = ".capex"

#: How long a connection waits for another one's write lock (ms): see changes.LOCK_WAIT_S.
BUSY_TIMEOUT_MS = round(LOCK_WAIT_S * 1000)

#: Files up to this size get the full ``integrity_check`` on open, larger ones ``quick_check``.
FULL_CHECK_MAX_BYTES = 32 * 2**20

#: The first 16 bytes of every SQLite 3 file.
HEADER_MAGIC = b"SQLite format 3\x00"

#: SQLITE_DBCONFIG_DEFENSIVE (sqlite3.h); the sqlite3 module exports it from Python 3.12.
_DBCONFIG_DEFENSIVE = getattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE", 1010)


def is_sqlite(url: URL) -> bool:
    """True for any SQLite URL."""
    return url.get_backend_name() == "sqlite"


def file_uri(path: Path, *, mode: str = "rw", immutable: bool = False) -> str:
    """An SQLite ``file:`` URI naming exactly *path*, whatever characters its name holds.

    ``#``, ``?`` and ``%`` would otherwise end the path or be decoded (``report%41`` opening
    ``reportA``); the path is percent-encoded as RFC 3986 asks and SQLite decodes it back.
    """
    posix = path.resolve().as_posix()
    if not posix.startswith("/"):  # Windows: file:///C:/folder/name.capex
        posix = "/" + posix
    uri = f"file://{quote(posix, safe='/:')}?mode={mode}"
    return uri + "&immutable=1" if immutable else uri


def file_url(path: Path, *, create: bool, read_only: bool = False, immutable: bool = False) -> URL:
    """A URL for *path*: SQLite may create the file only with *create*; never writes when
    *read_only*; with *immutable* it takes no lock and writes nothing beside the file."""
    mode = "ro" if read_only else ("rwc" if create else "rw")
    uri = file_uri(path, mode=mode, immutable=read_only and immutable)
    return URL.create("sqlite", database=uri, query={"uri": "true"})


def database_path(url: URL) -> Path | None:
    """The file behind a SQLite URL (None for in-memory)."""
    db = url.database or ""
    if not db or db == ":memory:" or "mode=memory" in db:
        return None
    if not db.startswith("file:"):
        return Path(db)
    db = db[len("file:") :].split("?", 1)[0].split("#", 1)[0]
    if db.startswith("//"):  # authority (empty or localhost), then the absolute path
        db = db[2:]
        db = db[db.find("/") :] if "/" in db else ""
    path = unquote(db)
    if len(path) > 2 and path[0] == "/" and path[2] == ":":  # /C:/... on Windows
        path = path[1:]
    return Path(path)


def is_read_only(url: URL) -> bool:
    """True when *url* opens its file with ``mode=ro``."""
    return "mode=ro" in (url.database or "").split("?", 1)[-1].split("&")


def read_only_reason(path: Path) -> str | None:
    """Why this process may not write *path* (None when it may)."""
    if not os.access(path, os.W_OK):
        return "you may not write to this file"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        # WAL needs its -wal and -shm files beside the database
        return f"you may not write to its folder {path.parent}"
    return None


def has_unsaved_wal(path: Path) -> bool:
    """True when a ``-wal`` beside *path* may hold commits not yet folded into the file."""
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


def make_engine(url: URL, *, foreign_keys: bool = True) -> Engine:
    """An engine with our pragmas (see the table above) and explicit transactions (DDL too)."""
    engine = create_engine(url)
    writable = not is_read_only(url)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, see below
        setconfig = getattr(dbapi_conn, "setconfig", None)
        if setconfig is not None:  # Python ≥ 3.12
            setconfig(_DBCONFIG_DEFENSIVE, True)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA trusted_schema = OFF")
        cur.execute("PRAGMA cell_size_check = ON")
        cur.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if writable:
            cur.execute("PRAGMA synchronous = FULL")
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


def check_integrity(conn: Connection, *, full: bool) -> list[str]:
    """Problems SQLite finds in the file (empty when it is sound).

    *full* runs ``integrity_check`` (also compares every index entry with its row), otherwise
    ``quick_check`` (pages, b-trees, NOT NULL). Both skip re-evaluating CHECK constraints: that
    pass costs 10x more, and a value that breaks one is refused when read anyway.
    """
    raw: Any = conn.connection.driver_connection
    text_factory = raw.text_factory
    raw.text_factory = _lenient_text  # a damaged file's report may quote bytes that are not text
    raw.execute("PRAGMA ignore_check_constraints = ON")
    try:
        pragma = "integrity_check" if full else "quick_check"
        rows = [str(r[0]) for r in raw.execute(f"PRAGMA {pragma}").fetchall()]
    finally:
        raw.execute("PRAGMA ignore_check_constraints = OFF")
        raw.text_factory = text_factory
    return [] if rows == ["ok"] else rows


def _lenient_text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def schema_objects(conn: Connection) -> list[tuple[str, str]]:
    """(type, name) of every table, index, view and trigger the file holds."""
    rows = conn.exec_driver_sql("SELECT type, name FROM sqlite_master").fetchall()
    return [(str(t), str(n)) for t, n in rows]


def is_internal(name: str) -> bool:
    """SQLite's own objects (automatic indexes, sqlite_sequence, sqlite_stat1...)."""
    return name.startswith("sqlite_")


def foreign_key_problems(conn: Connection) -> list[tuple[Any, ...]]:
    """Rows that break a foreign key (checked before a migration commits)."""
    return [tuple(r) for r in conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()]


def looks_like_sqlite(path: Path) -> bool:
    """True when *path* starts with SQLite's header (it may still be damaged further in)."""
    try:
        with path.open("rb") as f:
            return f.read(len(HEADER_MAGIC)) == HEADER_MAGIC
    except OSError:
        return False


# -- errors ----------------------------------------------------------------------------------
_CODES = {
    sqlite3.SQLITE_FULL: "the disk is full, so nothing was saved; free some space and try again",
    sqlite3.SQLITE_READONLY: "the database is open read-only, so nothing can be saved",
    sqlite3.SQLITE_CORRUPT: "the database file is damaged; restore a backup",
    sqlite3.SQLITE_NOTADB: "the file is not a database, or is damaged",
    sqlite3.SQLITE_IOERR: "the disk reported an error reading or writing the file",
    sqlite3.SQLITE_CANTOPEN: "the file cannot be opened (is its folder there, and readable?)",
    sqlite3.SQLITE_PERM: "permission was denied",
    sqlite3.SQLITE_AUTH: "permission was denied",
    sqlite3.SQLITE_TOOBIG: "a value is too large for the database",
}


def error_code(exc: BaseException | None) -> int | None:
    """SQLite's primary result code of a driver error (None for other errors)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def explain(exc: BaseException | None) -> str | None:
    """What an SQLite error means for the user, in words (None when it has no plain meaning)."""
    code = error_code(exc)
    if code is not None and code in _CODES:
        return _CODES[code]
    text = str(exc).lower()
    if "disk is full" in text:
        return _CODES[sqlite3.SQLITE_FULL]
    if "readonly database" in text or "read-only" in text:
        return _CODES[sqlite3.SQLITE_READONLY]
    if "integer overflow" in text:
        return "a total is too large for the database to add up (more than 9.2 × 10^18 cents)"
    if "malformed" in text or "could not decode" in text:
        return _CODES[sqlite3.SQLITE_CORRUPT]
    return None


def is_damage(exc: BaseException | None) -> bool:
    """True for errors that mean the file's content is damaged."""
    text = str(exc).lower()
    return error_code(exc) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or (
        "malformed" in text or "could not decode" in text
    )


# -- copies ----------------------------------------------------------------------------------
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
    """A consistent, self-contained copy of a live database file, through SQLite's online
    backup API in one step; written beside *target* and renamed into place, so a failure or a
    kill never leaves a half copy under the target's name. Raises StorageError."""
    partial = target.with_name(f".{target.name}.partial")
    try:
        src = sqlite3.connect(_reading_uri(source), uri=True)
        try:
            dst = sqlite3.connect(file_uri(partial, mode="rwc"), uri=True)
            try:
                src.backup(dst)  # pages=-1: every page in one step
                dst.execute("PRAGMA journal_mode = DELETE")  # the copy stands alone
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        for leftover in (partial, partial.with_name(partial.name + "-journal")):
            leftover.unlink(missing_ok=True)
        reason = explain(exc) or str(exc)
        raise StorageError(f"could not copy {source} to {target}: {reason}") from exc


def _reading_uri(path: Path) -> str:
    """A URI to read *path* that leaves nothing beside it: a read-write connection removes the
    ``-wal``/``-shm`` it needed as it closes, a read-only one could not; an unwritable file is
    read as immutable (unless a ``-wal`` must be read)."""
    if read_only_reason(path) is None:
        return file_uri(path, mode="rw")
    return file_uri(path, mode="ro", immutable=not has_unsaved_wal(path))


def checkpoint(engine: Engine) -> None:
    """Fold the WAL back into the main file (before closing or copying)."""
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.rollback()


class DataVersionProbe:
    """Did another connection commit? ``PRAGMA data_version`` on a connection of its own.

    The number changes whenever any other connection (another process, or another connection of
    ours) commits to the file, and asking costs microseconds with no file I/O beyond the header
    SQLite already holds. The connection stays in autocommit: it never holds a read snapshot that
    would keep the WAL from being checkpointed.
    """

    def __init__(self, engine: Engine) -> None:
        self._raw = engine.raw_connection()
        self._last = self._version()

    def _version(self) -> int:
        try:
            cursor = self._raw.cursor()
            try:
                cursor.execute("PRAGMA data_version")
                row = cursor.fetchone()
            finally:
                cursor.close()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot tell whether the database changed: {exc}") from exc
        return int(row[0]) if row else 0

    def changed(self) -> bool:
        """True when another connection committed since the last call."""
        now = self._version()
        moved = now != self._last
        self._last = now
        return moved

    def close(self) -> None:
        """Give the connection back."""
        self._raw.close()
