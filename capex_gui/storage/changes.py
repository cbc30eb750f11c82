"""Row versions and change detection, shared by every backend.

Every write transaction of the repository appends what it did to the ``change_log`` table (in
the same transaction), with the row's values before and after for figures and FX rates. A window
keeps a high-water mark (the last ``seq`` it applied) and reads the entries above it, so it
applies other windows' changes as exact deltas to its tables and charts. Entries carry the
writing repository's ``origin``, so a window skips its own (it announced them as it made them).

What is backend specific is only how a window learns *that* something was committed: on SQLite,
``PRAGMA data_version`` on a connection of its own (``sqlite.DataVersionProbe``); elsewhere the
log's highest ``seq``, or on PostgreSQL the notification a trigger on the log sends as each
write commits (``postgresql.NotifyProbe``). Writers are serialised (SQLite's database lock;
PostgreSQL's advisory write lock, see ``postgresql.py``), so ``seq`` order is commit order.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from capex_gui.domain.entities import ChipOrder, FxRate, Investment, Status
from capex_gui.domain.parsing import Bound
from capex_gui.domain.periods import Month, Period
from capex_gui.errors import StorageError, ValidationError
from capex_gui.storage.schema import ChangeRow, utcnow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)

#: Execution option of a read-modify-write transaction (True): the backend locks for writing as
#: the transaction begins, so a concurrent writer makes it wait rather than fail.
WRITE_INTENT = "capex_write_intent"

#: How long a writer waits for another connection's write lock before its change is refused
#: (seconds; SQLite's busy timeout). Our own write transactions last milliseconds (a paste of
#: 10,000 rows well under a second), so waiting this long means another program holds the lock
#: for a long job or is stuck. Five seconds outlasts every transaction this app makes, while a
#: window that froze for longer would look hung. A change that times out is refused with a
#: message and nothing of it is written.
LOCK_WAIT_S = 5.0

#: Change-log entries kept (older ones are deleted as new ones are written). A window polls
#: several times a second, so it needs only the last few; one that fell further behind (a
#: sleeping laptop, a paste of more rows than this) re-reads everything instead.
KEEP_ENTRIES = 1000

Entity = Investment | ChipOrder | FxRate

#: Tables whose entries carry the row's values, and the entity each holds.
ENTITY_TABLES: dict[str, type[Entity]] = {
    "investments": Investment,
    "chip_orders": ChipOrder,
    "fx_rates": FxRate,
}

#: Tables of names (companies, suppliers, categories, regions): entries only say "changed".
REFERENCE_TABLES = frozenset({"companies", "suppliers", "categories", "regions"})

_DECIMALS = frozenset({"amount", "amount_low", "amount_high", "value", "units_per_usd"})
_DATES = frozenset({"reported_on"})
_ENUMS: dict[str, type[StrEnum]] = {"status": Status, "bound": Bound}


class Op(StrEnum):
    """What a change did to its row."""

    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"
    #: Rows of the table were written without an entry each (a bulk load): re-read it all.
    RESET = "reset"


@dataclass(frozen=True)
class Change:
    """One committed change, as another window applies it."""

    seq: int
    table: str
    op: Op
    row_id: int | None = None
    before: Entity | None = None
    after: Entity | None = None


@dataclass(frozen=True)
class Pending:
    """Entries another writer committed after a high-water mark."""

    changes: tuple[Change, ...]
    last_seq: int
    #: Entries after the mark were already pruned: the reader must re-read everything.
    gap: bool = False


# -- values <-> JSON --------------------------------------------------------------------------
def encode(item: Entity | None) -> str | None:
    """A figure or FX rate as JSON (exact: decimals as text)."""
    if item is None:
        return None
    out: dict[str, Any] = {}
    for f in fields(item):
        value = getattr(item, f.name)
        if isinstance(value, Period):
            value = [
                value.first_month.key,
                value.last_month.key,
                value.basis.value,
                value.granularity.value,
                value.year_end_month,
            ]
        elif isinstance(value, StrEnum):
            value = value.value
        elif isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, date):
            value = value.isoformat()
        out[f.name] = value
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def decode(table: str, text: str | None) -> Entity | None:
    """The entity an entry of *table* holds (None for no value)."""
    kind = ENTITY_TABLES.get(table)
    if text is None or kind is None:
        return None
    raw: dict[str, Any] = json.loads(text)
    names = {f.name for f in fields(kind)}
    values: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in names:
            continue  # a field a newer writer added: not ours to show
        if value is not None:
            if name in _DECIMALS:
                value = Decimal(value)
            elif name in _DATES:
                value = date.fromisoformat(value)
            elif name in _ENUMS:
                value = _ENUMS[name](value)
            elif name == "period":
                first, last, basis, granularity, year_end = value
                value = Period.from_months(
                    Month.from_key(first), Month.from_key(last), basis, granularity, int(year_end)
                )
        values[name] = value
    return kind(**values)


# -- writing and reading the log --------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """A change this transaction makes, to be logged when it commits."""

    table: str
    op: Op
    row_id: int | None = None
    before: Entity | None = None
    after: Entity | None = None


def record(session: Session | Connection, origin: str, entries: Sequence[Entry]) -> int:
    """Append *entries* to the log and prune old ones; returns the last seq written.

    Call it inside the write transaction, after its changes (it holds the write lock, so the
    entries get the highest numbers and no other writer's can land between them).
    """
    now = utcnow()
    session.execute(
        insert(ChangeRow),
        [
            {
                "table_name": e.table,
                "row_id": e.row_id,
                "op": e.op.value,
                "origin": origin,
                "before": encode(e.before),
                "after": encode(e.after),
                "changed_at": now,
            }
            for e in entries
        ],
    )
    last = int(session.scalar(select(func.max(ChangeRow.seq))) or 0)
    session.execute(delete(ChangeRow).where(ChangeRow.seq <= last - KEEP_ENTRIES))
    return last


def latest_seq(session: Session) -> int:
    """The highest seq in the log (0 when nothing was logged yet)."""
    return int(session.scalar(select(func.max(ChangeRow.seq))) or 0)


def read_since(session: Session, mark: int, origin: str) -> Pending:
    """Entries after *mark* written by others (not *origin*), oldest first."""
    rows = session.execute(
        select(
            ChangeRow.seq,
            ChangeRow.table_name,
            ChangeRow.op,
            ChangeRow.row_id,
            ChangeRow.origin,
            ChangeRow.before,
            ChangeRow.after,
        )
        .where(ChangeRow.seq > mark)
        .order_by(ChangeRow.seq)
    ).all()
    if not rows:
        return Pending((), mark)
    try:
        changes = tuple(
            Change(seq, table, Op(op), row_id, decode(table, before), decode(table, after))
            for seq, table, op, row_id, who, before, after in rows
            if who != origin
        )
    except (ValueError, TypeError, ValidationError):  # an entry we cannot read: re-read all
        logger.warning("unreadable change-log entry; re-reading everything", exc_info=True)
        return Pending((), int(rows[-1][0]), gap=True)
    # SQLite numbers entries without holes, so a first entry above mark + 1 means the ones in
    # between were pruned. (A server's sequence may leave holes: a needless re-read, no harm.)
    return Pending(changes, int(rows[-1][0]), gap=int(rows[0][0]) > mark + 1)


# -- noticing commits -------------------------------------------------------------------------
class ChangeProbe(Protocol):
    """Answers cheaply whether anything may have been committed since it was last asked."""

    def changed(self) -> bool:
        """True when another connection may have committed since the last call."""
        ...

    def close(self) -> None:
        """Release what the probe holds."""
        ...


class LatestSeqProbe:
    """Any backend: the log's highest seq (one indexed MAX per call)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._last: int | None = None
        self.changed()  # the position to compare with: a commit from now on counts

    def changed(self) -> bool:
        """True when the log grew since the last call."""
        try:
            with self._engine.connect() as conn:
                seq = int(conn.scalar(select(func.max(ChangeRow.seq))) or 0)
                conn.rollback()
        except SQLAlchemyError as exc:
            raise StorageError(f"cannot tell whether the database changed: {exc}") from exc
        moved = self._last is not None and seq != self._last
        self._last = seq
        return moved

    def close(self) -> None:
        """Nothing to release."""


def change_probe(engine: Engine) -> ChangeProbe:
    """The cheapest probe the backend offers."""
    if engine.dialect.name == "sqlite":
        from capex_gui.storage import sqlite  # sqlite imports this module for WRITE_INTENT

        return sqlite.DataVersionProbe(engine)
    if engine.dialect.name == "postgresql":
        from capex_gui.storage import postgresql  # it imports this module too

        return postgresql.NotifyProbe(engine)
    return LatestSeqProbe(engine)
