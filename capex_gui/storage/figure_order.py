"""Which rows a figure table shows and in what order: one SELECT of ids, filtered and sorted in SQL.

The query touches only the figure table's own columns and indexes: names (company, region,
supplier, category) are matched through ``IN (SELECT id …)`` on the small reference tables, and
sorted by a rank worked out from them, so a million rows are never joined row by row. Money
sorts by the value in the display currency through the FX rates, written into the query as
constants (a few dozen of them) instead of a join.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import case, func, literal, or_, select
from sqlalchemy.orm import aliased

from capex_gui.domain.money import RATE_SCALE
from capex_gui.storage.schema import (
    CategoryRow,
    ChipOrderRow,
    CompanyAliasRow,
    CompanyRow,
    FxRateRow,
    InvestmentRow,
    RegionRow,
    SupplierRow,
)

if TYPE_CHECKING:
    from sqlalchemy import Select
    from sqlalchemy.orm import Session

    from capex_gui.domain.periods import Period


@dataclass(frozen=True)
class FigureQuery:
    """Which rows a table shows and in what order."""

    text: str = ""
    company: str | None = None
    year: int | None = None
    category: str | None = None
    region: str | None = None
    supplier: str | None = None
    sort: str | None = None
    descending: bool = False
    period: Period | None = None  # rows whose period lies within this one
    #: Money columns sort by their value in this currency (at each row's year's FX rate).
    currency: str = "USD"


#: Sort keys that are money: they sort by the value in the query's display currency.
MONEY_SORTS = frozenset({"amount", "amount_low", "amount_high", "value", "unit_price"})

#: Up to this many names (or FX rates), a sort ranks them in the query itself; beyond, it looks
#: each row's name up (slower, but any number works).
RANK_LIMIT = 400

#: Sort keys that are a column of the figure table itself.
_PLAIN_SORTS = frozenset(
    {"year", "currency", "status", "bound", "source", "source_url", "reported_on", "quote", "notes"}
)
_CHIP_ORDER_SORTS = frozenset({"chip_model", "units", "export_note"})

_MONEY_COLUMNS = {
    "amount": "amount_minor",
    "amount_low": "low_minor",
    "amount_high": "high_minor",
    "value": "value_minor",
}


def figure_ids_select(session: Session, table: str, query: FigureQuery) -> Select[Any]:
    """The SELECT of *table*'s row ids matching *query*, in its order (ties by id)."""
    row: Any = InvestmentRow if table == "investments" else ChipOrderRow
    names: dict[str, tuple[Any, Any]] = {  # name column -> (reference table, figure's key)
        "company": (CompanyRow, row.company_id),
        "region": (RegionRow, row.region_id),
    }
    if table == "investments":
        names["category"] = (CategoryRow, row.category_id)
    else:
        names["supplier"] = (SupplierRow, row.supplier_id)
    q = select(row.id)
    for key, (ref, fk) in names.items():
        wanted = getattr(query, key)
        if wanted:
            q = q.where(fk.in_(select(ref.id).where(ref.name == wanted)))
    if query.year is not None:
        q = q.where(row.year == query.year)
    if query.period is not None:
        q = q.where(
            row.period_start >= query.period.first_month.key,
            row.period_end <= query.period.last_month.key,
        )
    texts: list[Any] = [row.source, row.notes, row.quote, row.status, row.source_url, row.currency]
    if table != "investments":
        texts += [row.chip_model, row.export_note]
    # SQLite's LIKE ignores case (of ASCII letters, as its lower() does): ILIKE there would call
    # lower() on every column of every row; PostgreSQL's LIKE minds case, so ILIKE it is there
    sqlite = session.get_bind().dialect.name == "sqlite"

    def matches(column: Any, pattern: str) -> Any:
        if sqlite:
            return column.like(pattern, escape="\\")
        return column.ilike(pattern, escape="\\")

    for word in query.text.split():
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions = [matches(t, pattern) for t in texts]
        for ref, fk in names.values():
            conditions.append(fk.in_(select(ref.id).where(matches(ref.name, pattern))))
        conditions.append(  # the company's tickers, other and former names
            row.company_id.in_(
                select(CompanyAliasRow.company_id).where(matches(CompanyAliasRow.alias, pattern))
            )
        )
        if word.isdigit():
            conditions.append(row.year == int(word))
        q = q.where(or_(*conditions))
    key = _sort_key(session, row, query, names)
    order = key.desc() if query.descending else key.asc()
    then: list[Any] = []
    if query.sort == "period":  # same start: the longer period first (a year before its Q1)
        then.append(row.period_end.asc() if query.descending else row.period_end.desc())
    return q.order_by(order.nulls_last() if query.sort else order, *then, row.id)


