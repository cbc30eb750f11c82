"""The numbers the charts draw: spend breakdowns and supplier shares, exact and incremental.

Ledgers keep sums in each figure's own currency, keyed by what the charts group by, so one
edit is applied as a delta (``add(row, -1)`` then ``add(new_row)``) instead of re-reading every
row. Conversion to the display currency happens when figures are read out.

The spend ledger is keyed by each figure's period (``LedgerKey.period``), so that the rule of
:mod:`capex_gui.domain.period_totals` (never count a year and its quarters twice; spans apart)
is applied when figures are read out, and edits stay deltas. Chip orders are separate orders and
are added up per calendar year; an order for a span of years is left out of yearly shares.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from capex_gui.domain.entities import ChipOrder, Countries, Investment, Origin
from capex_gui.domain.money import EXACT
from capex_gui.domain.period_totals import Figure, Reconciliation, select_figures

if TYPE_CHECKING:
    from collections.abc import Iterable

    from capex_gui.domain.fx import FxTable
    from capex_gui.domain.periods import Period


#: Why an order for a span of years is not in a year's supplier shares.
SPAN_REASON = "covers several years"


class Metric(StrEnum):
    """What a supplier share measures."""

    VALUE = "value"
    UNITS = "units"


class SpendKey(NamedTuple):
    """What spend is grouped by."""

    company: str
    year: int
    category: str
    region: str


class LedgerKey(NamedTuple):
    """What the spend ledger sums by: a SpendKey plus the period (year = its calendar year)."""

    company: str
    year: int
    category: str
    region: str
    period: Period

    @property
    def spend_key(self) -> SpendKey:
        """The calendar-year group the figure is drawn in."""
        return SpendKey(self.company, self.year, self.category, self.region)


class PeriodRow(NamedTuple):
    """Spend of one company, period, category and region, in the display currency."""

    company: str
    period: Period
    category: str
    region: str
    amount: Decimal
    counted: bool  # False: a span, or overlapped by a more detailed complete set of parts


class SpendRow(NamedTuple):
    """Spend of one group in the display currency."""

    company: str
    year: int
    category: str
    region: str
    amount: Decimal
    soft_amount: Decimal  # the part that is an estimate or a plan
    count: int  # type: ignore[assignment]  # rows behind the figure (shadows tuple.count)


class TotalRow(NamedTuple):
    """A company's spend in one year, in the display currency."""

    company: str
    year: int
    amount: Decimal


class SupplierShare(NamedTuple):
    """One supplier's share of a company's chip orders in a year."""

    company: str
    year: int
    metric: Metric
    supplier: str
    amount: Decimal  # display currency for VALUE, chips for UNITS
    share: Decimal  # 0..1
    domestic: bool


class DomesticShare(NamedTuple):
    """The part of a company's chip orders in a year bought from home-country suppliers."""

    company: str
    year: int
    metric: Metric
    share: Decimal


class Shortfall(NamedTuple):
    """Rows left out of a figure, and why ("no CNY rate for 2026", "no value")."""

    table: str
    reason: str
    count: int  # type: ignore[assignment]  # rows left out (shadows tuple.count)


