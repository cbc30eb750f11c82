"""The repository: domain objects in, domain objects out, one transaction per call."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Engine, delete, func, insert, select

from capex_gui.domain.analytics import excluded_from, summarize_ledgers
from capex_gui.domain.entities import (
    Category,
    ChipOrder,
    Company,
    Countries,
    FxRate,
    Investment,
    Region,
    Status,
    Supplier,
)
from capex_gui.domain.fx import FxTable
from capex_gui.domain.merge import changed_fields, merge_edit
from capex_gui.domain.money import rate_from_int, rate_to_int
from capex_gui.domain.periods import Basis
from capex_gui.errors import (
    ConflictError,
    FieldConflict,
    RowConflict,
    StorageError,
)
from capex_gui.storage import aggregates
from capex_gui.storage.changes import WRITE_INTENT, Entry, Op
from capex_gui.storage.figure_order import MONEY_SORTS as MONEY_SORTS
from capex_gui.storage.figure_order import FigureQuery as FigureQuery
from capex_gui.storage.figure_order import read_figure_ids
from capex_gui.storage.figure_rows import (
    CHIP_ORDERS,
    INVESTMENTS,
    Figure,
    figure_table,
    period_values,
    reference_id,
    with_year_period,
)
from capex_gui.storage.schema import (
    CategoryRow,
    ChipOrderRow,
    CompanyRow,
    FxRateRow,
    InvestmentRow,
    RegionRow,
    SupplierRow,
    utcnow,
)
from capex_gui.storage.tracked import ChangeTracking
from capex_gui.storage.transactions import _explain as _explain  # re-exported: imports.py
from capex_gui.storage.transactions import transaction

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from sqlalchemy.orm import Session

    from capex_gui.domain.analytics import SpendLedger, Summary, SupplierLedger
    from capex_gui.domain.evidence import OrderEvidence, SpendEvidence


logger = logging.getLogger(__name__)

#: Rows per Core executemany in bulk loads.
BULK_BATCH = 10_000

SOFT_STATUSES = [s.value for s in Status if s.is_soft]

#: An edit of one row: (the row as the user saw it, or None for "as of its version"; the row
#: as the user wants it).
FigureEdit = tuple[Figure | None, Figure]


class Unchecked(Enum):
    """Marks a write that replaces whatever is stored (no "what the user saw")."""

    UNCHECKED = "unchecked"


UNCHECKED = Unchecked.UNCHECKED


@dataclass
class FigureWrite:
    """What one write transaction did to a figure table (values as stored)."""

    #: (stored before, stored after) of each changed row.
    updated: list[tuple[Figure, Figure]] = field(default_factory=list)
    added: list[Figure] = field(default_factory=list)
    removed: list[Figure] = field(default_factory=list)
    #: The change log's entry number of this write (0: nothing was written).
    seq: int = 0

    def __bool__(self) -> bool:
        return bool(self.updated or self.added or self.removed)


class Repository(ChangeTracking):
    """Reads and writes the database for the rest of the app.

    Writes take the write lock as they begin, check row versions, and log what they changed
    for other windows (see ``tracked.py`` and ``changes.py``).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._write_engine = engine.execution_options(**{WRITE_INTENT: True})
        self._start_tracking()

    # -- transactions -----------------------------------------------------------------------
    @contextmanager
    def _tx(self, *, write: bool = False) -> Iterator[Session]:
        """One transaction (see ``transactions.transaction``); inside ``snapshot()``, reads share
        the snapshot's transaction."""
        if self._snapshot is not None and not write:
            yield self._snapshot
            return
        with transaction(self._write_engine if write else self.engine, write=write) as session:
            yield session

    # -- reference lists --------------------------------------------------------------------
    def companies(self) -> list[Company]:
        """Every company, by name."""
        with self._tx() as s:
            rows = s.scalars(select(CompanyRow).order_by(CompanyRow.name)).all()
            return [_to_company(r) for r in rows]

    def suppliers(self) -> list[Supplier]:
        """Every supplier, by name."""
        with self._tx() as s:
            rows = s.scalars(select(SupplierRow).order_by(SupplierRow.name)).all()
            return [Supplier(r.name, r.country, r.id) for r in rows]

    def categories(self) -> list[Category]:
        """The managed category list, in its order."""
        with self._tx() as s:
            q = select(CategoryRow).order_by(CategoryRow.position, CategoryRow.id)
            return [Category(r.name, r.id) for r in s.scalars(q)]

    def regions(self) -> list[Region]:
        """The managed region list."""
        with self._tx() as s:
            return [
                Region(r.name, r.id) for r in s.scalars(select(RegionRow).order_by(RegionRow.id))
            ]

    def countries(self) -> Countries:
        """Company and supplier countries, for domestic/imported."""
        return Countries(
            {c.name: c.country for c in self.companies()},
            {s.name: s.country for s in self.suppliers()},
        )

    def add_company(self, company: Company) -> Company:
        """Insert a company; returns it with its id."""
        with self._write() as (s, log):
            row = CompanyRow(
                name=_clean(company.name),
                country=company.country,
                fiscal_year_end=company.fiscal_year_end_month,
            )
            if company.id is not None:
                row.id = company.id
            s.add(row)
            s.flush()
            log.append(Entry("companies", Op.INSERT, row.id))
        return _to_company(row)

    def update_company(self, company: Company) -> Company:
        """Rename a company or change its country or fiscal-year end (by id); see change_company."""
        return self.change_company(company).after

    def change_company(self, company: Company) -> CompanyChange:
        """Rename a company or change its country or fiscal-year end, in ONE transaction.

        A new fiscal-year end re-reads the company's fiscal figures: each keeps its label
        ("FY2025 Q3") and takes the months that label now means (and the year it counts in).
        Returns the company before and after, and every figure whose value changed (renamed
        or moved); each such row gets a new version and a change-log entry.
        """
        with self._write() as (s, log):
            row = s.get(CompanyRow, company.id)
            if row is None:
                raise StorageError(f"company {company.id} no longer exists")
            before = _to_company(row)
            row.name = _clean(company.name)
            row.country = company.country
            row.fiscal_year_end = company.fiscal_year_end_month
            row.updated_at = utcnow()
            s.flush()
            log.append(Entry("companies", Op.UPDATE, row.id))
            after = _to_company(row)
            change = CompanyChange(before, after)
            if (before.name, before.fiscal_year_end_month) == (
                after.name,
                after.fiscal_year_end_month,
            ):
                return change
            touched: list[tuple[str, Any, Figure, Figure]] = []
            query = self._investment_query().where(InvestmentRow.company_id == row.id)
            for inv_row, _name, category, region in s.execute(query).all():
                old = self._to_investment(inv_row, before.name, category, region)
                touched.append(("investments", inv_row, old, _renamed(old, after)))
            query = self._order_query().where(ChipOrderRow.company_id == row.id)
            for order_row, _name, region, supplier in s.execute(query).all():
                old_order = self._to_order(order_row, before.name, region, supplier)
                touched.append(("chip_orders", order_row, old_order, _renamed(old_order, after)))
            for _table, figure_row, old_figure, new_figure in touched:
                if new_figure.period != old_figure.period:
                    figure_row.year = new_figure.year
                    for key, value in _period_values(new_figure.period).items():
                        setattr(figure_row, key, value)
                figure_row.updated_at = utcnow()  # a new version: other windows see the change
            s.flush()
            for table, figure_row, old_figure, new_figure in touched:
                stored = new_figure.with_changes(version=figure_row.version)
                pairs = change.investments if table == "investments" else change.chip_orders
                pairs.append((old_figure, stored))  # type: ignore[arg-type]
                log.append(Entry(table, Op.UPDATE, figure_row.id, old_figure, stored))
        return change

    def fiscal_year_ends(self) -> dict[str, int]:
        """Company name -> the month its fiscal year ends in."""
        with self._tx() as s:
            return {
                name: int(end)
                for name, end in s.execute(select(CompanyRow.name, CompanyRow.fiscal_year_end))
            }

    def add_supplier(self, supplier: Supplier) -> Supplier:
        """Insert a supplier; returns it with its id."""
        with self._write() as (s, log):
            row = SupplierRow(name=_clean(supplier.name), country=supplier.country)
            s.add(row)
            s.flush()
            log.append(Entry("suppliers", Op.INSERT, row.id))
        return Supplier(row.name, row.country, row.id)

    def add_category(self, name: str) -> Category:
        """Extend the managed category list."""
        Category(name)
        with self._write() as (s, log):
            last = s.scalar(select(CategoryRow.position).order_by(CategoryRow.position.desc()))
            row = CategoryRow(name=_clean(name), position=(last or 0) + 1)
            s.add(row)
            s.flush()
            log.append(Entry("categories", Op.INSERT, row.id))
        return Category(row.name, row.id)

    def add_region(self, name: str) -> Region:
        """Extend the managed region list."""
        Region(name)
        with self._write() as (s, log):
            row = RegionRow(name=_clean(name))
            s.add(row)
            s.flush()
            log.append(Entry("regions", Op.INSERT, row.id))
        return Region(row.name, row.id)

    def delete_company(self, name: str) -> None:
        """Remove a company that no figure uses."""
        self._delete_named(CompanyRow, "companies", name)

    def delete_supplier(self, name: str) -> None:
        """Remove a supplier that no order uses."""
        self._delete_named(SupplierRow, "suppliers", name)

    def delete_category(self, name: str) -> None:
        """Remove a category that no investment uses."""
        self._delete_named(CategoryRow, "categories", name)

    def delete_region(self, name: str) -> None:
        """Remove a region that no figure uses."""
        self._delete_named(RegionRow, "regions", name)

    def _delete_named(self, table: Any, table_name: str, name: str) -> None:
        with self._write() as (s, log):
            for id_ in s.scalars(delete(table).where(table.name == name).returning(table.id)):
                log.append(Entry(table_name, Op.DELETE, int(id_)))

    # -- figures (either table: storage/figure_rows.py) --------------------------------------
    def figures(self, table: str, ids: Iterable[int] | None = None) -> list[Figure]:
        """Rows of *table* (all, or those with *ids*) as entities, by id."""
        with self._tx() as s:
            return figure_table(table).read(s, ids)

    def get_figure(self, table: str, id_: int) -> Figure:
        """One row (StorageError if it is gone)."""
        found = self.figures(table, [id_])
        if not found:
            raise StorageError(f"row {id_} of {table} no longer exists")
        return found[0]

    def investments(self, ids: Iterable[int] | None = None) -> list[Investment]:
        """Investments (all, or those with *ids*), by id."""
        return [i for i in self.figures("investments", ids) if isinstance(i, Investment)]

    def chip_orders(self, ids: Iterable[int] | None = None) -> list[ChipOrder]:
        """Chip orders (all, or those with *ids*), by id."""
        return [o for o in self.figures("chip_orders", ids) if isinstance(o, ChipOrder)]

    def get_investment(self, id_: int) -> Investment:
        """One investment (StorageError if it is gone)."""
        found = self.investments([id_])
        if not found:
            raise StorageError(f"investment {id_} no longer exists")
        return found[0]

    def get_chip_order(self, id_: int) -> ChipOrder:
        """One chip order (StorageError if it is gone)."""
        found = self.chip_orders([id_])
        if not found:
            raise StorageError(f"chip order {id_} no longer exists")
        return found[0]

    def add_investments(self, items: Sequence[Investment]) -> list[Investment]:
        """Insert many in one transaction (keeping ids they carry); returns them with ids."""
        added = self.write_figures("investments", add=items).added
        return [i for i in added if isinstance(i, Investment)]

    def add_chip_orders(self, items: Sequence[ChipOrder]) -> list[ChipOrder]:
        """Insert many in one transaction (keeping ids they carry); returns them with ids."""
        added = self.write_figures("chip_orders", add=items).added
        return [o for o in added if isinstance(o, ChipOrder)]

    def add_investment(self, inv: Investment) -> Investment:
        """Insert one; returns it with its id."""
        return self.add_investments([inv])[0]

    def add_chip_order(self, order: ChipOrder) -> ChipOrder:
        """Insert one; returns it with its id."""
        return self.add_chip_orders([order])[0]

    def update_investment(self, inv: Investment) -> Investment:
        """Replace the stored row with id *inv.id* (if it still has *inv*'s version)."""
        self.replace_rows("investments", [inv])
        return inv

    def update_chip_order(self, order: ChipOrder) -> ChipOrder:
        """Replace the stored row with id *order.id*."""
        self.replace_rows("chip_orders", [order])
        return order

    def delete_investments(self, ids: Iterable[int]) -> list[Investment]:
        """Delete rows; returns what was deleted (for undo)."""
        gone = self.write_figures("investments", remove=list(ids)).removed
        return [i for i in gone if isinstance(i, Investment)]

    def delete_chip_orders(self, ids: Iterable[int]) -> list[ChipOrder]:
        """Delete rows; returns what was deleted (for undo)."""
        gone = self.write_figures("chip_orders", remove=list(ids)).removed
        return [o for o in gone if isinstance(o, ChipOrder)]

    # shims for code written against the per-table helpers
    _ref = staticmethod(reference_id)

    @staticmethod
    def _investment_query() -> Any:
        return INVESTMENTS.query()

    @staticmethod
    def _order_query() -> Any:
        return CHIP_ORDERS.query()

    @staticmethod
    def _to_investment(row: Any, *names: str) -> Investment:
        made = INVESTMENTS.entity_of(row, *names)
        assert isinstance(made, Investment)
        return made

    @staticmethod
    def _to_order(row: Any, *names: str) -> ChipOrder:
        made = CHIP_ORDERS.entity_of(row, *names)
        assert isinstance(made, ChipOrder)
        return made

    def replace_rows(self, table: str, items: Sequence[Figure]) -> None:
        """Replace rows of *table* ("investments" / "chip_orders") by id, in one transaction."""
        self.save_rows(table, items, [])

    def save_rows(
        self, table: str, replace: Sequence[Figure], add: Sequence[Figure]
    ) -> list[Figure]:
        """Replace some rows and add others in ONE transaction (a paste); returns the added.

        A replaced row that carries a version must still have it (else ConflictError).
        """
        return self.write_figures(table, edits=[(None, r) for r in replace], add=add).added

    # -- writing figures --------------------------------------------------------------------
    def write_figures(
        self,
        table: str,
        *,
        edits: Sequence[FigureEdit] = (),
        add: Sequence[Figure] = (),
        remove: Sequence[Figure | int] = (),
    ) -> FigureWrite:
        """Edit, add and remove rows of one figure table in ONE transaction.

        Each edit changes only the fields the user changed (``seen`` -> ``wanted``), on top of
        whatever the row holds now; a field someone else changed to a different value since the
        user saw it makes the whole write fail with ConflictError listing every such row, and
        nothing is written. A removed row given as a value is removed only if it still holds
        that value (else a conflict); one that is gone already is skipped.
        """
        spec = figure_table(table)
        row_type = spec.row
        done = FigureWrite()
        with self._write() as (s, log):
            wanted_ids = [w.id for _, w in edits] + [
                r if isinstance(r, int) else r.id for r in remove
            ]
            current = spec.locked(s, [i for i in wanted_ids if i is not None])
            conflicts: list[RowConflict] = []
            plans: list[tuple[Figure, Figure]] = []
            for seen, wanted in edits:
                _check_kind(table, wanted)
                now = current.get(wanted.id) if wanted.id is not None else None
                if now is None:
                    conflicts.append(RowConflict(table, wanted.id or 0, seen, wanted, None))
                    continue
                merge = merge_edit(seen, wanted, now)
                if merge.conflicts:
                    conflicts.append(
                        RowConflict(table, now.id or 0, seen, wanted, now, merge.conflicts)
                    )
                elif isinstance(merge.merged, Investment | ChipOrder) and merge.merged != now:
                    plans.append((now, merge.merged))
            removing: list[Figure] = []
            for item in remove:
                now = current.get((item if isinstance(item, int) else item.id) or 0)
                if now is None:
                    continue  # gone already
                if isinstance(item, int) or item.version in (None, now.version):
                    removing.append(now)
                    continue
                fields = tuple(
                    FieldConflict(name, getattr(item, name), None, getattr(now, name))
                    for name in changed_fields(item, now)
                )
                if fields:
                    conflicts.append(RowConflict(table, now.id or 0, item, None, now, fields))
                else:
                    removing.append(now)
            if conflicts:
                raise ConflictError(conflicts)
            for _before, after in plans:
                row = s.get_one(row_type, after.id)
                for key, value in spec.values(s, after, self.user).items():
                    if getattr(row, key) != value:
                        setattr(row, key, value)
                row.updated_at = utcnow()
            s.flush()  # the version counter moves here
            for before, after in plans:
                stored = after.with_changes(version=s.get_one(row_type, after.id).version)
                done.updated.append((before, stored))
                log.append(Entry(table, Op.UPDATE, after.id, before, stored))
            if removing:
                ids = [r.id for r in removing]
                s.execute(delete(row_type).where(row_type.id.in_(ids)))
                done.removed = removing
                log.extend(Entry(table, Op.DELETE, r.id, r, None) for r in removing)
            done.added = spec.insert(s, add, self.user)
            log.extend(Entry(table, Op.INSERT, a.id, None, a) for a in done.added)
        done.seq = self.last_write_seq if done else 0
        return done

    # -- FX ---------------------------------------------------------------------------------
    def fx_rates(self) -> list[FxRate]:
        """Every rate, by currency and year."""
        with self._tx() as s:
            q = select(FxRateRow).order_by(FxRateRow.currency, FxRateRow.year)
            return [_to_rate(r) for r in s.scalars(q)]

    def set_fx_rate(self, rate: FxRate) -> FxRate:
        """Insert or replace the rate for (currency, year), whatever is stored."""
        return self.write_fx_rate(rate)[1]

    def write_fx_rate(
        self, rate: FxRate, seen: FxRate | Unchecked | None = UNCHECKED
    ) -> tuple[FxRate | None, FxRate]:
        """Set the rate for (currency, year); returns (the rate stored before or None, after).

        With *seen* (the rate as the user saw it; None: they saw none), only the fields the
        user changed are written, and only if nobody changed them meanwhile: else
        ConflictError, and nothing is written.
        """
        with self._write() as (s, log):
            row = self._rate_row(s, rate.currency, rate.year)
            before = None if row is None else _to_rate(row)
            if not isinstance(seen, Unchecked):
                rate = _checked_rate(seen, rate, before)
            if row is None:
                row = FxRateRow(currency=rate.currency, year=rate.year)
                s.add(row)
            row.rate_scaled = rate_to_int(rate.units_per_usd)
            row.note = rate.note
            row.changed_by = self.user
            row.updated_at = utcnow()
            s.flush()
            after = _to_rate(row)
            if after != before or before is None:
                op = Op.INSERT if before is None else Op.UPDATE
                log.append(Entry("fx_rates", op, row.id, before, after))
        return before, after

    def delete_fx_rate(
        self, currency: str, year: int, seen: FxRate | Unchecked = UNCHECKED
    ) -> FxRate | None:
        """Remove a rate; returns it (for undo), or None if there was none.

        With *seen*, a rate someone changed since the user saw it is not deleted (ConflictError).
        """
        with self._write() as (s, log):
            row = self._rate_row(s, currency, year)
            if row is None:
                return None
            gone = _to_rate(row)
            if isinstance(seen, FxRate):
                differ = changed_fields(seen, gone)
                if differ:
                    fields = tuple(
                        FieldConflict(f, getattr(seen, f), None, getattr(gone, f)) for f in differ
                    )
                    raise ConflictError([RowConflict("fx_rates", row.id, seen, None, gone, fields)])
            s.execute(delete(FxRateRow).where(FxRateRow.id == row.id))
            log.append(Entry("fx_rates", Op.DELETE, row.id, gone, None))
        return gone

    @staticmethod
    def _rate_row(s: Session, currency: str, year: int) -> FxRateRow | None:
        return s.scalar(
            select(FxRateRow)
            .where(FxRateRow.currency == currency, FxRateRow.year == year)
            .with_for_update()
        )

    # -- bulk -------------------------------------------------------------------------------
    def bulk_insert_chip_orders(self, rows: Iterable[dict[str, Any]]) -> None:
        """Fast path for large loads: Core executemany over already-resolved column values."""
        self.bulk_insert("chip_orders", rows)

    def bulk_insert(
        self, table: str, rows: Iterable[dict[str, Any]], *, batch: int = BULK_BATCH
    ) -> int:
        """Insert many rows of a figure table in ONE transaction, *batch* rows per Core
        executemany (rows are streamed: a million never sit in memory at once); returns how
        many. Column values are already resolved (ids, minor units); other windows re-read."""
        target = figure_table(table).row.__table__
        now = utcnow()
        done = 0
        with self._write() as (s, log):
            chunk: list[dict[str, Any]] = []
            for values in rows:
                chunk.append({"created_at": now, "updated_at": now, **with_year_period(values)})
                if len(chunk) >= batch:
                    s.execute(insert(target), chunk)
                    done += len(chunk)
                    chunk = []
            if chunk:
                s.execute(insert(target), chunk)
                done += len(chunk)
            log.append(Entry(table, Op.RESET))
        return done

    # -- aggregates (from the summary tables: storage/aggregates.py) -------------------------
    def spend_ledger(self) -> SpendLedger:
        """Investment sums per group, from the summary tables (no row is loaded)."""
        with self._tx() as s:
            return aggregates.spend_ledger(s)

    def supplier_ledger(self) -> SupplierLedger:
        """Chip-order sums per group, from the summary tables (no row is loaded)."""
        with self._tx() as s:
            return aggregates.supplier_ledger(s)

    def spend_evidence(self) -> SpendEvidence:
        """Sources and range reaches of investments, from the summary tables."""
        with self._tx() as s:
            return aggregates.spend_evidence(s)

    def order_evidence(self) -> OrderEvidence:
        """Sources and estimate counts of chip orders, from the summary tables."""
        with self._tx() as s:
            return aggregates.order_evidence(s)

    def summary(self, currency: str, *, spread_spans: bool = False) -> Summary:
        """Everything ``capex-gui summary`` prints, from the summary tables and the rows left
        out (read through indexes), all in one snapshot."""
        with self.snapshot(), self._tx() as s:
            fx = FxTable.from_rates(self.fx_rates())
            countries = self.countries()
            spend, suppliers = aggregates.spend_ledger(s), aggregates.supplier_ledger(s)
            investments, orders = aggregates.left_out(s, fx, currency)
        return summarize_ledgers(
            spend,
            suppliers,
            countries,
            fx,
            currency,
            excluded_from(investments, orders, fx, currency),
            spread_spans=spread_spans,
        )

    def figure_ids(self, table: str, query: FigureQuery, *, limit: int | None = None) -> list[int]:
        """Ids of *table*'s rows matching *query*, in its order (see ``figure_order``); with
        *limit*, only the first ones."""
        with self._tx() as s:
            return read_figure_ids(s, table, query, limit=limit).tolist()

    def figure_years(self) -> list[int]:
        """Every year any figure is for (from the summary tables)."""
        with self._tx() as s:
            return aggregates.figure_years(s)

    def count_rows(self, table: str) -> int:
        """Rows in one figure table (from its summary table: no scan)."""
        with self._tx() as s:
            return aggregates.row_count(s, table)

    def counts(self) -> dict[str, int]:
        """Rows per table, for the summary and status bar."""
        with self._tx() as s:
            return {
                t.__tablename__: int(s.scalar(select(func.count()).select_from(t)) or 0)
                for t in (CompanyRow, SupplierRow, InvestmentRow, ChipOrderRow, FxRateRow)
            }


