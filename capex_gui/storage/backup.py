"""Rolling backups of a database file, and restoring one; no Qt (the window and CLI share it).

Every copy is made by SQLite's online backup API in ONE step (``sqlite.copy_file``): all pages
under one read transaction, so a copy is consistent even while another process writes. (An
incremental backup restarts whenever the source changes; under steady writes it never ends.)

Backups of one database live in their own folder under the app's backup folder, named after the
file and a digest of its full path, so two ``capex.capex`` in different folders keep apart::

    <backups>/capex-3f2a9c01d4/20261129-120501.capex
    <backups>/capex-3f2a9c01d4/20261129-120501 before restore.capex
    <backups>/capex-3f2a9c01d4/source.txt            (the database's path, for people)

The app takes one when it opens a file whose newest backup is a day old or more, and keeps the
newest N (a setting). Restoring backs up the current file first, so a restore can be undone by
restoring that copy.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from capex_gui.errors import StorageError
from capex_gui.storage import sqlite

if TYPE_CHECKING:
    from pathlib import Path

logger = logging.getLogger(__name__)

#: How often a backup is taken on open, at most.
BACKUP_INTERVAL = timedelta(days=1)
#: How many backups of each database are kept by default.
DEFAULT_KEEP = 10
#: Time stamp at the start of every backup's file name (local time).
STAMP = "%Y%m%d-%H%M%S"
BEFORE_RESTORE = "before restore"
_NAME = re.compile(r"^(\d{8}-\d{6})(?:-(\d+))?( .*)?\.capex$")


@dataclass(frozen=True)
class BackupInfo:
    """One backup file and what it holds."""

    path: Path
    taken: datetime
    #: Rows in the two figure tables (None when the copy cannot be read).
    investments: int | None
    chip_orders: int | None
    #: "before restore" for the copy made just before a restore replaced the file.
    note: str = ""

    @property
    def readable(self) -> bool:
        """True when the copy opened and its rows could be counted."""
        return self.investments is not None and self.chip_orders is not None


def backup_folder(root: Path, database: Path) -> Path:
    """The folder of *database*'s backups under *root* (the app's backup folder)."""
    resolved = database.resolve()
    digest = hashlib.sha256(str(resolved).encode("utf-8", "surrogateescape")).hexdigest()[:10]
    stem = re.sub(r"[^\w.-]+", "_", resolved.stem)[:40] or "database"
    return root / f"{stem}-{digest}"


def take_backup(database: Path, folder: Path, *, keep: int, note: str = "") -> Path:
    """Copy *database* into *folder* now, then drop all but the newest *keep* copies.

    Raises StorageError when the copy cannot be made (nothing is left behind then).
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "source.txt").write_text(f"{database.resolve()}\n", encoding="utf-8")
    except OSError as exc:
        raise StorageError(f"cannot write backups into {folder}: {exc.strerror or exc}") from exc
    target = _new_name(folder, note)
    sqlite.copy_file(database, target)
    logger.info("backed up %s to %s", database, target)
    prune(folder, keep)
    return target