@dataclass
class SpendLedger:
    """Investment sums per group and currency; supports deltas."""

    sums: dict[tuple[LedgerKey, str], Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    soft: dict[tuple[LedgerKey, str], Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    counts: dict[tuple[LedgerKey, str], int] = field(default_factory=lambda: defaultdict(int))

    def add(self, inv: Investment, sign: int = 1) -> None:
        """Count *inv* in (sign=1) or out (sign=-1)."""
        key = LedgerKey(inv.company, inv.year, inv.category, inv.region, inv.period)
        slot = (key, inv.currency)
        with localcontext(EXACT):
            self.sums[slot] += sign * inv.amount
            if inv.status.is_soft:
                self.soft[slot] += sign * inv.amount
        self.counts[slot] += sign
        if self.counts[slot] == 0:
            del self.counts[slot], self.sums[slot]
            self.soft.pop(slot, None)

    def add_group(
        self, key: LedgerKey, currency: str, total: Decimal, soft: Decimal, count: int
    ) -> None:
        """Add a pre-summed group (from a database GROUP BY) in one step."""
        slot = (key, currency)
        with localcontext(EXACT):
            self.sums[slot] += total
            if soft:
                self.soft[slot] += soft
        self.counts[slot] += count

    def extend(self, investments: Iterable[Investment]) -> SpendLedger:
        """Add many; returns self."""
        for inv in investments:
            self.add(inv)
        return self


@dataclass
class SupplierLedger:
    """Chip-order sums per (company, year, supplier); supports deltas."""

    values: dict[tuple[str, int, str, str], Decimal] = field(
        default_factory=lambda: defaultdict(Decimal)
    )
    value_counts: dict[tuple[str, int, str, str], int] = field(
        default_factory=lambda: defaultdict(int)
    )
    units: dict[tuple[str, int, str], int] = field(default_factory=lambda: defaultdict(int))
    unit_counts: dict[tuple[str, int, str], int] = field(default_factory=lambda: defaultdict(int))
    #: (company, year, metric) -> orders that lack that metric
    missing: dict[tuple[str, int, Metric], int] = field(default_factory=lambda: defaultdict(int))
    #: (company, year of the first month) -> orders for a span of years (not in yearly shares)
    spans: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))

    def add(self, order: ChipOrder, sign: int = 1) -> None:
        """Count *order* in (sign=1) or out (sign=-1)."""
        if order.period.is_span:
            self.add_span_group(order.company, order.year, sign)
            return
        if order.value is not None and order.currency is not None:
            vkey = (order.company, order.year, order.supplier, order.currency)
            with localcontext(EXACT):
                self.values[vkey] += sign * order.value
            self.value_counts[vkey] += sign
            if self.value_counts[vkey] == 0:
                del self.value_counts[vkey], self.values[vkey]
        else:
            self._bump_missing((order.company, order.year, Metric.VALUE), sign)
        if order.units is not None:
            ukey = (order.company, order.year, order.supplier)
            self.units[ukey] += sign * order.units
            self.unit_counts[ukey] += sign
            if self.unit_counts[ukey] == 0:
                del self.unit_counts[ukey], self.units[ukey]
        else:
            self._bump_missing((order.company, order.year, Metric.UNITS), sign)

    def add_value_group(
        self, company: str, year: int, supplier: str, currency: str, total: Decimal, count: int
    ) -> None:
        """Add pre-summed order values (from a database GROUP BY)."""
        key = (company, year, supplier, currency)
        with localcontext(EXACT):
            self.values[key] += total
        self.value_counts[key] += count

    def add_units_group(
        self, company: str, year: int, supplier: str, units: int, count: int
    ) -> None:
        """Add pre-summed order units (from a database GROUP BY)."""
        self.units[(company, year, supplier)] += units
        self.unit_counts[(company, year, supplier)] += count

    def add_missing_group(self, company: str, year: int, metric: Metric, count: int) -> None:
        """Count orders that lack *metric* (from a database GROUP BY)."""
        self.missing[(company, year, metric)] += count

    def add_span_group(self, company: str, year: int, count: int) -> None:
        """Count orders for a span of years starting in *year* (from a database GROUP BY)."""
        self.spans[(company, year)] += count
        if self.spans[(company, year)] == 0:
            del self.spans[(company, year)]

    def _bump_missing(self, key: tuple[str, int, Metric], sign: int) -> None:
        self.missing[key] += sign
        if self.missing[key] == 0:
            del self.missing[key]

    def extend(self, orders: Iterable[ChipOrder]) -> SupplierLedger:
        """Add many; returns self."""
        for order in orders:
            self.add(order)
        return self


