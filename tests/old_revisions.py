"""A server database at an old schema revision holding an old fixture file's rows, so the
upgrade tests run on PostgreSQL from the same fixtures as on SQLite."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alembic import command
from sqlalchemy import DateTime, MetaData, func, insert, select, text

from capex_gui.storage import postgresql
from capex_gui.storage.database import alembic_config

if TYPE_CHECKING:
    from tests.pg_server import ThrowawayServer


def fixture_revision(path: Path) -> str:
    """The schema revision of an SQLite fixture file."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return str(con.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        con.close()


def server_copy_of(server: ThrowawayServer, path: Path) -> str:
    """A new server database migrated to *path*'s revision and holding its rows; its name."""
    name = server.new_database()
    engine = postgresql.make_engine(server.url(name))
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, fixture_revision(path))
        with engine.begin() as conn:
            meta = MetaData()
            meta.reflect(bind=conn)
            for table in meta.sorted_tables:
                if table.name == "alembic_version":
                    continue
                conn.execute(table.delete())  # the seeded names make way for the file's
            for table in meta.sorted_tables:
                if table.name == "alembic_version":
                    continue
                cursor = source.execute(f'SELECT * FROM "{table.name}"')
                names = [d[0] for d in cursor.description]
                stamps = {c.name for c in table.columns if isinstance(c.type, DateTime)}
                rows: list[dict[str, Any]] = [
                    {n: _value(v, n in stamps) for n, v in zip(names, row, strict=True)}
                    for row in cursor
                ]
                if rows:
                    conn.execute(insert(table), rows)
                if "id" in table.c:
                    highest = conn.execute(select(func.max(table.c.id))).scalar_one()
                    if highest is not None:
                        conn.execute(
                            text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v)"),
                            {"t": table.name, "v": highest},
                        )
    finally:
        source.close()
        engine.dispose()
    return name


def _value(value: object, stamp: bool) -> object:
    if stamp and isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value
