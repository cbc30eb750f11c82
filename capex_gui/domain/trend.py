"""Spend over time per company: the numbers the trend chart draws (plain Python).

The x axis is a grid of quarters or years, calendar or of one company's fiscal year. Every
figure is placed on the slot holding most of its months (the conventions of
:mod:`capex_gui.domain.periods`): a fiscal quarter goes on the calendar quarter holding most of
its months, so companies whose years differ line up; comparing companies always uses the
calendar grid.

- **Years**: each slot is a company's total for that year under the no-double-count rule of
  :mod:`capex_gui.domain.period_totals` (the calendar totals are the ones ``summary`` prints),
  with the reconciliation sentences (differences, "3 of 4 quarters") attached.
- **Quarters**: each slot is the sum of the company's quarterly figures placed on it. Longer
  figures (halves, years) that a total counts are drawn as bands across their quarters, at
  their average per quarter; a year that its four quarters replace is not drawn again.
- **Spans of years** are never added into a slot: they are bands across their years, at their
  average per slot. With *spread_spans* each becomes even yearly shares, estimates, used only
  in years without a figure of their own (as ``summary --spread-spans`` does).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal, localcontext
from enum import StrEnum
from typing import TYPE_CHECKING

from capex_gui.domain.analytics import convert_ledger
from capex_gui.domain.money import EXACT
from capex_gui.domain.period_totals import Figure, Reconciliation, select_figures
from capex_gui.domain.periods import (
    Granularity,
    Month,
    Period,
    fiscal_year_of,
    fiscal_year_start,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from capex_gui.domain.analytics import SpendLedger
    from capex_gui.domain.fx import FxTable

#: The footnote of a chart on calendar quarters / years.
CALENDAR_QUARTERS_NOTE = (
    "Calendar quarters: fiscal quarters placed on the calendar quarter holding most of their "
    "months."
)
CALENDAR_YEARS_NOTE = (
    "Calendar years: fiscal periods counted in the calendar year holding most of their months."
)


class TrendStep(StrEnum):
    """One slot of the trend's x axis."""

    QUARTER = "quarter"
    YEAR = "year"


class TrendBasis(StrEnum):
    """Calendar periods, or the fiscal periods of the one company shown."""

    CALENDAR = "calendar"
    FISCAL = "fiscal"