@dataclass(frozen=True)
class SpendFigures:
    """Spend read out of a ledger in one display currency.

    *rows* and *totals* are per calendar year and never count a figure twice (see
    :mod:`~capex_gui.domain.period_totals`); *periods* lists every period's own figure, spans
    and overlapped ones included; *reconciliation* names each year whose parts and full-year
    figure disagree or whose parts are incomplete.
    """

    currency: str
    rows: list[SpendRow]
    totals: list[TotalRow]
    shortfalls: list[Shortfall]
    periods: list[PeriodRow] = field(default_factory=list)
    reconciliation: list[Reconciliation] = field(default_factory=list)


def _in_order(item: tuple[object, object]) -> str:
    """A total order over ledger keys (periods do not compare; their reprs do)."""
    return repr(item[0])


def convert_ledger(
    ledger: SpendLedger, fx: FxTable, currency: str
) -> tuple[dict[LedgerKey, list[Decimal]], dict[tuple[LedgerKey, str], int]]:
    """Each ledger key's [amount, soft part, rows] in *currency*, at its period's year's rate;
    and (key, currency without a rate) -> rows that could not be converted."""
    figures: dict[LedgerKey, list[Decimal]] = {}
    missing: dict[tuple[LedgerKey, str], int] = defaultdict(int)
    # sorted: converted amounts are rounded to EXACT's precision, so sums must be taken in one
    # order for a ledger kept by deltas to read out exactly what a fresh one does
    for (key, cur), total in sorted(ledger.sums.items(), key=_in_order):
        if not (fx.has_rate(cur, key.year) and fx.has_rate(currency, key.year)):
            absent = cur if not fx.has_rate(cur, key.year) else currency
            missing[(key, absent)] += ledger.counts[(key, cur)]
            continue
        acc = figures.setdefault(key, [Decimal(0), Decimal(0), Decimal(0)])
        with localcontext(EXACT):
            acc[0] += fx.convert(total, cur, key.year, currency)
            acc[1] += fx.convert(ledger.soft.get((key, cur), Decimal(0)), cur, key.year, currency)
        acc[2] += ledger.counts[(key, cur)]
    return figures, dict(missing)


def spend_figures(
    ledger: SpendLedger, fx: FxTable, currency: str, *, spread_spans: bool = False
) -> SpendFigures:
    """Spend per company/year/category/region and per company/year, in *currency*.

    Each figure converts at the rate of its period's calendar year. With *spread_spans*, a span
    of years adds an even share (an estimate) to each of its years that has no figure of its own.
    """
    figures, unconverted = convert_ledger(ledger, fx, currency)
    missing: dict[tuple[str, int], int] = defaultdict(int)
    for (key, absent), n in unconverted.items():
        missing[(absent, key.year)] += n
    selection = select_figures(
        (
            Figure(k.company, k.period, k.category, k.region, a, s, int(n))
            for k, (a, s, n) in figures.items()
        ),
        spread_spans=spread_spans,
    )
    grouped: dict[SpendKey, list[Decimal]] = {}
    for fig in selection.counted:
        acc = grouped.setdefault(
            SpendKey(fig.company, fig.period.calendar_year, fig.category, fig.region),
            [Decimal(0), Decimal(0), Decimal(0)],
        )
        with localcontext(EXACT):
            acc[0] += fig.amount
            acc[1] += fig.soft
        acc[2] += fig.count
    rows = [SpendRow(*key, a, s, int(n)) for key, (a, s, n) in sorted(grouped.items())]
    totals: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    with localcontext(EXACT):
        for row in rows:
            totals[(row.company, row.year)] += row.amount
    shortfalls = [
        Shortfall("investments", f"no {cur} rate for {year}", n)
        for (cur, year), n in sorted(missing.items())
    ]
    counted = {(f.company, f.period, f.category, f.region) for f in selection.counted}
    periods = sorted(
        (
            PeriodRow(k.company, k.period, k.category, k.region, a, key_of(k) in counted)
            for k, (a, _s, _n) in figures.items()
        ),
        key=lambda r: (r.company, r.period.sort_key, r.category, r.region),
    )
    return SpendFigures(
        currency,
        rows,
        [TotalRow(c, y, a) for (c, y), a in sorted(totals.items())],
        shortfalls,
        periods,
        selection.reconciliation,
    )


