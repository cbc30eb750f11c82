"""Opening a database: a ``.capex`` file or any SQLAlchemy URL, migrated to the current schema."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import weakref
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from capex_gui.errors import (
    CapexError,
    DamagedDatabaseError,
    ForeignDatabaseError,
    NewerSchemaError,
    PasswordRequiredError,
    StorageError,
)
from capex_gui.storage import postgresql, sqlite
from capex_gui.storage.schema import Base

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from alembic.config import Config

OUR_TABLES = frozenset(Base.metadata.tables)

#: The migration scripts (read as text to learn the revisions: importing Alembic and loading
#: the scripts cost ~0.4 s of every start, and a file at the head revision needs neither).
_VERSIONS = Path(__file__).with_name("migrations") / "versions"
_REVISION = re.compile(r'^revision\s*=\s*["\']([^"\']+)["\']', re.MULTILINE)
_DOWN = re.compile(r'^down_revision\s*=\s*(?:["\']([^"\']+)["\']|None)', re.MULTILINE)


def alembic_config() -> Config:
    """Alembic configuration pointing at our bundled migration scripts."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    return cfg


@cache
def _revisions() -> dict[str, str | None]:
    """Each migration's revision and the one it follows (None for the first)."""
    found: dict[str, str | None] = {}
    for script in sorted(_VERSIONS.glob("*.py")):
        source = script.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision is not None and down is not None:
            found[revision.group(1)] = down.group(1)
    return found


def head_revision() -> str:
    """The schema revision this version of the app writes (the one no other follows)."""
    revisions = _revisions()
    (head,) = set(revisions) - set(revisions.values())
    return head


@cache
def known_revisions() -> frozenset[str]:
    """Every revision this version of the app knows."""
    return frozenset(_revisions())


#: ``scheme://`` at the start of a target: a URL, not a file name.
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")

#: Python packages that speak to a server database, and what to install for them.
_DRIVERS = {
    "psycopg": "pip install 'psycopg[binary]' (it comes with the app: reinstall it)",
    "psycopg2": "pip install psycopg2-binary",
}


def to_url(target: str | Path | URL, *, create: bool = False) -> URL:
    """A SQLAlchemy URL for a file path or URL string (StorageError for a malformed URL)."""
    if isinstance(target, URL):
        return target
    if isinstance(target, str) and _URL_SCHEME.match(target) and not Path(target).exists():
        try:
            url = make_url(target)
        except ArgumentError:
            raise StorageError(f"{target!r} is not a valid database URL") from None
        if url.drivername == "postgresql":  # the driver the app ships (SQLAlchemy 2.0 would
            url = url.set(drivername="postgresql+psycopg")  # pick psycopg2)
        path = sqlite.database_path(url) if sqlite.is_sqlite(url) else None
        if path is None or (url.database or "").startswith("file:"):
            return url
        target = path  # sqlite:///name.capex: opened as the file, with our safeguards
    return sqlite.file_url(Path(target).expanduser(), create=create)


def describe(url: URL) -> str:
    """What to show the user for a database: a file path, or the URL without its password."""
    if sqlite.is_sqlite(url):
        path = sqlite.database_path(url)
        return str(path) if path else "(in memory)"
    return url._replace(password=None).render_as_string()  # a password is never shown or kept


@dataclass
class Database:
    """An open database: its engine, where it is, and whether it was just upgraded."""

    engine: Engine
    url: URL
    backup: Path | None = None
    #: Why the file was opened read-only ("you may not write to this file"), or None.
    read_only_reason: str | None = None

    @property
    def path(self) -> Path | None:
        """The file, for a SQLite database."""
        return sqlite.database_path(self.url) if sqlite.is_sqlite(self.url) else None

    @property
    def label(self) -> str:
        """Human-readable location."""
        return describe(self.url)

    @property
    def read_only(self) -> bool:
        """True when nothing can be written (the file or its folder is read-only)."""
        return self.read_only_reason is not None

    def close(self) -> None:
        """Release connections, checkpointing SQLite's WAL first: the closed file stands alone."""
        if sqlite.is_sqlite(self.url) and not self.read_only:
            try:
                sqlite.checkpoint(self.engine)
            except (DBAPIError, OSError):
                logger.info("could not checkpoint %s", self.label, exc_info=True)
        self.engine.dispose()
        close_leftover_connections(self.engine)


