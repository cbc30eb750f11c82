"""Opening a database: a ``.capex`` file or any SQLAlchemy URL, migrated to the current schema."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError

from capex_gui.errors import ForeignDatabaseError, NewerSchemaError, StorageError
from capex_gui.storage import sqlite
from capex_gui.storage.schema import Base

logger = logging.getLogger(__name__)

OUR_TABLES = frozenset(Base.metadata.tables)


def alembic_config() -> Config:
    """Alembic configuration pointing at our bundled migration scripts."""
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    return cfg


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The schema revision this version of the app writes."""
    head = _scripts().get_current_head()
    assert head is not None
    return head


@cache
def known_revisions() -> frozenset[str]:
    """Every revision this version of the app knows."""
    return frozenset(rev.revision for rev in _scripts().walk_revisions())


def to_url(target: str | Path, *, create: bool = False) -> URL:
    """A SQLAlchemy URL for a file path or URL string."""
    if isinstance(target, str) and "://" in target:
        try:
            return make_url(target)
        except ArgumentError as exc:
            raise StorageError(f"{target!r} is not a valid database URL: {exc}") from None
    return sqlite.file_url(Path(target).expanduser(), create=create)


def describe(url: URL) -> str:
    """What to show the user for a database: a file path, or the URL without its password."""
    if sqlite.is_sqlite(url):
        path = sqlite.database_path(url)
        return str(path) if path else "(in memory)"
    return url.render_as_string(hide_password=True)


@dataclass
class Database:
    """An open database: its engine, where it is, and whether it was just upgraded."""

    engine: Engine
    url: URL
    backup: Path | None = None

    @property
    def path(self) -> Path | None:
        """The file, for a SQLite database."""
        return sqlite.database_path(self.url) if sqlite.is_sqlite(self.url) else None

    @property
    def label(self) -> str:
        """Human-readable location."""
        return describe(self.url)

    def close(self) -> None:
        """Release connections (checkpointing SQLite's WAL first)."""
        if sqlite.is_sqlite(self.url):
            try:
                sqlite.checkpoint(self.engine)
            except OperationalError:
                logger.warning("could not checkpoint %s", self.label, exc_info=True)
        self.engine.dispose()


def open_database(target: str | Path, *, create: bool = False) -> Database:
    """Open (or with *create*, make) a database and bring its schema to the current revision.

    Raises StorageError when the file is missing, foreign, newer than this app, or unreadable.
    """
    url = to_url(target, create=create)
    if sqlite.is_sqlite(url):
        path = sqlite.database_path(url)
        if path is not None:
            if create and path.exists() and path.stat().st_size > 0:
                raise StorageError(f"{path} already exists; choose a new file name")
            if not create and not path.exists():
                raise StorageError(f"there is no database at {path}")
            if create and not path.parent.is_dir():
                raise StorageError(f"the folder {path.parent} does not exist")
    try:
        return _open(url, create=create)
    except OperationalError as exc:
        raise StorageError(f"cannot open {describe(url)}: {exc.orig}") from exc
    except DatabaseError as exc:  # e.g. "file is not a database"
        raise ForeignDatabaseError(
            f"{describe(url)} is not an AI Capex Tracker database ({exc.orig})"
        ) from exc


def _engine(url: URL, *, foreign_keys: bool = True) -> Engine:
    if sqlite.is_sqlite(url):
        return sqlite.make_engine(url, foreign_keys=foreign_keys)
    return create_engine(url, pool_pre_ping=True)


def _open(url: URL, *, create: bool) -> Database:
    head = head_revision()
    probe = _engine(url, foreign_keys=False)
    try:
        with probe.connect() as conn:
            current = _identify(conn, url)
            conn.rollback()
        backup: Path | None = None
        if current is None and not create and sqlite.is_sqlite(url):
            raise StorageError(
                f"{describe(url)} is empty, not an AI Capex Tracker database "
                "(create a new database instead)"
            )
        if current != head:
            if current is not None and sqlite.is_sqlite(url):
                backup = sqlite.backup_copy(url, current)
                logger.info("backed up %s to %s before upgrading", describe(url), backup)
            _upgrade(probe, url, fresh=current is None)
    finally:
        probe.dispose()
    engine = _engine(url)
    if sqlite.is_sqlite(url) and sqlite.database_path(url) is not None:
        sqlite.enable_wal(engine)
    return Database(engine, url, backup)


def _identify(conn: Connection, url: URL) -> str | None:
    """The file's schema revision (None for an empty database); refuses foreign and newer ones."""
    where = describe(url)
    if sqlite.is_sqlite(url):
        app_id = sqlite.application_id(conn)
        if app_id not in (0, sqlite.APPLICATION_ID) or (
            app_id == 0 and sqlite.has_user_tables(conn)
        ):
            raise ForeignDatabaseError(f"{where} belongs to another application")
    revision = MigrationContext.configure(conn).get_current_revision()
    if revision is None:
        if OUR_TABLES & set(inspect(conn).get_table_names()):
            raise ForeignDatabaseError(f"{where} has tables of ours but no schema revision")
        return None
    if revision not in known_revisions():
        raise NewerSchemaError(
            f"{where} was written by a newer version of AI Capex Tracker (schema {revision}); "
            "update the app to open it. The file was left untouched."
        )
    return revision


def _upgrade(engine: Engine, url: URL, *, fresh: bool) -> None:
    """Run every pending migration inside ONE transaction: all of them land, or none."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        if sqlite.is_sqlite(url):
            problems = sqlite.foreign_key_problems(conn)
            if problems:
                raise StorageError(f"upgrade left broken references: {problems[:5]}")
            if fresh:
                sqlite.mark_as_ours(conn)