def key_of(key: LedgerKey) -> tuple[str, Period, str, str]:
    """(company, period, category, region) of a ledger key."""
    return (key.company, key.period, key.category, key.region)


@dataclass(frozen=True)
class ShareFigures:
    """Supplier shares read out of a ledger."""

    currency: str
    shares: list[SupplierShare]
    domestic: list[DomesticShare]
    shortfalls: dict[tuple[str, int, Metric], list[Shortfall]]


def supplier_shares(
    ledger: SupplierLedger, countries: Countries, fx: FxTable, currency: str
) -> ShareFigures:
    """Supplier shares by value (in *currency*) and by units, per company and year."""
    amounts: dict[tuple[str, int, Metric], dict[str, Decimal]] = defaultdict(
        lambda: defaultdict(Decimal)
    )
    short: dict[tuple[str, int, Metric], list[Shortfall]] = defaultdict(list)
    no_rate: dict[tuple[str, int, str], int] = defaultdict(int)
    for (company, year, supplier, cur), total in sorted(ledger.values.items(), key=_in_order):
        if not (fx.has_rate(cur, year) and fx.has_rate(currency, year)):
            absent = cur if not fx.has_rate(cur, year) else currency
            no_rate[(company, year, absent)] += ledger.value_counts[(company, year, supplier, cur)]
            continue
        with localcontext(EXACT):
            amounts[(company, year, Metric.VALUE)][supplier] += fx.convert(
                total, cur, year, currency
            )
    for (company, year, supplier), units in sorted(ledger.units.items(), key=_in_order):
        amounts[(company, year, Metric.UNITS)][supplier] += Decimal(units)
    for (company, year, absent), n in sorted(no_rate.items()):
        reason = f"no {absent} rate for {year}"
        short[(company, year, Metric.VALUE)].append(Shortfall("chip_orders", reason, n))
    for (company, year, metric), n in sorted(ledger.missing.items()):
        reason = "no value" if metric is Metric.VALUE else "no units"
        short[(company, year, metric)].append(Shortfall("chip_orders", reason, n))
    for (company, year), n in sorted(ledger.spans.items()):
        for metric in Metric:
            short[(company, year, metric)].append(Shortfall("chip_orders", SPAN_REASON, n))

    shares: list[SupplierShare] = []
    domestic: list[DomesticShare] = []
    for (company, year, metric), by_supplier in sorted(amounts.items()):
        with localcontext(EXACT):
            total = sum(by_supplier.values(), Decimal(0))
            if total <= 0:
                continue
            home = Decimal(0)
            for supplier, amount in sorted(by_supplier.items(), key=lambda kv: (-kv[1], kv[0])):
                is_home = countries.origin_of(company, supplier) is Origin.DOMESTIC
                if is_home:
                    home += amount
                shares.append(
                    SupplierShare(company, year, metric, supplier, amount, amount / total, is_home)
                )
            domestic.append(DomesticShare(company, year, metric, home / total))
    return ShareFigures(currency, shares, domestic, dict(short))


#: What a left-out row is missing from (``Excluded.left_out_of``).
SPEND_TOTALS = "spend totals"
VALUE_SHARE = "value share"
UNITS_SHARE = "units share"


@dataclass(frozen=True)
class Excluded:
    """One row left out of a figure: which figure, and why."""

    table: str
    id: int | None
    reason: str
    left_out_of: str = SPEND_TOTALS  # SPEND_TOTALS, VALUE_SHARE or UNITS_SHARE

    def describe(self) -> str:
        """E.g. "left out of the units share: no units"."""
        return f"left out of the {self.left_out_of}: {self.reason}"