def open_database(target: str | Path | URL, *, create: bool = False) -> Database:
    """Open (or with *create*, make) a database and bring its schema to the current revision.

    A file that this process may not write opens read-only (``Database.read_only``). Raises
    StorageError when the file is missing, foreign, damaged, newer than this app or unreadable.
    """
    url = to_url(target, create=create)
    read_only: str | None = None
    path = sqlite.database_path(url) if sqlite.is_sqlite(url) else None
    if path is not None:
        _check_path(path, create=create)
        if not create:
            read_only = sqlite.read_only_reason(path)
        if read_only is not None:
            immutable = not sqlite.has_unsaved_wal(path)
            url = sqlite.file_url(path, create=False, read_only=True, immutable=immutable)
    existed = path is not None and path.exists()
    try:
        return _open_translated(url, create=create, read_only=read_only)
    except BaseException:
        if create and path is not None and not existed:
            _remove_new_file(path)  # a failed creation leaves nothing behind (a full disk...)
        raise


def _remove_new_file(path: Path) -> None:
    for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            logger.info("could not remove %s", leftover, exc_info=True)


def _open_translated(url: URL, *, create: bool, read_only: str | None) -> Database:
    """_open with driver and OS errors turned into StorageError sentences."""
    where = describe(url)
    path = sqlite.database_path(url) if sqlite.is_sqlite(url) else None
    try:
        return _open(url, create=create, read_only=read_only)
    except CapexError:
        raise
    except DBAPIError as exc:
        raise _open_error(where, path, exc.orig) from exc
    except sqlite3.Error as exc:
        raise _open_error(where, path, exc) from exc
    except (UnicodeDecodeError, ValueError, OverflowError) as exc:  # bytes that are not values
        logger.info("unreadable value in %s", where, exc_info=True)
        raise DamagedDatabaseError(
            f"{where} is damaged and was not opened (a stored value cannot be read)"
        ) from exc
    except OSError as exc:
        raise StorageError(f"cannot open {where}: {exc.strerror or exc}") from exc


def _check_path(path: Path, *, create: bool) -> None:
    """Refuse, before SQLite sees it, a path that cannot be what the user asked for."""
    if path.is_dir():
        raise StorageError(f"{path} is a folder, not a database file")
    if create:
        if path.exists() and path.stat().st_size > 0:
            raise StorageError(f"{path} already exists; choose a new file name")
        if not path.parent.is_dir():
            raise StorageError(f"the folder {path.parent} does not exist")
        if not os.access(path.parent, os.W_OK | os.X_OK):
            raise StorageError(f"cannot create {path}: you may not write to its folder")
    elif not path.exists():
        raise StorageError(f"there is no database at {path}")


def _open_error(where: str, path: Path | None, orig: BaseException | None) -> StorageError:
    """One sentence for a driver error raised while opening."""
    if sqlite.is_damage(orig):
        if path is not None and not sqlite.looks_like_sqlite(path):
            return ForeignDatabaseError(f"{where} is not an AI Capex Tracker database")
        return DamagedDatabaseError(f"{where} is damaged and was not opened ({_one_line(orig)})")
    if postgresql.needs_password(orig):
        given = "was not accepted" if "authentication failed" in str(orig) else "is needed"
        return PasswordRequiredError(f"cannot open {where}: a password {given}")
    reason = (sqlite.explain(orig) or postgresql.explain(orig)) if orig is not None else None
    return StorageError(f"cannot open {where}: {reason or _one_line(orig)}")


