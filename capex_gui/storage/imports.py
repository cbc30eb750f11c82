"""Imports written in one transaction, in batches through Core ``executemany``, and recorded.

``ImportWriter`` opens a transaction, records the import (file name, time, table), creates the
companies, suppliers, categories and regions the file brings, and inserts rows in batches that
carry the import's id. Leaving it with an exception (a failing row, a cancel) rolls everything
back: nothing of the import is written. ``remove_import`` deletes an import's rows together
(undo, or later); the rows of one import are found by their ``import_id``.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from capex_gui.domain.entities import ChipOrder, FxRate, Investment
from capex_gui.domain.money import rate_from_int, rate_to_int, to_minor
from capex_gui.errors import ConstraintError, StorageError
from capex_gui.storage import changes
from capex_gui.storage.changes import WRITE_INTENT, Entry, Op, Pending
from capex_gui.storage.repository import _explain, _period_values
from capex_gui.storage.schema import (
    CategoryRow,
    ChipOrderRow,
    CompanyRow,
    FxRateRow,
    ImportRow,
    InvestmentRow,
    RegionRow,
    SupplierRow,
)

if TYPE_CHECKING:
    from collections.abc import Iterable
    from types import TracebackType

    from sqlalchemy.engine import Connection, CursorResult

    from capex_gui.storage.repository import Repository

logger = logging.getLogger(__name__)

#: Change-log origin of imports: every window (the importing one too) re-reads the table.
IMPORT_ORIGIN = "import"

#: Rows sent to the database in one executemany.
BATCH = 1000

#: Import table names -> ORM tables.
TABLES: dict[str, Any] = {
    "investments": InvestmentRow,
    "chip_orders": ChipOrderRow,
    "fx_rates": FxRateRow,
}
_REFERENCES: dict[str, Any] = {
    "company": CompanyRow,
    "supplier": SupplierRow,
    "category": CategoryRow,
    "region": RegionRow,
}
_LOCKED = re.compile(r"locked|busy", re.IGNORECASE)


@dataclass(frozen=True)
class ImportRecord:
    """One import as recorded: which file, when, into which table, how many rows."""

    id: int
    file_name: str
    table: str
    row_count: int
    created_at: datetime
    #: Names the import created, by kind ("company" -> ["Foo"]), removed with it.
    created: dict[str, list[str]] = field(default_factory=dict)
    #: FX rates the import replaced, put back when it is removed.
    replaced: list[FxRate] = field(default_factory=list)


#: Key of the replaced FX rates in the record's JSON (beside the names it created).
REPLACED_KEY = "replaced fx rates"


def _names_json(created: dict[str, list[str]], replaced: list[FxRate]) -> str:
    """The record's JSON: names created by kind, and the FX rates replaced (exact text)."""
    out: dict[str, Any] = dict(created)
    if replaced:
        out[REPLACED_KEY] = [
            [r.id, r.currency, r.year, str(r.units_per_usd), r.note] for r in replaced
        ]
    return json.dumps(out)


@dataclass(frozen=True)
class NewReference:
    """A company, supplier, category or region to create (country for the first two)."""

    kind: str
    name: str
    country: str | None = None
    fiscal_year_end: int | None = None