def backup_if_due(
    database: Path,
    folder: Path,
    *,
    keep: int,
    every: timedelta = BACKUP_INTERVAL,
    now: datetime | None = None,
) -> Path | None:
    """Take a backup when the newest one is *every* old or more; None when none was due."""
    if keep <= 0:
        return None
    now = now or datetime.now()
    newest = max((taken for _p, taken, _n in _scan(folder)), default=None)
    if newest is not None and now - newest < every:
        return None
    return take_backup(database, folder, keep=keep)


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest *keep* backups in *folder*; returns what was deleted."""
    found = sorted(_scan(folder), key=lambda b: (b[1], b[0].name), reverse=True)
    gone = []
    for path, _taken, _note in found[max(keep, 1) :]:
        path.unlink(missing_ok=True)
        gone.append(path)
    return gone


def list_backups(folder: Path) -> list[BackupInfo]:
    """Every backup in *folder*, newest first, with its row counts."""
    found = sorted(_scan(folder), key=lambda b: (b[1], b[0].name), reverse=True)
    return [BackupInfo(path, taken, *_count_rows(path), note=note) for path, taken, note in found]


def latest_backup(folder: Path) -> BackupInfo | None:
    """The newest readable backup in *folder*, if any."""
    return next((b for b in list_backups(folder) if b.readable), None)


def restore_backup(backup: Path, database: Path, folder: Path, *, keep: int) -> Path:
    """Put *backup*'s content in place of *database*; returns the copy of the file it replaced.

    The current file is copied into *folder* first (a damaged one byte for byte). A sound file
    is then overwritten page by page through SQLite's backup API, under its write lock, so
    another program that has it open sees the restored content rather than keeping a file that
    was unlinked. A damaged file is replaced whole: the restored copy is written beside it and
    renamed into place, so a failure leaves the old file where it was. Raises StorageError.
    """
    if not sqlite.looks_like_sqlite(backup) or _count_rows(backup) == (None, None):
        raise StorageError(f"the backup {backup.name} cannot be read; choose another one")
    safety, sound = _keep_current(database, folder, keep=keep + 1)
    if sound:
        _restore_in_place(backup, database)
    else:
        _replace_whole(backup, database)
    logger.info("restored %s from %s (the replaced file is at %s)", database, backup, safety)
    return safety


def _restore_in_place(backup: Path, database: Path) -> None:
    """Copy every page of *backup* into the live *database* in one step, under its lock."""
    try:
        src = sqlite3.connect(sqlite.file_uri(backup, mode="ro", immutable=True), uri=True)
        try:
            dst = sqlite3.connect(
                sqlite.file_uri(database, mode="rw"),
                uri=True,
                timeout=sqlite.BUSY_TIMEOUT_MS / 1000,
            )
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        reason = sqlite.explain(exc) or str(exc)
        raise StorageError(f"could not restore {database}: {reason}") from exc


def _replace_whole(backup: Path, database: Path) -> None:
    """Write the restored file beside a damaged *database* and rename it into place."""
    staging = database.with_name(f".{database.name}.restoring")
    sqlite.copy_file(backup, staging)
    try:
        for extra in ("-wal", "-shm"):  # they belong to the file being replaced
            database.with_name(database.name + extra).unlink(missing_ok=True)
        staging.replace(database)
    except OSError as exc:
        staging.unlink(missing_ok=True)
        raise StorageError(f"could not restore {database}: {exc.strerror or exc}") from exc


def _keep_current(database: Path, folder: Path, *, keep: int) -> tuple[Path, bool]:
    """Copy the file a restore is about to replace: (the copy, whether the file was sound)."""
    if sqlite.looks_like_sqlite(database) and _count_rows(database, live=True) != (None, None):
        return take_backup(database, folder, keep=keep, note=BEFORE_RESTORE), True
    target = _new_name(folder, f"{BEFORE_RESTORE} (damaged)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(database, target)
        wal = database.with_name(database.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, target.with_name(target.name + "-wal"))
    except OSError as exc:
        raise StorageError(
            f"could not keep a copy of {database} before restoring: {exc.strerror or exc}"
        ) from exc
    return target, False


def _new_name(folder: Path, note: str) -> Path:
    stamp = datetime.now().strftime(STAMP)
    suffix = f" {note}" if note else ""
    target = folder / f"{stamp}{suffix}.capex"
    n = 2
    while target.exists():
        target = folder / f"{stamp}-{n}{suffix}.capex"
        n += 1
    return target


def _scan(folder: Path) -> list[tuple[Path, datetime, str]]:
    """(path, time taken, note) of every backup file in *folder*."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match is None:
            continue
        try:
            taken = datetime.strptime(match.group(1), STAMP)
        except ValueError:
            continue
        found.append((path, taken, (match.group(3) or "").strip()))
    return found


def _count_rows(path: Path, *, live: bool = False) -> tuple[int | None, int | None]:
    """(investments, chip orders) in a database file after ``quick_check``; (None, None) when
    it cannot be read. Backups are read immutable (they have no -wal); a *live* file through a
    read-write connection, so its WAL counts and nothing is left beside it."""
    uri = (
        sqlite.file_uri(path, mode="rw")
        if live
        else sqlite.file_uri(path, mode="ro", immutable=True)
    )
    try:
        con = sqlite3.connect(uri, uri=True)
        try:
            con.execute("PRAGMA ignore_check_constraints = ON")  # 10x faster; see sqlite.py
            if con.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
                return None, None
            return tuple(  # type: ignore[return-value]
                int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
                for table in ("investments", "chip_orders")
            )
        finally:
            con.close()
    except (sqlite3.Error, UnicodeDecodeError, OSError):
        return None, None
