"""Everything that knows the database is PostgreSQL lives here, and only here.

A team shares one database on a server: each analyst's window is one client among several.
Settings chosen on purpose (every connection):

=======================  ================  ======================================================
setting                  value             why
=======================  ================  ======================================================
driver                   psycopg 3         SQLAlchemy's maintained PostgreSQL driver; LISTEN /
                                           NOTIFY; installed with the app (``psycopg[binary]``).
write transactions       READ COMMITTED +  a writer takes one transaction-level advisory lock as
                         advisory lock     it begins, so writers run one at a time as on SQLite
                                           (``BEGIN IMMEDIATE``): each reads what the last one
                                           committed, change-log numbers follow commit order, and
                                           row versions are checked under the lock
                                           (``SELECT … FOR UPDATE`` of the rows too).
read transactions        REPEATABLE READ   every read of one transaction sees one moment, as
                                           SQLite's do (charts load totals and the change-log
                                           position they reflect together).
``lock_timeout``         5 s               a writer waits this long for another's lock, then its
                                           change is refused with a message
                                           (``changes.LOCK_WAIT_S``, as SQLite's busy timeout).
``connect_timeout``      10 s              an unreachable server is reported, not waited on.
pre-ping                 on                a connection the server dropped is replaced before use.
``application_name``     ``capex-gui``     administrators see who is connected.
change notification      LISTEN / NOTIFY   a trigger on ``change_log`` notifies ``capex_changes``
                                           as each write commits (migration 0007); windows listen
                                           on a connection of their own (``NotifyProbe``).
schema upgrades          one transaction   PostgreSQL's DDL is transactional: all migrations land
                                           or none; a user without the right to change tables is
                                           told to ask an administrator.
=======================  ================  ======================================================
"""

from __future__ import annotations

import getpass
import logging
import time
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL

from capex_gui.errors import StorageError
from capex_gui.storage.changes import LOCK_WAIT_S, WRITE_INTENT

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.engine import Connection

logger = logging.getLogger(__name__)

#: The notification channel every committed change is announced on.
CHANNEL = "capex_changes"

#: The advisory lock every writer holds for its transaction (a fixed number: 'capex-writer').
WRITE_LOCK_KEY = zlib.crc32(b"capex-writer")

#: Seconds to wait for a server that does not answer.
CONNECT_TIMEOUT_S = 10

#: Seconds the listening connection waits for the server when it reconnects (on the GUI
#: thread: kept short, and retried with a growing pause by the watcher).
LISTENER_CONNECT_TIMEOUT_S = 3

#: Seconds between the listening connection's "are you there?" round trips: a connection cut
#: without a word (a sleeping laptop, a dropped VPN) sends nothing, so only asking finds out.
LISTENER_KEEPALIVE_S = 10.0


def is_postgresql(url: URL) -> bool:
    """True for any PostgreSQL URL."""
    return url.get_backend_name() == "postgresql"


#: libpq's TLS modes, weakest first, with what each means for the user.
TLS_MODES = {
    "disable": "never encrypt (only on a network you trust completely)",
    "allow": "encrypt only if the server insists",
    "prefer": "encrypt when the server can (libpq's default)",
    "require": "always encrypt; do not check the server's certificate",
    "verify-ca": "always encrypt; the server's certificate must be signed by a trusted CA",
    "verify-full": "always encrypt; the certificate must be trusted and name this host",
}
DEFAULT_TLS_MODE = "prefer"
DEFAULT_PORT = 5432


@dataclass(frozen=True)
class ServerDetails:
    """Where a team database is and who connects: everything but the password."""

    host: str = "localhost"
    port: int = DEFAULT_PORT
    database: str = ""
    user: str = ""
    tls_mode: str = DEFAULT_TLS_MODE

    def url(self, password: str | None = None) -> URL:
        """The URL to open (with *password*, which is never stored)."""
        query = {} if self.tls_mode == DEFAULT_TLS_MODE else {"sslmode": self.tls_mode}
        return URL.create(
            "postgresql+psycopg",
            username=self.user or None,
            password=password or None,
            host=self.host or None,
            port=self.port,
            database=self.database or None,
            query=query,
        )

    @classmethod
    def from_url(cls, url: URL) -> ServerDetails:
        """The details of a URL (its password left out)."""
        mode = url.query.get("sslmode", DEFAULT_TLS_MODE)
        return cls(
            host=url.host or "localhost",
            port=url.port or DEFAULT_PORT,
            database=url.database or "",
            user=url.username or getpass.getuser(),
            tls_mode=mode if isinstance(mode, str) and mode in TLS_MODES else DEFAULT_TLS_MODE,
        )

    def problem(self) -> str | None:
        """What is missing or wrong, in one sentence (None when the details can be tried)."""
        if not self.host.strip():
            return "Enter the server's host name or address."
        if not 1 <= self.port <= 65535:
            return "The port must be a number from 1 to 65535."
        if not self.database.strip():
            return "Enter the name of the database on the server."
        if not self.user.strip():
            return "Enter your user name on the database server."
        if self.tls_mode not in TLS_MODES:
            return f"{self.tls_mode!r} is not a TLS mode."
        return None


def make_engine(url: URL) -> Engine:
    """An engine with our settings (see the table above)."""
    engine = create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "capex-gui"},
    )

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(WRITE_INTENT, False):
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{round(LOCK_WAIT_S * 1000)}ms'")
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
        else:
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")

    return engine


# -- what the connected user may do ------------------------------------------------------------
def current_user(conn: Connection) -> str:
    """The database user of the connection."""
    return str(conn.exec_driver_sql("SELECT current_user").scalar_one())


def user_tables(conn: Connection) -> list[str]:
    """Tables in the schema our tables go into (the first of the search path)."""
    rows = conn.exec_driver_sql(
        "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"
    ).all()
    return [str(r[0]) for r in rows]