def read_figure_ids(
    session: Session, table: str, query: FigureQuery, *, limit: int | None = None
) -> np.ndarray:
    """Ids of *table*'s rows matching *query*, in its order, as an int64 array (8 bytes a row);
    with *limit*, only the first ones."""
    q = figure_ids_select(session, table, query)
    if limit is not None:
        q = q.limit(limit)
    connection = session.connection()
    raw = connection.connection.driver_connection
    if isinstance(raw, sqlite3.Connection):  # the driver's cursor: a third faster at 1M rows
        compiled = q.compile(dialect=connection.dialect)
        params = compiled.construct_params()
        args = [params[name] for name in compiled.positiontup or ()]
        cursor = raw.execute(str(compiled), args)
        try:
            return np.fromiter((i for (i,) in cursor), dtype=np.int64)
        finally:
            cursor.close()
    return np.fromiter(session.scalars(q), dtype=np.int64)


def _sort_key(session: Session, row: Any, query: FigureQuery, names: dict[str, Any]) -> Any:
    sort = query.sort or "id"
    if sort in names:
        ref, fk = names[sort]
        return _name_rank(session, ref, fk)
    if sort in MONEY_SORTS:
        in_display = _in_display_currency(session, row, query.currency)
        if sort == "unit_price":
            return in_display(row.value_minor) / func.nullif(row.units, 0)
        return in_display(getattr(row, _MONEY_COLUMNS[sort]))
    if sort == "origin" and "supplier" in names:
        return _name_of(SupplierRow.country, SupplierRow, row.supplier_id) == _name_of(
            CompanyRow.country, CompanyRow, row.company_id
        )
    if sort == "period":
        return row.period_start
    plain = _PLAIN_SORTS | (_CHIP_ORDER_SORTS if "supplier" in names else frozenset())
    return getattr(row, sort) if sort in plain else row.id


def _name_rank(session: Session, ref: Any, fk: Any) -> Any:
    """A figure's reference (company, supplier…) ranked by name, as the database orders names."""
    ranked = session.scalars(select(ref.id).order_by(ref.name, ref.id).limit(RANK_LIMIT + 1)).all()
    if len(ranked) > RANK_LIMIT:
        return _name_of(ref.name, ref, fk)
    if not ranked:
        return fk
    return case({id_: rank for rank, id_ in enumerate(ranked)}, value=fk, else_=len(ranked))


def _name_of(column: Any, ref: Any, fk: Any) -> Any:
    return select(column).where(ref.id == fk).scalar_subquery()


def _in_display_currency(session: Session, row: Any, currency: str) -> Any:
    """A function turning a minor-unit column into its value in *currency* at the row's year's
    FX rates, NULL where a rate is missing (such rows sort last either way)."""
    rates = session.execute(
        select(FxRateRow.currency, FxRateRow.year, FxRateRow.rate_scaled).limit(RANK_LIMIT + 1)
    ).all()
    if len(rates) > RANK_LIMIT:
        src = aliased(FxRateRow)
        src_rate: Any = (
            select(src.rate_scaled)
            .where(src.currency == row.currency, src.year == row.year)
            .scalar_subquery()
        )
        dst = aliased(FxRateRow)
        dst_rate: Any = (
            select(dst.rate_scaled).where(dst.currency == currency, dst.year == row.year)
        ).scalar_subquery()
    else:
        by_currency: dict[str, dict[int, int]] = {}
        for cur, year, scaled in rates:
            by_currency.setdefault(cur, {})[int(year)] = int(scaled)
        src_rate = case(
            {cur: _by_year(years, row) for cur, years in by_currency.items()},
            value=row.currency,
            else_=None,
        )
        dst_rate = _by_year(by_currency.get(currency, {}), row)
    src_rate = case((row.currency == "USD", literal(RATE_SCALE)), else_=src_rate)
    if currency == "USD":
        dst_rate = literal(RATE_SCALE)

    def in_display(minor: Any) -> Any:
        return case(
            (row.currency == currency, minor * 1.0),
            else_=minor * 1.0 * dst_rate / src_rate,
        )

    return in_display


def _by_year(rates: dict[int, int], row: Any) -> Any:
    if not rates:
        return literal(None)
    return case({year: literal(scaled) for year, scaled in rates.items()}, value=row.year)
