"""The charts' numbers read from the summary tables: a few thousand groups, never every row.

Every reader takes an open Session (the repository's transaction or snapshot, or a worker's own)
and returns the domain's ledgers and evidence, which then follow each change as deltas. One
generic reader (:func:`groups`) resolves any summary's ids to names; the builders below only say
what each domain object adds up.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import text

from capex_gui.domain.analytics import (
    LedgerKey,
    Metric,
    OrderFacts,
    SpendKey,
    SpendLedger,
    SupplierLedger,
)
from capex_gui.domain.evidence import OrderEvidence, SpendEvidence, source_label
from capex_gui.domain.money import from_minor
from capex_gui.domain.periods import Month, Period
from capex_gui.storage import changes
from capex_gui.storage.summaries import (
    INVESTMENT_SOURCES,
    INVESTMENT_TOTALS,
    ORDER_SOURCES,
    ORDER_TOTALS,
    SUMMARIES,
    Summary,
    merged,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from sqlalchemy.orm import Session

    from capex_gui.domain.fx import FxTable

#: Id columns of summaries -> the reference table whose name they stand for.
_NAMES = {
    "company_id": "companies",
    "category_id": "categories",
    "region_id": "regions",
    "supplier_id": "suppliers",
}


def _dialect(s: Session) -> str:
    return s.get_bind().dialect.name


def _from(s: Session, summary: Summary) -> str:
    """Where *summary*'s groups are read: its table on SQLite (kept by triggers); elsewhere the
    same groups computed by GROUP BY over the figure table."""
    dialect = _dialect(s)
    if dialect == "sqlite":
        return summary.name
    return f"({summary.grouped(dialect)})"


@cache
def _select(summary: Summary, source: str) -> Any:
    """SELECT every group of *summary* (from *source*) with names for ids, hi/lo sums merged
    by the reader."""
    columns, joins = [], []
    for key in summary.keys:
        ref = _NAMES.get(key.name)
        if ref is None:
            columns.append(f"t.{key.name}")
        else:
            alias = key.name.removesuffix("_id")
            columns.append(f"{alias}.name")
            joins.append(f"JOIN {ref} AS {alias} ON {alias}.id = t.{key.name}")
    columns += [f"t.{name}" for name in summary.value_names]
    return text(f"SELECT {', '.join(columns)} FROM {source} AS t {' '.join(joins)}")


class Group(NamedTuple):
    """One group of a summary: its key (names for ids) and its values (sums merged)."""

    key: dict[str, Any]
    values: dict[str, int]


def groups(s: Session, summary: Summary) -> Iterator[Group]:
    """Every group of *summary*, keys by column name (``company`` for ``company_id``)."""
    names = [k.name.removesuffix("_id") if k.name in _NAMES else k.name for k in summary.keys]
    n_keys = len(names)
    sums = [c.name for c in summary.sums]
    counts = ["n", *(c.name for c in summary.counts)]
    for row in s.execute(_select(summary, _from(s, summary))):
        key = dict(zip(names, row[:n_keys], strict=True))
        rest = row[n_keys:]
        values = dict(zip(counts, (int(v) for v in rest[: len(counts)]), strict=True))
        tail = rest[len(counts) :]
        for i, name in enumerate(sums):
            values[name] = merged(tail[2 * i], tail[2 * i + 1])
        yield Group(key, values)


# -- investments ------------------------------------------------------------------------------
def spend_ledger(s: Session) -> SpendLedger:
    """Investment sums per company, year, category, region, period and currency."""
    ledger = SpendLedger()
    periods: dict[tuple[Any, ...], Period] = {}
    for key, v in groups(s, INVESTMENT_TOTALS):
        stored = (
            key["period_start"],
            key["period_end"],
            key["period_basis"],
            key["period_kind"],
            key["period_year_end"],
        )
        period = periods.get(stored)
        if period is None:
            period = periods[stored] = period_from(*stored)
        ledger.add_group(
            LedgerKey(key["company"], int(key["year"]), key["category"], key["region"], period),
            key["currency"],
            from_minor(v["amount"]),
            from_minor(v["soft"]),
            v["n"],
        )
    return ledger


def spend_evidence(s: Session) -> SpendEvidence:
    """Sources per spend group, and how far the groups' ranges reach."""
    evidence = SpendEvidence()
    for key, v in groups(s, INVESTMENT_SOURCES):
        spend_key = SpendKey(key["company"], int(key["year"]), key["category"], key["region"])
        evidence.add_group(spend_key, source_label(key["source"], key["source_url"]), v["n"])
    for key, v in groups(s, INVESTMENT_TOTALS):
        if v["below"] or v["above"]:
            spend_key = SpendKey(key["company"], int(key["year"]), key["category"], key["region"])
            evidence.add_range_group(
                spend_key, key["currency"], from_minor(v["below"]), from_minor(v["above"])
            )
    return evidence


# -- chip orders ------------------------------------------------------------------------------
def supplier_ledger(s: Session) -> SupplierLedger:
    """Chip-order value and unit sums per company, year, supplier (and currency)."""
    ledger = SupplierLedger()
    missing: dict[tuple[str, int, Metric], int] = {}
    for key, v in groups(s, ORDER_TOTALS):
        company, year, supplier = key["company"], int(key["year"]), key["supplier"]
        if key["span"]:
            ledger.add_span_group(company, year, v["n"])
            continue
        if v["value_n"]:
            ledger.add_value_group(
                company, year, supplier, key["currency"], from_minor(v["value"]), v["value_n"]
            )
        if v["units_n"]:
            ledger.add_units_group(company, year, supplier, v["units"], v["units_n"])
        for metric, have in ((Metric.VALUE, v["value_n"]), (Metric.UNITS, v["units_n"])):
            if v["n"] > have:
                slot = (company, year, metric)
                missing[slot] = missing.get(slot, 0) + v["n"] - have
    for (company, year, metric), n in missing.items():
        ledger.add_missing_group(company, year, metric, n)
    return ledger


