"""The two figure tables described once each, and one path per kind of work over either.

A :class:`FigureTable` says which ORM table holds a kind of figure, which reference tables its
names live in (company, category, region, supplier) and how its own fields are stored. Reading
rows as entities, turning an entity into column values, inserting and locking rows are written
once over that description, for investments and chip orders alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from capex_gui.domain.entities import ChipOrder, Investment, Status
from capex_gui.domain.money import from_minor, to_minor
from capex_gui.domain.parsing import Bound
from capex_gui.domain.periods import Period
from capex_gui.errors import ConstraintError
from capex_gui.storage.aggregates import period_from
from capex_gui.storage.schema import (
    CategoryRow,
    ChipOrderRow,
    CompanyRow,
    InvestmentRow,
    RegionRow,
    SupplierRow,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from sqlalchemy.orm import Session

Figure = Investment | ChipOrder


@dataclass(frozen=True)
class Reference:
    """A name a figure holds by id: its field, the table of names, the id column."""

    field: str
    table: Any
    column: str


def _money(value: int | None) -> Any:
    return None if value is None else from_minor(value)


def _minor(value: Any) -> int | None:
    return None if value is None else to_minor(value)


@dataclass(frozen=True)
class FigureTable:
    """How one kind of figure is stored."""

    name: str
    row: Any
    entity: type[Investment] | type[ChipOrder]
    refs: tuple[Reference, ...]
    #: (entity field, column, stored -> entity, entity -> stored) of the table's own values.
    own: tuple[tuple[str, str, Callable[[Any], Any], Callable[[Any], Any]], ...]

    def query(self) -> Any:
        """SELECT row, *names of its references, joined."""
        q = select(self.row, *(ref.table.name for ref in self.refs))
        for ref in self.refs:
            q = q.join(ref.table, getattr(self.row, ref.column) == ref.table.id)
        return q

    def entity_of(self, row: Any, *names: str) -> Figure:
        """The domain entity of a stored row (with its reference names, in ``refs`` order)."""
        fields: dict[str, Any] = {
            ref.field: name for ref, name in zip(self.refs, names, strict=True)
        }
        for field, column, read, _write in self.own:
            fields[field] = read(getattr(row, column))
        return self.entity(
            year=row.year,
            period=period_of(row),
            id=row.id,
            version=row.version,
            status=Status(row.status),
            bound=Bound(row.bound),
            source=row.source,
            source_url=row.source_url,
            reported_on=row.reported_on,
            quote=row.quote,
            notes=row.notes,
            **fields,
        )

    def values(self, s: Session, item: Figure, changed_by: str | None) -> dict[str, Any]:
        """The columns storing *item*, written by user *changed_by* (ConstraintError naming a
        reference that is missing)."""
        out: dict[str, Any] = {
            ref.column: reference_id(s, ref.table, getattr(item, ref.field), ref.field)
            for ref in self.refs
        }
        for field, column, _read, write in self.own:
            out[column] = write(getattr(item, field))
        return {
            **out,
            "year": item.year,
            **period_values(item.period),
            "status": item.status.value,
            "bound": item.bound.value,
            "source": item.source,
            "source_url": item.source_url,
            "reported_on": item.reported_on,
            "quote": item.quote,
            "notes": item.notes,
            "changed_by": changed_by,
        }

    def read(self, s: Session, ids: Iterable[int] | None = None) -> list[Figure]:
        """Rows (all, or those with *ids*) as entities, by id."""
        q = self.query().order_by(self.row.id)
        if ids is None:
            return [self.entity_of(*r) for r in s.execute(q)]
        wanted = list(ids)
        out: list[Figure] = []
        for start in range(0, len(wanted), 500):
            chunk = q.where(self.row.id.in_(wanted[start : start + 500]))
            out += [self.entity_of(*r) for r in s.execute(chunk)]
        return sorted(out, key=lambda f: f.id or 0)

    def locked(self, s: Session, ids: Sequence[int]) -> dict[int, Figure]:
        """The stored rows with *ids*, locked for this transaction where the backend can."""
        out: dict[int, Figure] = {}
        for start in range(0, len(ids), 500):
            q = self.query().where(self.row.id.in_(ids[start : start + 500]))
            for r in s.execute(q.with_for_update(of=self.row)):
                out[r[0].id] = self.entity_of(*r)
        return out

    def insert(self, s: Session, items: Sequence[Figure], changed_by: str | None) -> list[Figure]:
        """Insert *items* (keeping ids they carry); returns them with ids and versions."""
        out: list[Figure] = []
        for item in items:
            row = self.row(**self.values(s, item, changed_by))
            if item.id is not None:
                row.id = item.id
            s.add(row)
            s.flush()
            out.append(item.with_changes(id=row.id, version=row.version))
        return out


_COMPANY = Reference("company", CompanyRow, "company_id")
_REGION = Reference("region", RegionRow, "region_id")

INVESTMENTS = FigureTable(
    "investments",
    InvestmentRow,
    Investment,
    (_COMPANY, Reference("category", CategoryRow, "category_id"), _REGION),
    (
        ("amount", "amount_minor", from_minor, to_minor),
        ("currency", "currency", str, str),
        ("amount_low", "low_minor", _money, _minor),
        ("amount_high", "high_minor", _money, _minor),
    ),
)
CHIP_ORDERS = FigureTable(
    "chip_orders",
    ChipOrderRow,
    ChipOrder,
    (_COMPANY, _REGION, Reference("supplier", SupplierRow, "supplier_id")),
    (
        ("chip_model", "chip_model", str, str),
        ("units", "units", lambda v: v, lambda v: v),
        ("value", "value_minor", _money, _minor),
        ("currency", "currency", lambda v: v, lambda v: v),
        ("export_note", "export_note", str, str),
    ),
)
FIGURE_TABLES: dict[str, FigureTable] = {t.name: t for t in (INVESTMENTS, CHIP_ORDERS)}


def figure_table(name: str) -> FigureTable:
    """The description of figure table *name* (ValueError for any other table)."""
    try:
        return FIGURE_TABLES[name]
    except KeyError:
        raise ValueError(f"{name!r} is not a figure table") from None


def table_of(item: Figure) -> FigureTable:
    """The table an entity belongs in."""
    return INVESTMENTS if isinstance(item, Investment) else CHIP_ORDERS


def reference_id(s: Session, table: Any, name: str, what: str) -> int:
    """The id of the company, supplier, category or region called *name*."""
    found = s.scalar(select(table.id).where(table.name == name))
    if found is None:
        raise ConstraintError(f"Not saved: there is no {what} called {name!r}; add it first.")
    return int(found)


def period_values(period: Period) -> dict[str, Any]:
    """The stored form of a period: first and last month as YYYYMM, and how it was written."""
    return {
        "period_start": period.first_month.key,
        "period_end": period.last_month.key,
        "period_basis": period.basis.value,
        "period_kind": period.granularity.value,
        "period_year_end": period.year_end_month,
    }


def period_of(row: InvestmentRow | ChipOrderRow) -> Period:
    """The period a stored row covers."""
    return period_from(
        row.period_start, row.period_end, row.period_basis, row.period_kind, row.period_year_end
    )


def with_year_period(values: dict[str, Any]) -> dict[str, Any]:
    """Bulk rows without a period cover the calendar year of their ``year``."""
    if "period_start" in values:
        return values
    return {**values, **period_values(Period.calendar(int(values["year"])))}
