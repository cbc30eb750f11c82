"""Reconciliation checks: where the figures disagree with each other or with what was stated.

Each check names the rows it is about and says whether it is a hard inconsistency (the data
contradict each other; ``capex-gui check`` exits 1), a note (something to look at), or that
the figures agree (shown so a user sees what was checked).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from enum import StrEnum
from typing import TYPE_CHECKING

from capex_gui.domain.entities import ChipOrder, Countries, FxRate, Investment, Origin
from capex_gui.domain.extraction.quotes import quoted_rates, quoted_unit_prices
from capex_gui.domain.fx import FxTable
from capex_gui.domain.money import EXACT, exact_sum
from capex_gui.domain.parsing import Bound, format_amount
from capex_gui.domain.period_checks import COMPARE_IN, counted_total, reconciliations
from capex_gui.domain.statements import HeadlineTotal, StatedShare

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterable, Sequence

    from capex_gui.domain.periods import Period


class Severity(StrEnum):
    """How much a finding matters."""

    HARD = "hard"  # the figures contradict each other
    NOTE = "note"  # worth a look
    OK = "ok"  # checked and consistent


class CheckKind(StrEnum):
    """The checks, in the order they are listed."""

    HEADLINE = "parts vs headline"
    FX = "implied vs table FX"
    UNIT_PRICE = "units × unit price vs value"
    SHARE = "stated vs computed share"
    QUARTERS = "quarters vs full year"
    NO_SOURCE = "figures without a source"
    DUPLICATE = "duplicates"
    STALE_ESTIMATE = "estimate older than the reported figure"


@dataclass(frozen=True, slots=True, order=True)
class RowRef:
    """One row: its table ("investments", "chip_orders", "fx_rates", "headlines",
    "stated_shares") and id."""

    table: str
    id: int


@dataclass(frozen=True, slots=True)
class Finding:
    """One check's result about some rows."""

    check: CheckKind
    severity: Severity
    message: str
    rows: tuple[RowRef, ...]


@dataclass(frozen=True)
class Facts:
    """Everything the checks read (the rows of a database, or of the window's store)."""

    investments: Sequence[Investment] = ()
    chip_orders: Sequence[ChipOrder] = ()
    fx_rates: Sequence[FxRate] = ()
    headlines: Sequence[HeadlineTotal] = ()
    shares: Sequence[StatedShare] = ()
    countries: Countries = field(default_factory=Countries)


#: Relative difference at which an implied FX rate or a unit price disagrees with the table.
FX_TOLERANCE = Decimal("0.02")
#: Relative tolerance of a total against its parts, by how the total was qualified.
TOTAL_TOLERANCE = {Bound.EXACT: Decimal("0.01"), Bound.ABOUT: Decimal("0.05")}
#: Share points a computed share may differ from a stated one, by qualifier.
SHARE_TOLERANCE = {Bound.EXACT: Decimal("0.01"), Bound.ABOUT: Decimal("0.05")}

_BOUND_WORDS = {Bound.ABOUT: "about ", Bound.AT_LEAST: "more than ", Bound.AT_MOST: "up to "}


def run_checks(facts: Facts) -> list[Finding]:
    """Every check over *facts*: hard inconsistencies first, then notes, then agreements."""
    fx = FxTable.from_rates(facts.fx_rates)
    findings = [
        *check_headlines(facts.headlines, facts.investments, fx),
        *check_fx(facts.investments, facts.chip_orders, facts.fx_rates),
        *check_unit_prices(facts.chip_orders),
        *check_shares(facts.shares, facts.chip_orders, facts.countries, fx),
        *check_quarters(list(facts.investments), fx),
        *check_sources(facts),
        *check_duplicates(facts),
        *check_stale_estimates(facts.investments),
    ]
    order = {Severity.HARD: 0, Severity.NOTE: 1, Severity.OK: 2}
    return sorted(findings, key=lambda f: (order[f.severity], list(CheckKind).index(f.check)))


