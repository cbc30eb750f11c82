"""Where the app keeps its per-user files (platformdirs), and first-run set-up."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from platformdirs import PlatformDirs

from capex_gui import APP_ID, ORG_NAME
from capex_gui.storage import backup
from capex_gui.storage.database import Database, open_database
from capex_gui.storage.repository import Repository
from capex_gui.storage.sample import write_sample

logger = logging.getLogger(__name__)

#: Set to a folder to keep data, settings and logs there instead (tests, portable use).
HOME_ENV = "CAPEX_GUI_HOME"


def dirs() -> PlatformDirs:
    """The platform's per-user folders for this app."""
    return PlatformDirs(APP_ID, ORG_NAME, roaming=False)


def data_dir() -> Path:
    """Folder of the default database."""
    home = os.environ.get(HOME_ENV)
    return Path(home) / "data" if home else Path(dirs().user_data_dir)


def log_dir() -> Path:
    """Folder of the rotating log file."""
    home = os.environ.get(HOME_ENV)
    return Path(home) / "logs" if home else Path(dirs().user_log_dir)


def config_dir() -> Path:
    """Folder of the settings file."""
    home = os.environ.get(HOME_ENV)
    return Path(home) / "config" if home else Path(dirs().user_config_dir)


def backup_dir() -> Path:
    """Folder of the automatic backups (one sub-folder per database file)."""
    return data_dir() / "backups"


def backups_of(database: Path) -> Path:
    """Folder of *database*'s backups."""
    return backup.backup_folder(backup_dir(), database)


def backup_on_open(database: Database, *, keep: int = backup.DEFAULT_KEEP) -> Path | None:
    """Take the daily backup of an opened file if one is due; returns it (None: none taken).

    Files opened read-only and databases on a server are not backed up here. Raises
    StorageError when the copy could not be written (the database stays open and usable).
    """
    path = database.path
    if path is None or database.read_only:
        return None
    return backup.backup_if_due(path, backups_of(path), keep=keep)


def default_database_path() -> Path:
    """The per-user database opened when no other is named."""
    return data_dir() / "capex.capex"


def create_sample_database(path: Path) -> Database:
    """Make a new database at *path* filled with the sample; nothing is left behind on failure."""
    db = open_database(path, create=True)
    try:
        write_sample(Repository(db.engine))
    except BaseException:
        db.close()
        for leftover in (
            path,
            path.with_name(path.name + "-wal"),
            path.with_name(path.name + "-shm"),
        ):
            leftover.unlink(missing_ok=True)
        raise
    return db


def open_default_database() -> Database:
    """Open the per-user database, creating it with the sample on first run."""
    path = default_database_path()
    if path.exists():
        return open_database(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    logger.info("first run: creating %s with the sample data", path)
    return create_sample_database(path)