@dataclass(frozen=True)
class Grid:
    """Quarters or years of a calendar (year_end_month 12) or of a fiscal year."""

    step: TrendStep
    year_end_month: int = 12
    fiscal: bool = False

    @property
    def months(self) -> int:
        """Months in one slot."""
        return 3 if self.step is TrendStep.QUARTER else 12

    def slot_of_month(self, month: Month) -> int:
        """The slot a month is in (a quarter index, or the year as named)."""
        if self.step is TrendStep.YEAR:
            return fiscal_year_of(month, self.year_end_month)
        return (month.ordinal - self.year_end_month % 3) // 3

    def place(self, period: Period) -> int:
        """The slot holding most of *period*'s months (a tie goes to the later slot)."""
        return self.slot_of_month(period.first_month.plus(period.month_count // 2))

    def cover(self, period: Period) -> tuple[int, int]:
        """The first and last slot of a period as long as a slot or longer."""
        first = self.slot_of_month(period.first_month.plus(self.months // 2))
        return first, first + max(1, period.month_count // self.months) - 1

    def period_of(self, slot: int) -> Period:
        """The period a slot stands for: "Q1 2025", "FY2025 Q3", "2025", "FY2025"."""
        yem = self.year_end_month
        if self.step is TrendStep.YEAR:
            return Period.fiscal(slot, yem) if self.fiscal else Period.calendar(slot)
        first = Month.from_ordinal(3 * slot + yem % 3)
        year = fiscal_year_of(first, yem)
        number = (first.ordinal - fiscal_year_start(year, yem).ordinal) // 3 + 1
        if self.fiscal:
            return Period.fiscal(year, yem, quarter=number)
        return Period.calendar(year, quarter=number)


@dataclass(frozen=True)
class TrendPoint:
    """One company's spend in one slot, as drawn."""

    company: str
    slot: int
    period: Period  # the slot's period
    amount: Decimal
    soft: Decimal  # the part that is an estimate or a plan
    periods: tuple[Period, ...]  # the figures' own periods behind it
    notes: tuple[str, ...] = ()  # reconciliation sentences
    partial: bool = False  # parts of a year only, no full-year figure
    spread: bool = False  # includes an even share of a span of years

    @property
    def is_estimate(self) -> bool:
        """True when some of it is an estimate, a plan or a spread share."""
        return self.soft > 0


@dataclass(frozen=True)
class TrendBand:
    """A figure longer than a slot, drawn across its slots at its average per slot."""

    company: str
    period: Period
    first: int  # first and last slot
    last: int
    amount: Decimal  # the figure
    per_slot: Decimal
    soft: Decimal  # the part that is an estimate, a plan or a spread share
    is_span: bool  # a span of years (never added into a slot)
    spread_from: Period | None = None  # the span this is an even yearly share of


@dataclass(frozen=True)
class TrendFigures:
    """Everything the trend chart draws."""

    currency: str
    grid: Grid
    companies: tuple[str, ...]  # in the order drawn
    points: tuple[TrendPoint, ...]
    bands: tuple[TrendBand, ...]
    #: (company, calendar year) -> {"no CNY rate for 2026": rows}: slots not drawn
    gaps: dict[tuple[str, int], dict[str, int]] = field(default_factory=dict)
    fiscal_refused: str = ""  # why fiscal periods were not used ("" when they were, or not asked)

    @property
    def slots(self) -> list[int]:
        """Every slot from the first to the last drawn, none skipped (time runs evenly)."""
        used = [p.slot for p in self.points]
        for band in self.bands:
            used += [band.first, band.last]
        return list(range(min(used), max(used) + 1)) if used else []

    def latest(self) -> dict[str, TrendPoint]:
        """Each company's latest point."""
        out: dict[str, TrendPoint] = {}
        for point in self.points:
            if point.company not in out or point.slot > out[point.company].slot:
                out[point.company] = point
        return out

    def series(self, company: str) -> list[TrendPoint]:
        """One company's points, in time order."""
        return sorted((p for p in self.points if p.company == company), key=lambda p: p.slot)

    @property
    def footnote(self) -> str:
        """What the periods are, for the footnote."""
        if self.grid.fiscal:
            return f"Fiscal periods of {self.companies[0]}." if self.companies else ""
        if self.grid.step is TrendStep.QUARTER:
            return CALENDAR_QUARTERS_NOTE
        return CALENDAR_YEARS_NOTE


def compute_trend(
    ledger: SpendLedger,
    fx: FxTable,
    currency: str,
    *,
    step: TrendStep = TrendStep.QUARTER,
    basis: TrendBasis = TrendBasis.CALENDAR,
    companies: Iterable[str] | None = None,
    year_ends: Mapping[str, int] | None = None,
    spread_spans: bool = False,
) -> TrendFigures:
    """Spend per company per quarter or year, in *currency*; see the module docstring.

    *companies*: the companies to draw, in order (None: every company with figures). Fiscal
    periods need exactly one company (*year_ends* gives its year end); with several the
    calendar is used and ``fiscal_refused`` says so.
    """
    converted, unconverted = convert_ledger(ledger, fx, currency)
    wanted = None if companies is None else list(companies)
    refused = ""
    grid = Grid(step)
    if basis is TrendBasis.FISCAL:
        if wanted is not None and len(wanted) == 1:
            yem = (year_ends or {}).get(wanted[0], 12)
            grid = Grid(step, yem, fiscal=True)
        else:
            refused = (
                "Companies are compared on calendar periods; choose one company to see its "
                "fiscal periods."
            )
    keep = (lambda _c: True) if wanted is None else set(wanted).__contains__
    figures = [
        Figure(k.company, k.period, k.category, k.region, a, s, int(n))
        for k, (a, s, n) in converted.items()
        if keep(k.company)
    ]
    gaps: dict[tuple[str, int], dict[str, int]] = {}
    blocked: set[tuple[str, int]] = set()  # (company, slot) with a figure that has no rate
    for (key, absent), n in sorted(unconverted.items(), key=lambda kv: repr(kv[0])):
        if not keep(key.company):
            continue
        per = gaps.setdefault((key.company, key.year), {})
        reason = f"no {absent} rate for {key.year}"
        per[reason] = per.get(reason, 0) + n
        if not key.period.is_span:
            blocked.add((key.company, grid.place(key.period)))
    selection = select_figures(figures, spread_spans=spread_spans)
    if step is TrendStep.YEAR:
        points = _year_points(grid, selection.counted, selection.reconciliation, currency)
        bands: list[TrendBand] = []
    else:
        points = _quarter_points(grid, figures, selection.reconciliation, currency)
        quarter = Granularity.QUARTER
        bands = [_band(grid, f) for f in selection.counted if f.period.granularity is not quarter]
    if not spread_spans:
        bands += [_band(grid, f) for f in selection.spans]
    bands = _merge(bands)
    points = [p for p in points if (p.company, p.slot) not in blocked]
    drawn = {p.company for p in points} | {b.company for b in bands}
    order = wanted if wanted is not None else sorted(drawn)
    return TrendFigures(
        currency,
        grid,
        tuple(c for c in order if c in drawn),
        tuple(sorted(points, key=lambda p: (p.company, p.slot))),
        tuple(sorted(bands, key=lambda b: (b.company, b.first, -b.last))),
        gaps,
        refused,
    )


def _year_points(
    grid: Grid, counted: list[Figure], recs: list[Reconciliation], currency: str
) -> list[TrendPoint]:
    groups: dict[tuple[str, int], list[Figure]] = defaultdict(list)
    for fig in counted:
        groups[(fig.company, grid.place(fig.period))].append(fig)
    notes: dict[tuple[str, int], list[Reconciliation]] = defaultdict(list)
    for rec in recs:
        notes[(rec.company, grid.place(rec.year))].append(rec)
    points = []
    for (company, slot), figs in groups.items():
        partial = not _covers(grid.period_of(slot), figs)
        # parts of a fiscal year without a whole one are news only where the slot is partial
        found = [r for r in notes.get((company, slot), []) if partial or r.annual is not None]
        points.append(_point(grid, company, slot, figs, found, currency, partial=partial))
    return points


def _covers(slot: Period, figs: list[Figure]) -> bool:
    """True when, for each category, the figures cover every month of *slot*."""
    wanted = set(range(slot.first_month.ordinal, slot.last_month.ordinal + 1))
    months: dict[str, set[int]] = defaultdict(set)
    for fig in figs:
        first = fig.period.first_month.ordinal
        months[fig.category].update(range(first, first + fig.period.month_count))
    return all(wanted <= covered for covered in months.values())


def _quarter_points(
    grid: Grid, figures: list[Figure], recs: list[Reconciliation], currency: str
) -> list[TrendPoint]:
    groups: dict[tuple[str, int], list[Figure]] = defaultdict(list)
    for fig in figures:
        if fig.period.granularity is Granularity.QUARTER:
            groups[(fig.company, grid.place(fig.period))].append(fig)
    points = []
    for (company, slot), figs in groups.items():
        found = [
            r
            for r in recs
            if r.company == company
            and any(r.year.contains(f.period) and r.category == f.category for f in figs)
        ]
        points.append(_point(grid, company, slot, figs, found, currency, partial=False))
    return points


def _point(
    grid: Grid,
    company: str,
    slot: int,
    figs: list[Figure],
    recs: list[Reconciliation],
    currency: str,
    *,
    partial: bool,
) -> TrendPoint:
    with localcontext(EXACT):
        amount = sum((f.amount for f in figs), Decimal(0))
        soft = sum((f.soft for f in figs), Decimal(0))
    periods = tuple(sorted({f.period for f in figs}, key=lambda p: p.sort_key))
    notes = (f"{r.category}: {r.sentence(currency)}" for r in recs)
    return TrendPoint(
        company,
        slot,
        grid.period_of(slot),
        amount,
        soft,
        periods,
        tuple(dict.fromkeys(notes)),
        partial,
        any(f.spread_from is not None for f in figs),
    )


def _merge(bands: list[TrendBand]) -> list[TrendBand]:
    """One band per company and period (figures of several categories or regions summed)."""
    merged: dict[tuple[str, Period, Period | None], TrendBand] = {}
    for band in bands:
        key = (band.company, band.period, band.spread_from)
        if key in merged:
            was = merged[key]
            with localcontext(EXACT):
                band = replace(
                    was,
                    amount=was.amount + band.amount,
                    per_slot=was.per_slot + band.per_slot,
                    soft=was.soft + band.soft,
                )
        merged[key] = band
    return list(merged.values())


def _band(grid: Grid, fig: Figure) -> TrendBand:
    first, last = grid.cover(fig.period)
    with localcontext(EXACT):
        per_slot = fig.amount / (last - first + 1)
    return TrendBand(
        fig.company,
        fig.period,
        first,
        last,
        fig.amount,
        per_slot,
        fig.soft,
        fig.period.is_span,
        fig.spread_from,
    )