def problems(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that are not agreements (what the status bar badge counts)."""
    return [f for f in findings if f.severity is not Severity.OK]


def _money(amount: Decimal, currency: str, bound: Bound = Bound.EXACT) -> str:
    return _BOUND_WORDS.get(bound, "") + format_amount(amount, currency, compact=True)


def _ratio(a: Decimal, b: Decimal) -> Decimal:
    with localcontext(EXACT):
        return a / b - 1


def _pct(value: Decimal) -> str:
    return f"{value * 100:+.1f}%"


# -- parts vs headline ------------------------------------------------------------------------
def check_headlines(
    headlines: Iterable[HeadlineTotal], investments: Iterable[Investment], fx: FxTable
) -> list[Finding]:
    """A company-year headline against the sum of that company-year's investments."""
    parts: dict[tuple[str, int], list[Investment]] = defaultdict(list)
    for inv in investments:
        parts[(inv.company, inv.year)].append(inv)
    out: list[Finding] = []
    for head in headlines:
        rows = parts.get((head.company, head.year), [])
        refs = (
            RowRef("headlines", head.id or 0),
            *(RowRef("investments", i.id or 0) for i in rows),
        )
        who = f"{head.company} {head.year}"
        stated = _money(head.amount, head.currency, head.bound)
        if not rows:
            out.append(
                Finding(
                    CheckKind.HEADLINE,
                    Severity.NOTE,
                    f"{who}: the headline {stated} has no parts to add up yet",
                    refs,
                )
            )
            continue
        missing = sorted(
            {
                f"no {i.currency} rate for {i.year}"
                for i in rows
                if not fx.has_rate(i.currency, i.year)
            }
            | (
                {f"no {head.currency} rate for {head.year}"}
                if not fx.has_rate(head.currency, head.year)
                else set()
            )
        )
        if missing:
            out.append(
                Finding(
                    CheckKind.HEADLINE,
                    Severity.NOTE,
                    f"{who}: cannot add up the parts of {stated}: {'; '.join(missing)}",
                    refs,
                )
            )
            continue
        usd = counted_total(rows, fx, head.year)
        total = fx.convert(usd, COMPARE_IN, head.year, head.currency)
        out.append(_headline_finding(head, total, refs))
    return out


def _headline_finding(head: HeadlineTotal, total: Decimal, refs: tuple[RowRef, ...]) -> Finding:
    who = f"{head.company} {head.year}"
    stated = _money(head.amount, head.currency, head.bound)
    summed = _money(total, head.currency)
    tolerance = TOTAL_TOLERANCE.get(head.bound, Decimal(0))
    with localcontext(EXACT):
        low = head.amount * (1 - tolerance)
        high = head.amount * (1 + tolerance)
        gap = total - head.amount
    if head.bound is Bound.AT_LEAST:
        high = Decimal("Infinity")
    if head.bound is Bound.AT_MOST:
        low = Decimal(0)
    if low <= total <= high:
        sign = (
            "≥" if head.bound is Bound.AT_LEAST else ("≤" if head.bound is Bound.AT_MOST else "≈")
        )
        text = f"{who}: the parts sum to {summed} {sign} the headline {stated}: consistent"
        return Finding(CheckKind.HEADLINE, Severity.OK, text, refs)
    gap_text = format_amount(abs(gap), head.currency, compact=True)
    if total > high:
        text = f"{who}: the parts sum to {summed}, {gap_text} more than the headline {stated}"
        return Finding(CheckKind.HEADLINE, Severity.HARD, text, refs)
    text = f"{who}: the parts sum to {summed}, {gap_text} short of the headline {stated}"
    return Finding(CheckKind.HEADLINE, Severity.NOTE, text + " (parts missing?)", refs)


# -- implied vs table FX ----------------------------------------------------------------------
def check_fx(
    investments: Iterable[Investment], orders: Iterable[ChipOrder], rates: Iterable[FxRate]
) -> list[Finding]:
    """A rate a row's quote implies ("RMB 40bn ≈ $5.5bn": 7.27) against the table's rate."""
    table = {(r.currency, r.year): r for r in rates}
    out: list[Finding] = []
    seen: set[tuple[str, int, str]] = set()
    rows: list[tuple[str, Investment | ChipOrder]] = [
        *(("investments", i) for i in investments),
        *(("chip_orders", o) for o in orders),
    ]
    for name, row in rows:
        for quoted in quoted_rates(row.quote) if row.quote else []:
            key = (quoted.currency, row.year, quoted.text)
            ref = RowRef(name, row.id or 0)
            known = table.get((quoted.currency, row.year))
            if known is None:
                if key not in seen:
                    seen.add(key)
                    text = (
                        f"{quoted.text} implies {quoted.rate} {quoted.currency}/USD; the table "
                        f"has no {quoted.currency} rate for {row.year}"
                    )
                    out.append(Finding(CheckKind.FX, Severity.NOTE, text, (ref,)))
                continue
            refs = (ref, RowRef("fx_rates", known.id or 0))
            diff = _ratio(known.units_per_usd, quoted.rate)
            text = (
                f"{quoted.text} implies {quoted.rate} {quoted.currency}/USD; the table's "
                f"{row.year} rate is {known.units_per_usd} ({_pct(diff)})"
            )
            severity = Severity.HARD if abs(diff) > FX_TOLERANCE else Severity.OK
            out.append(Finding(CheckKind.FX, severity, text, refs))
    return out


# -- units × unit price vs value --------------------------------------------------------------
def check_unit_prices(orders: Iterable[ChipOrder]) -> list[Finding]:
    """Units × the unit price the quote states against the order's value."""
    out: list[Finding] = []
    for order in orders:
        if order.units is None or order.value is None or not order.quote:
            continue
        for price in quoted_unit_prices(order.quote):
            if price.currency != order.currency:
                continue
            with localcontext(EXACT):
                product = price.amount * order.units
            diff = _ratio(product, order.value) if order.value else Decimal(1)
            tolerance = FX_TOLERANCE if order.bound is Bound.EXACT else Decimal("0.05")
            text = (
                f"{order.company} {order.year} {order.supplier}: {order.units:,} × "
                f"{price.text.strip()} = {_money(product, price.currency)}, the value is "
                f"{_money(order.value, price.currency)} ({_pct(diff)})"
            )
            severity = Severity.HARD if abs(diff) > tolerance else Severity.OK
            out.append(
                Finding(
                    CheckKind.UNIT_PRICE, severity, text, (RowRef("chip_orders", order.id or 0),)
                )
            )
    return out


# -- stated vs computed shares ----------------------------------------------------------------
def check_shares(
    shares: Iterable[StatedShare], orders: Iterable[ChipOrder], countries: Countries, fx: FxTable
) -> list[Finding]:
    """A stated share of chip orders by value against the share the orders give."""
    orders = list(orders)
    out: list[Finding] = []
    for stated in shares:
        scope = [
            o
            for o in orders
            if o.company == stated.company
            and o.year == stated.year
            and (not stated.region or o.region == stated.region)
            and o.value is not None
            and o.currency is not None
        ]
        who = f"{stated.company} {stated.year}" + (f" in {stated.region}" if stated.region else "")
        said = f"{_BOUND_WORDS.get(stated.bound, '')}{stated.share * 100:g}% {stated.group}"
        head = RowRef("stated_shares", stated.id or 0)
        convertible = [o for o in scope if fx.has_rate(o.currency or "", o.year)]
        if not convertible:
            text = f"{who}: stated {said}; no chip orders with a value (and a rate) to compare"
            out.append(Finding(CheckKind.SHARE, Severity.NOTE, text, (head,)))
            continue
        usd = {
            o.id: fx.convert(o.value or Decimal(0), o.currency or "USD", o.year, "USD")
            for o in convertible
        }
        in_group = [o for o in convertible if _in_group(o, stated, countries)]
        total = exact_sum(list(usd.values()))
        if total <= 0:
            continue
        with localcontext(EXACT):
            computed = exact_sum([usd[o.id] for o in in_group]) / total
        refs = (head, *(RowRef("chip_orders", o.id or 0) for o in convertible))
        tolerance = SHARE_TOLERANCE.get(stated.bound, SHARE_TOLERANCE[Bound.EXACT])
        agrees = {
            Bound.AT_LEAST: computed >= stated.share - tolerance,
            Bound.AT_MOST: computed <= stated.share + tolerance,
        }.get(stated.bound, abs(computed - stated.share) <= tolerance)
        text = f"{who}: stated {said}; the chip orders give {computed * 100:.1f}%"
        out.append(Finding(CheckKind.SHARE, Severity.OK if agrees else Severity.HARD, text, refs))
    return out


def _in_group(order: ChipOrder, stated: StatedShare, countries: Countries) -> bool:
    if stated.suppliers and order.supplier in stated.suppliers:
        return True
    if stated.origin:
        origin = countries.origin(order)
        return origin is not None and origin.value == stated.origin
    return False


# -- quarters vs full year --------------------------------------------------------------------
def check_quarters(investments: Sequence[Investment], fx: FxTable) -> list[Finding]:
    """A year's quarters or halves against its full-year figure (the periods' rule decides which
    is counted; this says where they disagree, or where the parts are incomplete)."""
    out = []
    for r, rows in reconciliations(investments, fx):
        refs = tuple(RowRef("investments", i.id or 0) for i in rows)
        text = f"{r.company}, {r.category}: {r.sentence(COMPARE_IN)}"
        relative = r.relative
        if r.annual is None or not r.complete:
            severity = Severity.NOTE
        elif relative is not None and abs(relative) > FX_TOLERANCE:
            # reported quarters against a reported year is a contradiction; against guidance
            # (an estimate or plan) it is how the year turned out
            firm = all(not i.status.is_soft for i in rows)
            severity = Severity.HARD if firm else Severity.NOTE
        else:
            severity = Severity.OK
        out.append(Finding(CheckKind.QUARTERS, severity, text, refs))
    return out


# -- figures without a source, duplicates, stale estimates ------------------------------------
def _tables(
    facts: Facts,
) -> list[tuple[str, str, Sequence[Investment | ChipOrder | HeadlineTotal | StatedShare]]]:
    return [
        ("investments", "investment", facts.investments),
        ("chip_orders", "chip order", facts.chip_orders),
        ("headlines", "headline total", facts.headlines),
        ("stated_shares", "stated share", facts.shares),
    ]


def check_sources(facts: Facts) -> list[Finding]:
    """Rows that do not say where their figure comes from."""
    out = []
    for table, noun, rows in _tables(facts):
        bare = [RowRef(table, r.id or 0) for r in rows if not r.source.strip()]
        if bare:
            plural = noun if len(bare) == 1 else noun + "s"
            text = f"{len(bare)} {plural} without a source"
            out.append(Finding(CheckKind.NO_SOURCE, Severity.NOTE, text, tuple(bare)))
    return out


_DUPLICATE_KEYS: dict[str, Callable[..., Hashable]] = {
    "investments": lambda i: (
        i.company,
        i.period,
        i.category,
        i.region,
        i.amount,
        i.currency,
        i.source,
    ),
    "chip_orders": lambda o: (
        o.company,
        o.period,
        o.supplier,
        o.chip_model,
        o.units,
        o.value,
        o.currency,
        o.source,
    ),
    "headlines": lambda h: (h.company, h.year, h.amount, h.currency, h.source),
    "stated_shares": lambda s: (
        s.company,
        s.year,
        s.region,
        s.origin,
        s.suppliers,
        s.share,
        s.source,
    ),
}


def check_duplicates(facts: Facts) -> list[Finding]:
    """Rows with the same company, period, category, amount and source: counted twice."""
    out = []
    for table, noun, rows in _tables(facts):
        groups: dict[Hashable, list[Investment | ChipOrder | HeadlineTotal | StatedShare]]
        groups = defaultdict(list)
        for row in rows:
            groups[_DUPLICATE_KEYS[table](row)].append(row)
        for same in groups.values():
            if len(same) > 1:
                first = same[0]
                ids = [r.id or 0 for r in same]
                when = (
                    first.period.label if isinstance(first, (Investment, ChipOrder)) else first.year
                )
                text = (
                    f"{len(ids)} {noun}s of {first.company} {when} are the same figure "
                    f"from the same source: {_describe(first)}"
                )
                refs = tuple(RowRef(table, i) for i in ids)
                out.append(Finding(CheckKind.DUPLICATE, Severity.HARD, text, refs))
    return out


def _describe(row: Investment | ChipOrder | HeadlineTotal | StatedShare) -> str:
    if isinstance(row, Investment):
        return f"{row.category}, {row.region}, {_money(row.amount, row.currency)}"
    if isinstance(row, ChipOrder):
        value = _money(row.value, row.currency or "") if row.value is not None else "no value"
        units = f"{row.units:,} units" if row.units is not None else "no units"
        return f"{row.supplier} {row.chip_model}".strip() + f", {units}, {value}"
    if isinstance(row, HeadlineTotal):
        return _money(row.amount, row.currency, row.bound)
    return f"{row.share * 100:g}% {row.group}"


def check_stale_estimates(investments: Iterable[Investment]) -> list[Finding]:
    """An estimate or plan older than a reported figure for the same company, period, category
    and region: the report replaced it, and both are still counted."""
    groups: dict[tuple[str, Period, str, str], list[Investment]] = defaultdict(list)
    for inv in investments:
        groups[(inv.company, inv.period, inv.category, inv.region)].append(inv)
    out = []
    for (company, period, category, region), rows in groups.items():
        for soft in (r for r in rows if r.status.is_soft):
            for firm in (r for r in rows if not r.status.is_soft):
                if not _older(soft, firm):
                    continue
                text = (
                    f"{company} {period.label} {category}, {region}: the {soft.status.value} "
                    f"{_money(soft.amount, soft.currency)} is older than the reported "
                    f"{_money(firm.amount, firm.currency)}, and both are counted"
                )
                refs = (RowRef("investments", soft.id or 0), RowRef("investments", firm.id or 0))
                out.append(Finding(CheckKind.STALE_ESTIMATE, Severity.HARD, text, refs))
    return out


def _older(soft: Investment, firm: Investment) -> bool:
    if soft.reported_on is not None and firm.reported_on is not None:
        return soft.reported_on < firm.reported_on
    return (soft.id or 0) < (firm.id or 0)


__all__ = [
    "CheckKind",
    "Facts",
    "Finding",
    "Origin",
    "RowRef",
    "Severity",
    "problems",
    "run_checks",
]
