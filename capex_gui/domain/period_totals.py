"""The rule that keeps totals from counting a figure twice when periods overlap.

A company may report a full-year figure *and* its quarters (guidance of $80B, then four reported
quarters), or halves, for the same year and category. For each company, category and year (the
year the figure is written in: a calendar year, or the company's fiscal year) the total uses:

1. the most detailed complete set: four quarters, else two halves (a half may be made of its
   two quarters), else
2. the full-year figure, else
3. the sum of the parts present, marked partial ("3 of 4 quarters").

When a full-year figure and parts both exist, the difference is reported ("FY2025 quarters sum
to USD 88.2B, the annual figure says USD 80B: +10%"). Parts and years are matched by their
months, so "FY2025 Q1" of a December year end and "Q1 2025" are the same quarter.

Spans of years are never added into a year; on request each is spread evenly over its years
(as an estimate), and a spread piece is used only for a year that has no figure of its own.
Chip orders are separate orders, not reports of one total, so this rule is for spend.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING

from capex_gui.domain.money import EXACT
from capex_gui.domain.parsing import format_amount
from capex_gui.domain.periods import Basis, Granularity, Month, Period

if TYPE_CHECKING:
    from collections.abc import Iterable


@dataclass(frozen=True)
class Figure:
    """Spend of one company, period, category and region, in the display currency."""

    company: str
    period: Period
    category: str
    region: str
    amount: Decimal
    soft: Decimal = Decimal(0)  # the part that is an estimate or a plan
    count: int = 1  # rows behind it
    spread_from: Period | None = None  # the span this is an even share of


@dataclass(frozen=True)
class Reconciliation:
    """A year with a full-year figure and parts, or with parts that do not make a whole year.

    *year* is the year as written (calendar, or fiscal: "FY2025"); *parts_label* says what the
    parts are ("4 of 4 quarters", "3 of 4 quarters", "2 of 2 halves", "9 of 12 months").
    """

    company: str
    year: Period
    category: str
    annual: Decimal | None
    parts: Decimal
    parts_label: str
    complete: bool
    parts_word: str  # "quarters", "halves", "halves and quarters"

    @property
    def uses_parts(self) -> bool:
        """True when the total is the parts' sum (complete, or partial with no annual figure)."""
        return self.complete or self.annual is None

    @property
    def difference(self) -> Decimal | None:
        """Parts minus annual figure, when both exist and the parts make a whole year."""
        if self.annual is None or not self.complete:
            return None
        with localcontext(EXACT):
            return self.parts - self.annual

    @property
    def relative(self) -> Decimal | None:
        """The difference as a fraction of the annual figure (0.1 = the parts are 10% more)."""
        diff = self.difference
        if diff is None or not self.annual:
            return None
        with localcontext(EXACT):
            return diff / self.annual

    def sentence(self, currency: str) -> str:
        """What a person reads in the summary and in tooltips."""
        year = self.year.label

        def money(value: Decimal) -> str:
            return format_amount(value, currency, compact=True)

        if self.annual is None:
            return (
                f"{year}: only {self.parts_label} ({money(self.parts)}), counted as a partial total"
            )
        if not self.complete:
            return (
                f"{year}: the {self.parts_word} are incomplete ({self.parts_label}, "
                f"{money(self.parts)}); the annual figure ({money(self.annual)}) is used"
            )
        if self.difference == 0:
            return f"{year} {self.parts_word} sum to the annual figure ({money(self.annual)})"
        return (
            f"{year} {self.parts_word} sum to {money(self.parts)}, "
            f"the annual figure says {money(self.annual)}: {percent(self.relative)}"
        )


def percent(fraction: Decimal | None) -> str:
    """ "+10%", "-2.5%", "+0.3%": whole percent from 1% up, one decimal below."""
    if fraction is None:
        return ""
    with localcontext(EXACT):
        pct = fraction * 100
    digits = Decimal(1) if abs(pct) >= 1 else Decimal("0.1")
    shown = pct.quantize(digits)
    return f"{'+' if shown > 0 else ''}{shown}%"


@dataclass
class Selection:
    """Which figures a total counts, and what the rule found on the way."""

    counted: list[Figure] = field(default_factory=list)
    superseded: list[Figure] = field(default_factory=list)  # overlapped by what was counted
    spans: list[Figure] = field(default_factory=list)
    reconciliation: list[Reconciliation] = field(default_factory=list)


_Window = tuple[str, str, Month, Month]  # company, category, first and last month of the year