def may_create_tables(conn: Connection) -> bool:
    """True when the user may create tables in the current schema."""
    return bool(
        conn.exec_driver_sql(
            "SELECT has_schema_privilege(current_user, current_schema(), 'CREATE')"
        ).scalar_one()
    )


def read_only_reason(conn: Connection) -> str | None:
    """Why the user may not write the figures (None when they may)."""
    rows = conn.exec_driver_sql(
        "SELECT bool_and(has_table_privilege(current_user, t, 'INSERT, UPDATE, DELETE')) "
        "FROM unnest(ARRAY['investments', 'chip_orders', 'fx_rates', 'change_log']) AS t"
    ).scalar_one()
    if rows:
        return None
    return f"the database user {current_user(conn)} may only read this database"


# -- errors ------------------------------------------------------------------------------------
#: SQLSTATE -> what it means for the user.
_STATES = {
    "28P01": "the password was not accepted",
    "28000": "the server does not let this user connect from here",
    "3D000": "there is no such database on the server",
    "42501": "the database user is not allowed to do that",
    "55P03": (
        f"another user kept the database locked for more than {LOCK_WAIT_S:g} seconds; try again"
    ),
    "40001": "another user's change got in the way; try again",
    "40P01": "another user's change got in the way; try again",
    "53100": "the server's disk is full, so nothing was saved",
    "53300": "the server has too many connections; try again later",
    "57P01": "the server was shut down",
    "57P03": "the server is starting up or shutting down; try again shortly",
    "08006": "the connection to the server was lost",
    "08001": "the server cannot be reached",
}


def sqlstate(exc: BaseException | None) -> str | None:
    """The SQLSTATE of a psycopg error (None for other errors)."""
    state = getattr(exc, "sqlstate", None)
    return state if isinstance(state, str) else None


def is_connection_error(exc: BaseException | None) -> bool:
    """True when the error means the server could not be reached or the connection dropped."""
    state = sqlstate(exc)
    if state is not None:
        return state.startswith(("08", "57P"))
    text_ = str(exc).lower()
    return any(
        words in text_
        for words in (
            "connection refused",
            "could not connect",
            "server closed the connection",
            "connection is closed",
            "connection timeout",
            "timeout expired",
            "consuming input failed",
            "could not receive data",
            "could not send data",
            "no route to host",
            "name or service not known",
            "could not translate host name",
            "terminating connection",
            "the connection is lost",
        )
    )


def explain(exc: BaseException | None) -> str | None:
    """What a PostgreSQL error means for the user, in words (None when it has no plain meaning)."""
    state = sqlstate(exc)
    if state in _STATES:
        return _STATES[state]
    if is_connection_error(exc):
        return "the database server cannot be reached (is it running, and the network up?)"
    text_ = str(exc).lower()
    if "password authentication failed" in text_ or "no password supplied" in text_:
        return _STATES["28P01"]
    if "permission denied for database" in text_:
        return "this user may not connect to that database (ask whoever runs the server)"
    if "does not exist" in text_ and "database" in text_:
        return _STATES["3D000"]
    return None


def needs_password(exc: BaseException | None) -> bool:
    """True when the server asked for a password the connection did not give (or a wrong one)."""
    text_ = str(exc).lower()
    return sqlstate(exc) == "28P01" or (
        "password authentication failed" in text_ or "no password supplied" in text_
    )


# -- noticing other users' commits ---------------------------------------------------------------
class NotifyProbe:
    """Did another user commit? A connection of its own LISTENs on ``CHANNEL``.

    The change log's trigger notifies as each write commits, so asking costs no query: the
    notifications already sit in the connection's socket, and ``changed`` only drains them.
    When the listening connection drops, the next call reconnects and answers True once (a
    change may have been missed meanwhile); when the server cannot be reached, StorageError.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Any = None
        self._asked = time.monotonic()
        try:
            self._connect()
        except StorageError:  # the server is away right now: changed() keeps trying
            logger.info("cannot listen for changes yet", exc_info=True)

    def _connect(self) -> None:
        import psycopg

        url = self._engine.url.set(drivername="postgresql")
        params: dict[str, Any] = {
            "host": url.host,
            "port": url.port,
            "user": url.username,
            "password": url.password,
            "dbname": url.database,
            "connect_timeout": LISTENER_CONNECT_TIMEOUT_S,
            "application_name": "capex-gui listener",
            "autocommit": True,
            **{k: v for k, v in url.query.items() if isinstance(v, str)},
        }
        try:
            self._conn = psycopg.connect(**{k: v for k, v in params.items() if v is not None})
            self._conn.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            self._close()
            raise StorageError(
                f"cannot listen for other users' changes: {explain(exc) or exc}"
            ) from exc

    @property
    def fileno(self) -> int | None:
        """The listening socket (for a socket notifier), or None while disconnected."""
        return None if self._conn is None or self._conn.closed else int(self._conn.fileno())

    def changed(self) -> bool:
        """True when another connection committed since the last call (or may have)."""
        import psycopg

        if self._conn is None or self._conn.closed:
            self._connect()
            return True
        try:
            heard = sum(1 for _ in self._conn.notifies(timeout=0)) > 0
            if time.monotonic() - self._asked > LISTENER_KEEPALIVE_S:
                self._conn.execute("SELECT 1")
                self._asked = time.monotonic()
            return heard
        except psycopg.Error:
            logger.info("the listening connection dropped; reconnecting", exc_info=True)
            self._close()
            self._connect()
            return True

    def _close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # closing a broken connection may fail in any way
                logger.debug("closing the listening connection failed", exc_info=True)
            self._conn = None

    def close(self) -> None:
        """Stop listening."""
        self._close()