def _one_line(text: object, limit: int = 120) -> str:
    """*text* on one line, shortened: driver messages can span lines and quote whole pages."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _engine(url: URL, *, foreign_keys: bool = True) -> Engine:
    engine = _make_engine(url, foreign_keys=foreign_keys)
    _track_connections(engine)
    return engine


#: Driver connections of each engine that are open (see close_leftover_connections).
_OPEN: weakref.WeakKeyDictionary[Engine, dict[int, Any]] = weakref.WeakKeyDictionary()


def _track_connections(engine: Engine) -> None:
    opened: dict[int, Any] = {}
    _OPEN[engine] = opened

    @event.listens_for(engine, "connect")
    def _opened(dbapi_conn: Any, _record: Any) -> None:
        opened[id(dbapi_conn)] = dbapi_conn

    @event.listens_for(engine, "close")
    def _closed(dbapi_conn: Any, _record: Any) -> None:
        opened.pop(id(dbapi_conn), None)

    @event.listens_for(engine, "close_detached")
    def _closed_detached(dbapi_conn: Any) -> None:
        opened.pop(id(dbapi_conn), None)


def close_leftover_connections(engine: Engine) -> None:
    """Close driver connections that ``dispose`` left open: those checked out at that moment
    (a probe, a worker) go back to the old pool later and would stay open until collected."""
    for conn in list(_OPEN.get(engine, {}).values()):
        try:
            conn.close()
        except Exception:  # a connection another thread owns, or one already broken
            logger.debug("could not close a leftover connection", exc_info=True)
    _OPEN.pop(engine, None)


def _make_engine(url: URL, *, foreign_keys: bool = True) -> Engine:
    if sqlite.is_sqlite(url):
        return sqlite.make_engine(url, foreign_keys=foreign_keys)
    where = describe(url)
    try:
        if postgresql.is_postgresql(url):
            return postgresql.make_engine(url)
        return create_engine(url, pool_pre_ping=True)
    except NoSuchModuleError:
        raise StorageError(
            f"{where} is not a kind of database this app can open "
            "(open a .capex file or a postgresql:// URL)"
        ) from None
    except ImportError as exc:  # the dialect is known, its driver is not installed
        name = exc.name or "its driver"
        install = _DRIVERS.get(name, f"pip install {name}")
        raise StorageError(
            f"opening {url.get_backend_name()} databases needs the Python package {name}: {install}"
        ) from None


def _open(url: URL, *, create: bool, read_only: str | None) -> Database:
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
            if read_only is not None:
                raise StorageError(
                    f"{describe(url)} comes from an older version of the app and must be "
                    f"upgraded, but {read_only}; copy it somewhere you may write and open the copy"
                )
            if current is not None and sqlite.is_sqlite(url):
                backup = sqlite.backup_copy(url, current)
                logger.info("backed up %s to %s before upgrading", describe(url), backup)
            _upgrade(probe, url, fresh=current is None)
    finally:
        probe.dispose()
    engine = _engine(url)
    if sqlite.is_sqlite(url) and sqlite.database_path(url) is not None and read_only is None:
        sqlite.enable_wal(engine)
    if postgresql.is_postgresql(url):
        with engine.connect() as conn:
            read_only = postgresql.read_only_reason(conn)
            conn.rollback()
    return Database(engine, url, backup, read_only)


@cache
def _our_objects() -> dict[str, frozenset[str]]:
    """Names of every table, index, view and trigger some revision of our schema creates."""
    names: dict[str, set[str]] = {
        "table": {*Base.metadata.tables, "alembic_version"},
        "index": {ix.name for t in Base.metadata.tables.values() for ix in t.indexes if ix.name},
        "view": set(),
        "trigger": set(),
    }
    versions = Path(__file__).with_name("migrations") / "versions"
    for script in versions.glob("*.py"):
        text = script.read_text(encoding="utf-8")
        for kind, pattern in _CREATES.items():
            names[kind].update(m.group(1) or m.group(2) for m in pattern.finditer(text))
    return {kind: frozenset(found) for kind, found in names.items()}


def _creates(op: str, sql: str) -> re.Pattern[str]:
    """Names a migration creates, through Alembic's ``op.<op>("name"`` or raw ``CREATE <sql>``."""
    quoted = r"[\"'`\[]?"
    return re.compile(
        rf"{op}\(\s*[\"'](\w+)[\"']|CREATE\s+(?:UNIQUE\s+|TEMP\w*\s+)?{sql}\s+"
        rf"(?:IF\s+NOT\s+EXISTS\s+)?{quoted}(\w+)",
        re.IGNORECASE,
    )


_CREATES = {
    "table": _creates("create_table", "TABLE"),
    "index": _creates("create_index", "INDEX"),
    "view": _creates("create_view", "VIEW"),
    "trigger": _creates("create_trigger", "TRIGGER"),
}


