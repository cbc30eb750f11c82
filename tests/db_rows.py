"""Reading a test database directly, the same way on SQLite and PostgreSQL (a second connection,
not the repository under test)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

if TYPE_CHECKING:
    from capex_gui.storage.database import Database


def query(db: Database, sql: str) -> list[tuple[object, ...]]:
    """The rows *sql* returns, read on a connection of its own."""
    with db.engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text(sql))]
        conn.rollback()
    return rows


def every_row(db: Database) -> list[tuple[object, ...]]:
    """Every row of every table, as (table, *values), tables by name and rows by first column."""
    with db.engine.connect() as conn:
        out: list[tuple[object, ...]] = []
        for table in sorted(inspect(conn).get_table_names()):
            out += [(table, *r) for r in conn.execute(text(f'SELECT * FROM "{table}" ORDER BY 1'))]
        conn.rollback()
    return out
