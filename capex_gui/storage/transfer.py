"""Copying a whole database between back ends (``capex-gui copy``): a .capex file into an empty
PostgreSQL database, so a team starts from one analyst's file, and a server database back into
a file.

Every row of every table is copied as it is stored, ids included, so every reference between
rows stays what it was (the id mapping is the identity) and the copy's change log and history
read as the original's. Both sides are opened through ``open_database`` first, so both are at
the current schema. The copy is one transaction on the target: all of it lands, or none. On
PostgreSQL, each table's id sequence is then moved past the highest copied id, so the next row
added gets a new one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import DateTime, Table, delete, func, insert, select, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from capex_gui.errors import StorageError
from capex_gui.storage import postgresql, sqlite
from capex_gui.storage.changes import WRITE_INTENT
from capex_gui.storage.schema import Base

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from capex_gui.storage.database import Database

logger = logging.getLogger(__name__)

#: Rows sent to the target in one executemany.
BATCH = 1000

#: Tables a new database is created with rows in (the default categories and regions): they
#: are replaced by the source's, so the target counts as empty while it holds only those.
SEEDED = frozenset({"categories", "regions"})

#: Told how far the copy is: (table, rows copied of it so far).
Progress = Callable[[str, int], None]


@dataclass
class CopyReport:
    """What was copied: rows per table, in the order they were copied."""

    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Rows copied in all."""
        return sum(self.rows.values())


def tables() -> list[Table]:
    """Our tables, each after the tables it refers to."""
    return list(Base.metadata.sorted_tables)


def is_empty(conn: Connection) -> str | None:
    """None when the database holds nothing but what a new one is created with; otherwise the
    name of a table that holds rows."""
    for table in tables():
        if table.name in SEEDED:
            continue
        if conn.execute(select(func.count()).select_from(table)).scalar_one():
            return table.name
    return None


def copy_database(
    source: Database, target: Database, progress: Progress | None = None
) -> CopyReport:
    """Copy every row of *source* into the empty *target*, in one transaction.

    Raises StorageError (nothing written) when the target holds rows already, or when either
    database fails.
    """
    report = CopyReport()
    try:
        with (
            source.engine.connect() as reading,
            target.engine.execution_options(**{WRITE_INTENT: True}).begin() as writing,
        ):
            used = is_empty(writing)
            if used is not None:
                raise StorageError(
                    f"{target.label} is not empty (its {used.replace('_', ' ')} table holds "
                    "rows); copy into a new, empty database"
                )
            for table in reversed(tables()):
                writing.execute(delete(table))  # the seeded names make way for the source's
            for table in tables():
                report.rows[table.name] = _copy_table(reading, writing, table, progress)
            if postgresql.is_postgresql(target.url):
                for table in tables():
                    _advance_sequence(writing, table)
            reading.rollback()
    except StorageError:
        raise
    except DBAPIError as exc:
        reason = sqlite.explain(exc.orig) or postgresql.explain(exc.orig) or str(exc.orig)
        raise StorageError(f"Nothing was copied: {reason}") from exc
    except SQLAlchemyError as exc:
        raise StorageError(f"Nothing was copied: {exc}") from exc
    return report


def _copy_table(
    reading: Connection, writing: Connection, table: Table, progress: Progress | None
) -> int:
    stamps = [c.name for c in table.columns if isinstance(c.type, DateTime)]
    to_server = postgresql.is_postgresql(writing.engine.url)
    copied = 0
    batch: list[dict[str, Any]] = []
    rows = reading.execute(select(table).order_by(*table.primary_key.columns))
    for row in rows.mappings():
        values = dict(row)
        for name in stamps:
            values[name] = _utc(values[name], aware=to_server)
        batch.append(values)
        if len(batch) >= BATCH:
            writing.execute(insert(table), batch)
            copied += len(batch)
            batch = []
            if progress is not None:
                progress(table.name, copied)
    if batch:
        writing.execute(insert(table), batch)
        copied += len(batch)
    if progress is not None:
        progress(table.name, copied)
    return copied


def _utc(value: datetime | None, *, aware: bool) -> datetime | None:
    """A timestamp as the target stores it: the app writes UTC; SQLite keeps it without an
    offset, PostgreSQL with one."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    return value if aware else value.replace(tzinfo=None)


def _advance_sequence(writing: Connection, table: Table) -> None:
    """Move the id sequence of *table* past its highest id (PostgreSQL)."""
    keys = list(table.primary_key.columns)
    if len(keys) != 1 or not keys[0].autoincrement or keys[0].type.python_type is not int:
        return
    key = keys[0]
    sequence = writing.execute(
        text("SELECT pg_get_serial_sequence(:table, :column)"),
        {"table": table.name, "column": key.name},
    ).scalar_one()
    if sequence is None:
        return
    highest = writing.execute(select(func.max(key))).scalar_one()
    writing.execute(
        text("SELECT setval(CAST(:sequence AS regclass), :value, :called)"),
        {"sequence": sequence, "value": highest or 1, "called": highest is not None},
    )
