"""Who changed what: the history of each figure and FX rate (``row_history``).

Every write transaction of the repository adds one entry per row it inserted, changed or
deleted, in the same transaction as the change (so the history can never miss a committed
change, nor hold one that was rolled back), naming the user: the database user on a server,
the operating-system user on a file. The row itself also keeps who changed it last
(``changed_by``) beside ``updated_at``.
"""

from __future__ import annotations

import getpass
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import insert, select, text

from capex_gui.domain.merge import changed_fields
from capex_gui.storage.changes import ENTITY_TABLES, Entity, Entry, Op, decode, encode
from capex_gui.storage.schema import HistoryRow, utcnow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)

#: Who a change is put down to when the system cannot say.
UNKNOWN_USER = "unknown"


def database_user(session: Session) -> str:
    """The user changes are put down to: the database user on a server, else the OS user."""
    if session.get_bind().dialect.name == "postgresql":
        return str(session.execute(text("SELECT current_user")).scalar_one())
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container...)
        return UNKNOWN_USER


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a row, as the History view shows it."""

    op: Op
    changed_by: str
    changed_at: datetime
    before: Entity | None
    after: Entity | None

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, old value, new value) of each field an update changed."""
        if self.before is None or self.after is None:
            return []
        return [
            (name, getattr(self.before, name), getattr(self.after, name))
            for name in changed_fields(self.before, self.after)
        ]


def record(session: Session, user: str, entries: Sequence[Entry]) -> None:
    """Add the history of *entries* (figures and FX rates only) inside the write transaction."""
    now = utcnow()
    rows = [
        {
            "table_name": e.table,
            "row_id": e.row_id,
            "op": e.op.value,
            "changed_by": user,
            "changed_at": now,
            "before": encode(e.before),
            "after": encode(e.after),
        }
        for e in entries
        if e.table in ENTITY_TABLES
        and e.row_id is not None
        and e.op in (Op.INSERT, Op.UPDATE, Op.DELETE)
    ]
    if rows:
        session.execute(insert(HistoryRow), rows)


def row_history(session: Session, table: str, row_id: int) -> list[HistoryEntry]:
    """Every recorded change of one row, oldest first."""
    found = session.scalars(
        select(HistoryRow)
        .where(HistoryRow.table_name == table, HistoryRow.row_id == row_id)
        .order_by(HistoryRow.id)
    ).all()
    return [
        HistoryEntry(
            Op(r.op),
            r.changed_by,
            _aware(r.changed_at),
            decode(table, r.before),
            decode(table, r.after),
        )
        for r in found
    ]


def _aware(stamp: datetime) -> datetime:
    """SQLite returns the UTC timestamps it was given without their offset."""
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)