def order_evidence(s: Session) -> OrderEvidence:
    """Sources, orders and estimates per company, year and supplier."""
    evidence = OrderEvidence()
    for key, v in groups(s, ORDER_SOURCES):
        evidence.add_group(
            (key["company"], int(key["year"]), key["supplier"]),
            source_label(key["source"], key["source_url"]),
            bool(key["soft"]),
            v["n"],
        )
    return evidence


# -- lists and counts -------------------------------------------------------------------------
def figure_years(s: Session) -> list[int]:
    """Every year some figure is for, ascending."""
    if _dialect(s) == "sqlite":
        tables = (INVESTMENT_TOTALS.name, ORDER_TOTALS.name)
    else:  # the year indexes of the figure tables
        tables = (INVESTMENT_TOTALS.table, ORDER_TOTALS.table)
    q = text(f"SELECT DISTINCT year FROM {tables[0]} UNION SELECT DISTINCT year FROM {tables[1]}")
    return sorted(int(y) for y in s.scalars(q))


def row_count(s: Session, table: str) -> int:
    """Rows in a figure table ("investments" or "chip_orders"), from its summary."""
    summary = next(x for x in SUMMARIES if x.table == table and x.sums)
    if _dialect(s) != "sqlite":
        return int(s.scalar(text(f"SELECT count(*) FROM {summary.table}")) or 0)
    return int(s.scalar(text(f"SELECT coalesce(sum(n), 0) FROM {summary.name}")) or 0)


def period_from(start: int, end: int, basis: str, kind: str, year_end: int) -> Period:
    """A stored period (first and last month as YYYYMM, how it was written) as a Period."""
    return Period.from_months(
        Month.from_key(int(start)), Month.from_key(int(end)), basis, kind, int(year_end)
    )


# -- rows a figure leaves out -----------------------------------------------------------------
def _rate_gaps(s: Session, summary: Summary, fx: FxTable, currency: str) -> list[tuple[str, int]]:
    """(currency, year) of *summary*'s groups that cannot be converted into *currency*."""
    pairs = s.execute(text(f"SELECT DISTINCT currency, year FROM {_from(s, summary)} AS t")).all()
    return [
        (cur, int(year))
        for cur, year in pairs
        if cur and not (fx.has_rate(cur, int(year)) and fx.has_rate(currency, int(year)))
    ]


def _tuples(s: Session, sql: str, params: dict[str, Any] | None = None) -> Iterable[Any]:
    """Rows of *sql* (named ``:parameters``) as plain tuples: on SQLite straight from a DB-API
    cursor on the session's connection (its transaction), for reads of many rows."""
    if _dialect(s) != "sqlite":
        return s.execute(text(sql), params or {})
    cursor = s.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    return cursor.execute(sql, params or {})


_ORDER_FACTS = (
    "SELECT id, year, CASE WHEN value_minor IS NULL THEN NULL ELSE currency END, "
    "units IS NOT NULL, period_start, period_end, period_basis, period_kind, period_year_end "
    "FROM chip_orders WHERE "
)
#: The partial index ix_chip_orders_incomplete holds exactly these rows (migration 0009).
_INCOMPLETE = "value_minor IS NULL OR units IS NULL OR period_kind = 'span'"


def left_out(
    s: Session, fx: FxTable, currency: str
) -> tuple[list[tuple[int, int, str]], list[OrderFacts]]:
    """The rows some figure may leave out, read through indexes: investments without a rate,
    and chip orders without a value, units or a rate, or for a span of years (by id)."""
    investments: list[tuple[int, int, str]] = []
    for cur, year in _rate_gaps(s, INVESTMENT_TOTALS, fx, currency):
        q = text("SELECT id, year, currency FROM investments WHERE currency = :c AND year = :y")
        investments += [(int(i), int(y), c) for i, y, c in s.execute(q, {"c": cur, "y": year})]
    # plain tuples: a million-row file leaves out a hundred thousand orders
    rows = {row[0]: row for row in _tuples(s, _ORDER_FACTS + _INCOMPLETE)}
    for cur, year in _rate_gaps(s, ORDER_TOTALS, fx, currency):
        gap = _ORDER_FACTS + "currency = :c AND year = :y AND value_minor IS NOT NULL"
        rows.update((row[0], row) for row in _tuples(s, gap, {"c": cur, "y": year}))
    orders = []
    for id_ in sorted(rows):
        _id, year, cur, has_units, *stored = rows[id_]
        span = stored[3] == "span"
        orders.append(
            OrderFacts(
                int(id_),
                int(year),
                cur,
                bool(has_units),
                period_from(*stored).label if span else None,
            )
        )
    return sorted(investments), orders


@dataclass(frozen=True)
class ChartFigures:
    """Everything the charts start from, read in one transaction, and the change-log position
    it reflects (later changes are applied to it as deltas)."""

    seq: int
    spend: SpendLedger
    suppliers: SupplierLedger
    spend_evidence: SpendEvidence
    order_evidence: OrderEvidence


def chart_figures(s: Session) -> ChartFigures:
    """The charts' ledgers and evidence (run in a worker's transaction, or the repository's)."""
    return ChartFigures(
        changes.latest_seq(s),
        spend_ledger(s),
        supplier_ledger(s),
        spend_evidence(s),
        order_evidence(s),
    )