@dataclass(frozen=True)
class Summary:
    """Everything ``capex-gui summary`` prints."""

    currency: str
    spend: SpendFigures
    shares: ShareFigures
    excluded: list[Excluded]


class OrderFacts(NamedTuple):
    """What decides whether a chip order is left out of a share (no whole row needed)."""

    id: int | None
    year: int
    currency: str | None  # None when the order has no value
    has_units: bool
    span_label: str | None  # the period's label when it covers several years, else None


def excluded_rows(
    investments: Iterable[Investment], orders: Iterable[ChipOrder], fx: FxTable, currency: str
) -> list[Excluded]:
    """Each row that some figure leaves out, with the reason."""
    return excluded_from(
        ((i.id, i.year, i.currency) for i in investments),
        (
            OrderFacts(
                o.id,
                o.year,
                o.currency if o.value is not None else None,
                o.units is not None,
                o.period.label if o.period.is_span else None,
            )
            for o in orders
        ),
        fx,
        currency,
    )


def excluded_from(
    investments: Iterable[tuple[int | None, int, str]],
    orders: Iterable[OrderFacts],
    fx: FxTable,
    currency: str,
) -> list[Excluded]:
    """Each row left out, from (id, year, currency) of investments and the facts of orders.

    Only rows that might be left out need be given (the database reads just those); the result
    lists investments, then orders, each in the order given.
    """
    out: list[Excluded] = []
    gaps: dict[tuple[str, int], str | None] = {}

    def rate_gap(cur: str, year: int) -> str | None:
        if (cur, year) not in gaps:
            gaps[(cur, year)] = next(
                (
                    f"no {code} rate for {year}"
                    for code in (cur, currency)
                    if not fx.has_rate(code, year)
                ),
                None,
            )
        return gaps[(cur, year)]

    for id_, year, cur in investments:
        gap = rate_gap(cur, year)
        if gap:
            out.append(Excluded("investments", id_, gap, SPEND_TOTALS))
    for order in orders:
        if order.span_label is not None:
            reason = f"{SPAN_REASON} ({order.span_label})"
            out.append(Excluded("chip_orders", order.id, reason, VALUE_SHARE))
            out.append(Excluded("chip_orders", order.id, reason, UNITS_SHARE))
            continue
        if order.currency is None:
            out.append(Excluded("chip_orders", order.id, "no value", VALUE_SHARE))
        else:
            gap = rate_gap(order.currency, order.year)
            if gap:
                out.append(Excluded("chip_orders", order.id, gap, VALUE_SHARE))
        if not order.has_units:
            out.append(Excluded("chip_orders", order.id, "no units", UNITS_SHARE))
    return out


def summarize(
    investments: list[Investment],
    orders: list[ChipOrder],
    countries: Countries,
    fx: FxTable,
    currency: str = "USD",
    *,
    spread_spans: bool = False,
) -> Summary:
    """All figures at once, from lists of rows (a full recompute)."""
    return summarize_ledgers(
        SpendLedger().extend(investments),
        SupplierLedger().extend(orders),
        countries,
        fx,
        currency,
        excluded_rows(investments, orders, fx, currency),
        spread_spans=spread_spans,
    )


def summarize_ledgers(
    spend: SpendLedger,
    suppliers: SupplierLedger,
    countries: Countries,
    fx: FxTable,
    currency: str,
    excluded: list[Excluded],
    *,
    spread_spans: bool = False,
) -> Summary:
    """All figures at once, from ledgers (the database's summary tables, or rows added up)."""
    return Summary(
        currency,
        spend_figures(spend, fx, currency, spread_spans=spread_spans),
        supplier_shares(suppliers, countries, fx, currency),
        excluded,
    )