def _identify(conn: Connection, url: URL) -> str | None:
    """The file's schema revision (None for an empty database); refuses foreign and newer ones."""
    where = describe(url)
    if sqlite.is_sqlite(url):
        _check_sqlite_file(conn, where, sqlite.database_path(url))
    revision = _stored_revision(conn)
    if revision is None:
        if OUR_TABLES & set(inspect(conn).get_table_names()):
            raise ForeignDatabaseError(f"{where} has tables of ours but no schema revision")
        if postgresql.is_postgresql(url):
            _check_empty_server_database(conn, where)
        return None
    if revision not in known_revisions():
        raise NewerSchemaError(
            f"{where} was written by a newer version of AI Capex Tracker (schema {revision}); "
            "update the app to open it. The file was left untouched."
        )
    return revision


def _stored_revision(conn: Connection) -> str | None:
    """The revision in Alembic's version table (None when there is none), read as Alembic's
    ``MigrationContext.get_current_revision`` reads it, without importing Alembic."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    if len(rows) > 1:
        raise StorageError("the database's schema revision is ambiguous (more than one)")
    return str(rows[0][0]) if rows else None


def _check_sqlite_file(conn: Connection, where: str, path: Path | None) -> None:
    """Refuse a damaged file, another application's file, and one holding objects of others."""
    size = path.stat().st_size if path is not None else 0
    problems = sqlite.check_integrity(conn, full=size <= sqlite.FULL_CHECK_MAX_BYTES)
    if problems:
        first = _one_line(problems[0].replace("*** in database main ***", ""))
        found = "a problem" if len(problems) == 1 else f"{len(problems)} problems"
        raise DamagedDatabaseError(
            f"{where} is damaged and was not opened (SQLite's check found {found}: {first})"
        )
    app_id = sqlite.application_id(conn)
    if app_id not in (0, sqlite.APPLICATION_ID) or (app_id == 0 and sqlite.has_user_tables(conn)):
        raise ForeignDatabaseError(f"{where} belongs to another application")
    ours = _our_objects()
    foreign = sorted(
        f"{kind} {name}"
        for kind, name in sqlite.schema_objects(conn)
        if not sqlite.is_internal(name) and name not in ours.get(kind, frozenset())
    )
    if foreign:
        more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        shown = ", ".join(foreign[:3]) + more
        raise ForeignDatabaseError(
            f"{where} holds objects this app did not create ({shown}), so it was not opened"
        )


def _check_empty_server_database(conn: Connection, where: str) -> None:
    """Refuse a server database that holds another application's tables, or that this user may
    not create tables in (an administrator must run the first connection)."""
    others = postgresql.user_tables(conn)
    if others:
        shown = ", ".join(sorted(others)[:3]) + (f" and {len(others) - 3} more" * (len(others) > 3))
        raise ForeignDatabaseError(
            f"{where} holds tables of another application ({shown}); "
            "use a database of its own for AI Capex Tracker"
        )
    if not postgresql.may_create_tables(conn):
        raise StorageError(
            f"{where} is empty and the database user {postgresql.current_user(conn)} may not "
            "create its tables; ask an administrator to connect once with this version of the "
            "app (as the database's owner), which sets it up"
        )


def _upgrade(engine: Engine, url: URL, *, fresh: bool) -> None:
    """Run every pending migration inside ONE transaction: all of them land, or none."""
    if postgresql.is_postgresql(url):
        try:
            _run_migrations(engine, url, fresh=fresh)
        except DBAPIError as exc:
            if postgresql.sqlstate(exc.orig) != "42501":
                raise
            with engine.connect() as conn:
                user = postgresql.current_user(conn)
            raise StorageError(
                f"{describe(url)} must be upgraded to this version of the app, but the database "
                f"user {user} may not change its tables; ask an administrator to connect once "
                "with this version of the app (as the database's owner), which upgrades it. "
                "Nothing was changed."
            ) from exc
        return
    _run_migrations(engine, url, fresh=fresh)


def _run_migrations(engine: Engine, url: URL, *, fresh: bool) -> None:
    from alembic import command

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