def new_id(result: CursorResult[Any]) -> int:
    """The primary key an INSERT made."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _storage_error(exc: SQLAlchemyError) -> StorageError:
    if isinstance(exc, IntegrityError):
        return ConstraintError(f"Nothing was imported: {_explain(exc)}.")
    if isinstance(exc, OperationalError) and _LOCKED.search(str(exc.orig)):
        return StorageError("The database is busy or locked by another program; try again.")
    orig = getattr(exc, "orig", None) or exc
    return StorageError(f"The database could not be used: {orig}")


class ImportWriter:
    """Context manager: one import, one transaction; an exception inside writes nothing."""

    def __init__(
        self,
        repo: Repository,
        *,
        file_name: str,
        table: str,
        import_id: int | None = None,
        first_id: int | None = None,
    ) -> None:
        if table not in TABLES:
            raise ValueError(f"cannot import into {table!r}")
        self._repo = repo
        self._engine = repo.engine
        self._file_name = file_name
        self._table = table
        self._row = TABLES[table]
        self._import_id = import_id
        self._first_id = first_id
        self._conn: Connection | None = None
        self._ids: dict[str, dict[str, int]] = {}
        self._batch: list[dict[str, Any]] = []
        self._next_id = 0
        self._count = 0
        self._created: dict[str, list[str]] = {}
        self._fx_existing: dict[tuple[str, int], FxRate] = {}
        self._fx_seen: set[tuple[str, int]] = set()
        #: FX rates this import replaced (for undo).
        self.replaced: list[FxRate] = []
        self.record: ImportRecord | None = None

    # -- transaction ------------------------------------------------------------------------
    def __enter__(self) -> ImportWriter:
        try:
            self._conn = self._engine.execution_options(**{WRITE_INTENT: True}).connect()
            self._conn.begin()
            # The first statement writes, so SQLite takes its write lock before we read ids.
            values: dict[str, Any] = {
                "file_name": self._file_name,
                "table_name": self._table,
                "row_count": 0,
                "created_at": datetime.now(UTC),
                "created_names": "{}",
            }
            if self._import_id is not None:
                values["id"] = self._import_id
            result = self._conn.execute(insert(ImportRow).values(**values))
            self._import_id = new_id(result)
            for kind, row in _REFERENCES.items():
                self._ids[kind] = {n: i for n, i in self._conn.execute(select(row.name, row.id))}
            top = self._conn.execute(select(func.max(self._row.id))).scalar() or 0
            self._next_id = self._first_id if self._first_id is not None else int(top) + 1
            if self._table == "fx_rates":
                for r in Session(self._conn).scalars(select(FxRateRow)):
                    self._fx_existing[(r.currency, r.year)] = FxRate(
                        r.currency, r.year, rate_from_int(r.rate_scaled), r.note, r.id
                    )
        except SQLAlchemyError as exc:
            self._close(commit=False)
            raise _storage_error(exc) from exc
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is not None:
            self._close(commit=False)
            return
        try:
            self._flush()
            assert self._conn is not None
            assert self._import_id is not None
            self._conn.execute(
                update(ImportRow)
                .where(ImportRow.id == self._import_id)
                .values(
                    row_count=self._count,
                    created_names=_names_json(self._created, self.replaced),
                )
            )
            created_at = self._conn.execute(
                select(ImportRow.created_at).where(ImportRow.id == self._import_id)
            ).scalar_one()
            others, last = _log_reset(self._conn, self._repo, self._table)
        except SQLAlchemyError as failure:
            self._close(commit=False)
            raise _storage_error(failure) from failure
        self._close(commit=True)
        _seen(self._repo, others, last)
        self.record = ImportRecord(
            self._import_id,
            self._file_name,
            self._table,
            self._count,
            created_at,
            self._created,
            list(self.replaced),
        )

    def _close(self, *, commit: bool) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if commit:
                conn.commit()
            else:
                conn.rollback()
        finally:
            conn.close()

    @property
    def import_id(self) -> int:
        """The id this import's rows carry."""
        assert self._import_id is not None
        return self._import_id

    @property
    def first_id(self) -> int:
        """The id of the import's first row (ids run on from it)."""
        return self._next_id - self._count if self._table != "fx_rates" else 0

    # -- writing ----------------------------------------------------------------------------
    def create(self, names: Iterable[NewReference]) -> None:
        """Create the names the file brings (before any row that uses them)."""
        conn = self._live()
        try:
            for ref in names:
                if ref.name in self._ids[ref.kind]:
                    continue
                values: dict[str, Any] = {"name": ref.name}
                if ref.kind == "company" and ref.fiscal_year_end is not None:
                    values["fiscal_year_end"] = ref.fiscal_year_end
                if ref.kind in ("company", "supplier"):
                    if not ref.country:
                        raise ConstraintError(
                            f"Nothing was imported: the new {ref.kind} {ref.name} needs a country."
                        )
                    values["country"] = ref.country
                if ref.kind == "category":
                    top = conn.execute(select(func.max(CategoryRow.position))).scalar() or 0
                    values["position"] = int(top) + 1
                result = conn.execute(insert(_REFERENCES[ref.kind]).values(**values))
                self._ids[ref.kind][ref.name] = new_id(result)
                self._created.setdefault(ref.kind, []).append(ref.name)
        except SQLAlchemyError as exc:
            raise _storage_error(exc) from exc

    def add(self, item: Investment | ChipOrder | FxRate) -> None:
        """Queue one row; a full batch is sent at once."""
        if isinstance(item, FxRate):
            self._add_rate(item)
            return
        values = self._values(item)
        values["id"] = self._next_id
        self._next_id += 1
        self._batch.append(values)
        self._count += 1
        if len(self._batch) >= BATCH:
            self._flush()

    def _live(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("ImportWriter used outside its with-block")
        return self._conn

    def _ref(self, kind: str, name: str) -> int:
        found = self._ids[kind].get(name)
        if found is None:
            raise ConstraintError(f"Nothing was imported: there is no {kind} called {name!r}.")
        return found

    def _values(self, item: Investment | ChipOrder) -> dict[str, Any]:
        common = {
            "company_id": self._ref("company", item.company),
            "year": item.year,
            **_period_values(item.period),
            "region_id": self._ref("region", item.region),
            "status": item.status.value,
            "bound": item.bound.value,
            "source": item.source,
            "source_url": item.source_url,
            "reported_on": item.reported_on,
            "quote": item.quote,
            "notes": item.notes,
            "import_id": self._import_id,
        }
        if isinstance(item, Investment):
            if self._table != "investments":
                raise TypeError("an investment in a chip-order import")
            return common | {
                "category_id": self._ref("category", item.category),
                "amount_minor": to_minor(item.amount),
                "currency": item.currency,
                "low_minor": None if item.amount_low is None else to_minor(item.amount_low),
                "high_minor": None if item.amount_high is None else to_minor(item.amount_high),
            }
        if self._table != "chip_orders":
            raise TypeError("a chip order in an investment import")
        return common | {
            "supplier_id": self._ref("supplier", item.supplier),
            "chip_model": item.chip_model,
            "units": item.units,
            "value_minor": None if item.value is None else to_minor(item.value),
            "currency": item.currency,
            "export_note": item.export_note,
        }

    def _add_rate(self, rate: FxRate) -> None:
        conn = self._live()
        key = (rate.currency, rate.year)
        if key in self._fx_seen:
            raise ConstraintError(
                f"Nothing was imported: the file has two rates for {rate.currency} {rate.year}."
            )
        self._fx_seen.add(key)
        values = {
            "rate_scaled": rate_to_int(rate.units_per_usd),
            "note": rate.note,
            "import_id": self._import_id,
        }
        try:
            old = self._fx_existing.get(key)
            if old is not None:
                self.replaced.append(old)
                conn.execute(
                    update(FxRateRow)
                    .where(FxRateRow.id == old.id)
                    .values(version=FxRateRow.version + 1, **values)
                )
            else:
                conn.execute(
                    insert(FxRateRow).values(currency=rate.currency, year=rate.year, **values)
                )
        except SQLAlchemyError as exc:
            raise _storage_error(exc) from exc
        self._count += 1

    def _flush(self) -> None:
        if not self._batch:
            return
        batch, self._batch = self._batch, []
        try:
            self._live().execute(insert(self._row), batch)
        except SQLAlchemyError as exc:
            raise _storage_error(exc) from exc


# -- the change log ------------------------------------------------------------------------
def _log_reset(conn: Connection, repo: Repository | None, table: str) -> tuple[Pending | None, int]:
    """Log that *table* was bulk-written, so other windows re-read it.

    With the importing window's *repo*, the entry carries its origin (that window announces
    the import itself) and the others' changes logged so far are returned for it to take in;
    without, every window re-reads (IMPORT_ORIGIN).
    """
    if repo is None:
        return None, changes.record(conn, IMPORT_ORIGIN, [Entry(table, Op.RESET)])
    session = Session(bind=conn)
    others = changes.read_since(session, repo.seen_seq, repo.origin)
    last = changes.record(session, repo.origin, [Entry(table, Op.RESET)])
    return others, last


def _seen(repo: Repository | None, others: Pending | None, last: int) -> None:
    """After the commit: the repository has taken in the log up to its own entry."""
    if repo is None or others is None:
        return
    repo._take_in(others)
    repo.seen_seq = repo.last_write_seq = last


# -- reading and removing ------------------------------------------------------------------
def _record(row: ImportRow) -> ImportRecord:
    try:
        created = json.loads(row.created_names or "{}")
    except ValueError:
        created = {}
    replaced = []
    for item in created.pop(REPLACED_KEY, None) or []:
        rate_id, currency, year, rate, note = item
        replaced.append(FxRate(currency, int(year), Decimal(rate), note, rate_id))
    return ImportRecord(
        row.id, row.file_name, row.table_name, row.row_count, row.created_at, created, replaced
    )


def list_imports(engine: Engine) -> list[ImportRecord]:
    """Every recorded import, newest first."""
    try:
        with engine.connect() as conn:
            rows = Session(conn).scalars(select(ImportRow).order_by(ImportRow.id.desc()))
            return [_record(r) for r in rows]
    except SQLAlchemyError as exc:
        raise _storage_error(exc) from exc


def import_row_ids(engine: Engine, import_id: int) -> list[int]:
    """Ids of the rows an import added (in its table)."""
    with engine.connect() as conn:
        record = Session(conn).scalar(select(ImportRow).where(ImportRow.id == import_id))
        if record is None:
            return []
        row = TABLES[record.table_name]
        return list(conn.execute(select(row.id).where(row.import_id == import_id)).scalars())


def remove_import(
    target: Repository | Engine, import_id: int, *, restore: Iterable[FxRate] | None = None
) -> ImportRecord | None:
    """Delete an import's rows, the names it created (where unused) and its record.

    The FX rates the import replaced are put back (*restore*, or those its record keeps). One
    transaction. Returns the record removed (None when there was none). Given the window's
    repository (not a bare engine), the change-log entry is that window's own, so it is not
    re-read there twice.
    """
    repo: Repository | None = None if isinstance(target, Engine) else target
    engine: Engine = target if isinstance(target, Engine) else target.engine
    try:
        with engine.execution_options(**{WRITE_INTENT: True}).begin() as conn:
            row = Session(conn).scalar(select(ImportRow).where(ImportRow.id == import_id))
            if row is None:
                return None
            record = _record(row)
            table = TABLES[record.table]
            conn.execute(delete(table).where(table.import_id == import_id))
            for rate in record.replaced if restore is None else restore:
                conn.execute(
                    insert(FxRateRow).values(
                        id=rate.id,
                        currency=rate.currency,
                        year=rate.year,
                        rate_scaled=rate_to_int(rate.units_per_usd),
                        note=rate.note,
                    )
                )
            for kind in ("region", "category", "supplier", "company"):
                for name in record.created.get(kind, []):
                    ref = _REFERENCES[kind]
                    savepoint = conn.begin_nested()
                    try:
                        conn.execute(delete(ref).where(ref.name == name))
                    except IntegrityError:
                        savepoint.rollback()
                        logger.info("kept %s %s: rows outside the import use it", kind, name)
                    else:
                        savepoint.commit()
            conn.execute(delete(ImportRow).where(ImportRow.id == import_id))
            others, last = _log_reset(conn, repo, record.table)
        _seen(repo, others, last)
        return record
    except IntegrityError as exc:
        raise _storage_error(exc) from exc
    except SQLAlchemyError as exc:
        raise _storage_error(exc) from exc