def select_figures(figures: Iterable[Figure], *, spread_spans: bool = False) -> Selection:
    """Apply the no-double-count rule to *figures* (any order); see the module docstring."""
    out = Selection()
    groups: dict[_Window, list[Figure]] = defaultdict(list)
    labels: dict[_Window, Period] = {}
    for fig in figures:
        if fig.period.is_span:
            out.spans.append(fig)
            continue
        year = fig.period.fiscal_year()
        window = (fig.company, fig.category, year.first_month, year.last_month)
        groups[window].append(fig)
        # A year is named as its full-year figure (else its first part) was written.
        labels.setdefault(window, year)
        if fig.period.granularity is Granularity.YEAR:
            labels[window] = year
    spread: dict[_Window, list[Figure]] = defaultdict(list)
    if spread_spans:
        for fig in out.spans:
            for piece in _spread(fig):
                year = piece.period
                spread[(fig.company, fig.category, year.first_month, year.last_month)].append(piece)
    for window in sorted(set(groups) | set(spread), key=_window_order):
        if window in groups:
            _select_year(window, labels[window], groups[window], out)
            out.superseded.extend(spread.get(window, []))
        else:
            out.counted.extend(spread[window])
    return out


def _window_order(window: _Window) -> tuple[str, str, int, int]:
    company, category, first, last = window
    return (company, category, first.ordinal, last.ordinal)


def _select_year(window: _Window, year: Period, figs: list[Figure], out: Selection) -> None:
    annual = [f for f in figs if f.period.granularity is Granularity.YEAR]
    halves: dict[int, list[Figure]] = defaultdict(list)
    quarters: dict[int, list[Figure]] = defaultdict(list)
    start = window[2].ordinal
    for fig in figs:
        slot = (fig.period.first_month.ordinal - start) // fig.period.month_count
        if fig.period.granularity is Granularity.HALF:
            halves[slot].append(fig)
        elif fig.period.granularity is Granularity.QUARTER:
            quarters[slot].append(fig)
    if not halves and not quarters:
        out.counted.extend(annual)
        return
    # Each half: its two quarters if both are there (more detailed), else its half figure.
    cover: dict[int, list[Figure]] = {}
    for half in (0, 1):
        pair = (2 * half, 2 * half + 1)
        if all(q in quarters for q in pair):
            cover[half] = quarters[pair[0]] + quarters[pair[1]]
        elif half in halves:
            cover[half] = halves[half]
    complete = len(cover) == 2
    if complete:
        parts = cover[0] + cover[1]
    else:  # the most of the year the parts cover without overlapping one another
        parts = []
        for half in (0, 1):
            if half in cover:
                parts += cover[half]
            else:
                parts += [f for q in (2 * half, 2 * half + 1) for f in quarters.get(q, [])]
    word, label = _describe(parts, complete)
    total = _sum(f.amount for f in parts)
    annual_total = _sum(f.amount for f in annual) if annual else None
    chosen = annual if annual and not complete else parts
    kept = {id(f) for f in chosen}
    out.counted.extend(chosen)
    out.superseded.extend(f for f in figs if id(f) not in kept)
    if annual or not complete:
        out.reconciliation.append(
            Reconciliation(window[0], year, window[1], annual_total, total, label, complete, word)
        )


def _describe(parts: list[Figure], complete: bool) -> tuple[str, str]:
    """("quarters", "3 of 4 quarters") and the like for the parts used."""
    kinds = {f.period.granularity for f in parts}
    slots = {(f.period.first_month, f.period.month_count) for f in parts}
    if kinds == {Granularity.QUARTER}:
        return "quarters", f"{len(slots)} of 4 quarters"
    if kinds == {Granularity.HALF}:
        return "halves", f"{len(slots)} of 2 halves"
    months = sum(length for _first, length in slots)
    label = "two halves" if complete else f"{months} of 12 months"
    return "halves and quarters", label


def _spread(span: Figure) -> list[Figure]:
    """Even shares of a span, one per year it covers, each an estimate."""
    period = span.period
    years = range(period.year, period.last_year + 1)
    with localcontext(EXACT):
        share = span.amount / len(years)
    pieces = []
    for year in years:
        if period.basis is Basis.FISCAL:
            one = Period.fiscal(year, period.year_end_month)
        else:
            one = Period.calendar(year)
        pieces.append(
            Figure(span.company, one, span.category, span.region, share, share, 0, period)
        )
    return pieces


def _sum(values: Iterable[Decimal]) -> Decimal:
    with localcontext(EXACT):
        return sum(values, Decimal(0))