def _to_rate(row: FxRateRow) -> FxRate:
    return FxRate(
        row.currency, row.year, rate_from_int(row.rate_scaled), row.note, row.id, row.version
    )


def _checked_rate(seen: FxRate | None, wanted: FxRate, stored: FxRate | None) -> FxRate:
    """The rate to write for a user who saw *seen*; ConflictError when someone else's change
    would be overwritten (or they deleted or added the rate meanwhile)."""
    if stored is None:
        if seen is None:
            return wanted
        raise ConflictError([RowConflict("fx_rates", seen.id or 0, seen, wanted, None)])
    if seen is None:  # the user added a rate someone else added meanwhile
        differ = changed_fields(stored, wanted)
        if not differ:
            return wanted
        fields = tuple(
            FieldConflict(f, None, getattr(wanted, f), getattr(stored, f)) for f in differ
        )
        raise ConflictError([RowConflict("fx_rates", stored.id or 0, None, wanted, stored, fields)])
    merge = merge_edit(seen, wanted, stored)
    if merge.conflicts or not isinstance(merge.merged, FxRate):
        raise ConflictError(
            [RowConflict("fx_rates", stored.id or 0, seen, wanted, stored, merge.conflicts)]
        )
    return merge.merged


def _check_kind(table: str, item: Figure) -> None:
    if not isinstance(item, figure_table(table).entity):
        raise TypeError(f"{type(item).__name__} does not belong in {table}")


def _clean(name: str) -> str:
    """Names are stored with single spaces and no spaces at the ends."""
    return " ".join(name.split())


@dataclass
class CompanyChange:
    """What changing a company did: the company before and after, and its figures'."""

    before: Company
    after: Company
    investments: list[tuple[Investment, Investment]] = field(default_factory=list)
    chip_orders: list[tuple[ChipOrder, ChipOrder]] = field(default_factory=list)


_FigureT = TypeVar("_FigureT", Investment, ChipOrder)


def _renamed(item: _FigureT, company: Company) -> _FigureT:
    """*item* under *company*'s (new) name, its fiscal period read with the new year end."""
    period = item.period
    if period.basis is Basis.FISCAL:
        period = period.with_year_end(company.fiscal_year_end_month)
    return item.with_changes(company=company.name, period=period)


def _to_company(row: CompanyRow) -> Company:
    return Company(row.name, row.country, row.id, int(row.fiscal_year_end))


_period_values = period_values  # re-exported: imports.py
