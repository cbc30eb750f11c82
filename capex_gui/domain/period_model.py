"""The period a figure covers: a year, half, quarter or span of years, calendar or fiscal.

Import from :mod:`capex_gui.domain.periods`, which is the public face of this module and of
the parser. Conventions, fixed here once:

* **Fiscal years are named by the calendar year in which they end** (as Microsoft and Nvidia
  name theirs). With the fiscal year ending in June, FY2025 is July 2024 – June 2025; ending in
  January (Nvidia), FY2025 is February 2024 – January 2025; ending in December, FY2025 is the
  calendar year 2025. Fiscal years are whole calendar months (Nvidia's year really ends on the
  last Sunday of January; the app counts it as ending in January).
* **A fiscal quarter is placed in the calendar quarter holding most of its months**: Nvidia's
  Feb–Apr quarter is Q1, its Nov–Jan quarter is Q4 of the year holding November and December.
  Three months always split 3–0 or 2–1, so there is never a tie.
* **A period counts in the calendar year holding most of its months**; on a tie (a fiscal year
  from July to June, a half from October to March) the year it ends in. This is also the year
  whose FX rate converts it. Nvidia's FY2025 (Feb 2024 – Jan 2025) therefore counts in 2024.
  A span of years is never added into one year; it converts at the rate of the calendar year of
  its first month (the rate known when the plan was made).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from capex_gui.errors import ValidationError

#: Years a period may name (the same bounds as a figure's year).
MIN_PERIOD_YEAR = 1990
MAX_PERIOD_YEAR = 2100

MONTH_ABBREVIATIONS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


class Basis(StrEnum):
    """Whether a period is written in calendar years or in the company's fiscal years."""

    CALENDAR = "calendar"
    FISCAL = "fiscal"


class Granularity(StrEnum):
    """How long a period is: a year, a half, a quarter, or a span of whole years."""

    YEAR = "year"
    HALF = "half"
    QUARTER = "quarter"
    SPAN = "span"

    @property
    def parts_per_year(self) -> int:
        """1 for a year, 2 for a half, 4 for a quarter (0 for a span)."""
        return {"year": 1, "half": 2, "quarter": 4, "span": 0}[self.value]


class Month(NamedTuple):
    """One calendar month; ordered by time."""

    year: int
    month: int  # 1-12

    @property
    def ordinal(self) -> int:
        """Months since January of year 0: consecutive months differ by one."""
        return self.year * 12 + self.month - 1

    @property
    def key(self) -> int:
        """The month as the integer YYYYMM (how the database stores it): 202501."""
        return self.year * 100 + self.month

    @property
    def quarter(self) -> int:
        """The calendar quarter (1-4) the month is in."""
        return (self.month - 1) // 3 + 1

    @classmethod
    def from_ordinal(cls, ordinal: int) -> Month:
        """The month *ordinal* months after January of year 0."""
        return cls(ordinal // 12, ordinal % 12 + 1)

    @classmethod
    def from_key(cls, key: int) -> Month:
        """Read YYYYMM; ValidationError unless the month part is 1-12."""
        month = cls(key // 100, key % 100)
        if not 1 <= month.month <= 12:
            raise ValidationError(f"{key} is not a month written as YYYYMM")
        return month

    def plus(self, months: int) -> Month:
        """The month *months* later (earlier when negative)."""
        return Month.from_ordinal(self.ordinal + months)

    def __str__(self) -> str:
        return f"{MONTH_ABBREVIATIONS[self.month - 1]} {self.year}"


def check_year_end_month(month: int) -> None:
    """Raise ValidationError unless *month* is 1 (January) to 12 (December)."""
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise ValidationError(f"a fiscal year ends in a month from 1 to 12, not {month!r}")


def check_period_year(year: int) -> None:
    """Raise ValidationError unless MIN_PERIOD_YEAR ≤ year ≤ MAX_PERIOD_YEAR."""
    if not MIN_PERIOD_YEAR <= year <= MAX_PERIOD_YEAR:
        raise ValidationError(
            f"the year must be between {MIN_PERIOD_YEAR} and {MAX_PERIOD_YEAR}, not {year}"
        )


def fiscal_year_start(year: int, year_end_month: int) -> Month:
    """The first month of fiscal year *year* (named by the calendar year it ends in)."""
    return Month(year, year_end_month).plus(-11)


def fiscal_year_of(month: Month, year_end_month: int) -> int:
    """The fiscal year (named by the calendar year it ends in) that *month* belongs to."""
    return month.year + 1 if month.month > year_end_month else month.year


def months_label(first: Month, last: Month) -> str:
    """ "Jan–Mar 2025", "Nov 2024–Jan 2025", "Jul 2024–Jun 2027"; one month: "Mar 2025"."""
    if first == last:
        return str(first)
    if first.year == last.year:
        return f"{MONTH_ABBREVIATIONS[first.month - 1]}–{last}"
    return f"{first}–{last}"


@dataclass(frozen=True, slots=True)
class Period:
    """A year, half, quarter or span of years, in calendar or fiscal terms. Immutable, hashable.

    *year* is the year as written: the calendar year, or the fiscal year named by the calendar
    year it ends in; for a span, its first year and *last_year* its last. *number* is the half
    (1-2) or quarter (1-4), else 0. *year_end_month* is the month the fiscal year ends in that
    the period was written against (always 12 for calendar periods). Build one with
    :meth:`calendar`, :meth:`fiscal`, :meth:`span`, :func:`parse_period` or :meth:`from_months`.
    """

    basis: Basis
    granularity: Granularity
    year: int
    number: int = 0
    last_year: int = 0  # 0 means: the same as year
    year_end_month: int = 12

    def __post_init__(self) -> None:
        basis, granularity = Basis(self.basis), Granularity(self.granularity)
        object.__setattr__(self, "basis", basis)
        object.__setattr__(self, "granularity", granularity)
        check_year_end_month(self.year_end_month)
        if basis is Basis.CALENDAR and self.year_end_month != 12:
            raise ValidationError("a calendar period cannot have a fiscal year end")
        check_period_year(self.year)
        if self.last_year == 0:
            object.__setattr__(self, "last_year", self.year)
        if granularity is Granularity.SPAN:
            check_period_year(self.last_year)
            if self.last_year <= self.year:
                raise ValidationError(
                    f"a span must end after it starts ({self.year}–{self.last_year})"
                )
        elif self.last_year != self.year:
            raise ValidationError(f"a {granularity.value} covers one year, not a span of years")
        parts = granularity.parts_per_year
        if parts > 1 and not 1 <= self.number <= parts:
            word = "quarters run from Q1 to Q4" if parts == 4 else "halves are H1 and H2"
            raise ValidationError(f"there is no {granularity.value} {self.number}: {word}")
        if parts <= 1 and self.number != 0:
            raise ValidationError(f"a {granularity.value} has no half or quarter number")
        first = self.first_month
        if first.year < MIN_PERIOD_YEAR:
            raise ValidationError(f"{self.label} starts in {first}, before {MIN_PERIOD_YEAR}")

    # -- building ---------------------------------------------------------------------------
    @classmethod
    def calendar(cls, year: int, *, quarter: int | None = None, half: int | None = None) -> Period:
        """Calendar year *year*, or its *quarter* (1-4) or *half* (1-2)."""
        return cls._one_year(Basis.CALENDAR, year, 12, quarter, half)

    @classmethod
    def fiscal(
        cls, year: int, year_end_month: int, *, quarter: int | None = None, half: int | None = None
    ) -> Period:
        """Fiscal year *year* (ending in *year_end_month* of calendar year *year*), or a part."""
        return cls._one_year(Basis.FISCAL, year, year_end_month, quarter, half)

    @classmethod
    def span(cls, first_year: int, last_year: int, *, year_end_month: int | None = None) -> Period:
        """The years *first_year* to *last_year*; fiscal years when *year_end_month* is given."""
        if year_end_month is None:
            return cls(Basis.CALENDAR, Granularity.SPAN, first_year, 0, last_year)
        return cls(Basis.FISCAL, Granularity.SPAN, first_year, 0, last_year, year_end_month)

    @classmethod
    def _one_year(
        cls, basis: Basis, year: int, year_end: int, quarter: int | None, half: int | None
    ) -> Period:
        if quarter is not None and half is not None:
            raise ValidationError("a period is a quarter or a half, not both")
        if quarter is not None:
            return cls(basis, Granularity.QUARTER, year, quarter, 0, year_end)
        if half is not None:
            return cls(basis, Granularity.HALF, year, half, 0, year_end)
        return cls(basis, Granularity.YEAR, year, 0, 0, year_end)

    @classmethod
    def from_months(
        cls,
        first: Month,
        last: Month,
        basis: Basis | str,
        granularity: Granularity | str,
        year_end_month: int = 12,
    ) -> Period:
        """Rebuild a period from its stored form; ValidationError if the parts disagree."""
        basis, granularity = Basis(basis), Granularity(granularity)
        label_year = fiscal_year_of(last, year_end_month)
        start = fiscal_year_start(label_year, year_end_month)
        if granularity is Granularity.SPAN:
            first_year = fiscal_year_of(first, year_end_month)
            period = cls(basis, granularity, first_year, 0, label_year, year_end_month)
        elif granularity is Granularity.YEAR:
            period = cls(basis, granularity, label_year, 0, 0, year_end_month)
        else:
            length = 12 // granularity.parts_per_year
            number = (last.ordinal - start.ordinal) // length + 1
            period = cls(basis, granularity, label_year, number, 0, year_end_month)
        if (period.first_month, period.last_month) != (first, last):
            raise ValidationError(
                f"{months_label(first, last)} is not a {basis.value} {granularity.value}"
                + (
                    f" of a year ending in {MONTH_NAMES[year_end_month - 1]}"
                    if basis is Basis.FISCAL
                    else ""
                )
            )
        return period

    # -- the calendar -----------------------------------------------------------------------
    @property
    def first_month(self) -> Month:
        """The first calendar month the period covers."""
        return _calendar_facts(self)[0]

    @property
    def last_month(self) -> Month:
        """The last calendar month the period covers."""
        return _calendar_facts(self)[1]

    @property
    def month_count(self) -> int:
        """How many months it covers: 3, 6, 12, or 12 per year of a span."""
        if self.granularity is Granularity.SPAN:
            return 12 * (self.last_year - self.year + 1)
        return 12 // self.granularity.parts_per_year

    @property
    def is_span(self) -> bool:
        """True for a span of years, which is never added into one year's total."""
        return self.granularity is Granularity.SPAN

    @property
    def calendar_year(self) -> int:
        """The calendar year it counts in (and converts at): most months, ties to the later.

        A span: the calendar year of its first month.
        """
        return _calendar_facts(self)[2]

    @property
    def calendar_years(self) -> range:
        """Every calendar year it touches."""
        return range(self.first_month.year, self.last_month.year + 1)

    def calendar_quarter(self) -> Period:
        """The calendar quarter a quarter is placed in: the one holding most of its months.

        ValueError for anything but a quarter.
        """
        if self.granularity is not Granularity.QUARTER:
            raise ValueError(f"{self.label} is not a quarter")
        middle = self.first_month.plus(1)  # a quarter's middle month is always in the majority
        return Period.calendar(middle.year, quarter=middle.quarter)

    @property
    def is_calendar_aligned(self) -> bool:
        """True when its months are exactly a calendar quarter, half, year or span of years."""
        length = self.month_count
        return (
            (self.first_month.month - 1) % length == 0
            if length < 12
            else (self.first_month.month == 1)
        )

    def fiscal_year(self) -> Period:
        """The whole year (same basis and year end) a half or quarter belongs to; self otherwise."""
        if self.granularity in (Granularity.YEAR, Granularity.SPAN):
            return self
        return Period(self.basis, Granularity.YEAR, self.year, 0, 0, self.year_end_month)

    def contains(self, other: Period) -> bool:
        """True when every month of *other* is inside this period."""
        return self.first_month <= other.first_month and other.last_month <= self.last_month

    def overlaps(self, other: Period) -> bool:
        """True when the two periods share a month."""
        return self.first_month <= other.last_month and other.first_month <= self.last_month

    def shifted(self, years: int) -> Period:
        """The same kind of period *years* later (earlier when negative)."""
        last = self.last_year + years if self.is_span else 0
        return Period(
            self.basis, self.granularity, self.year + years, self.number, last, self.year_end_month
        )

    def with_year_end(self, year_end_month: int) -> Period:
        """The same label read against another fiscal year end (calendar periods: unchanged)."""
        if self.basis is Basis.CALENDAR:
            return self
        return Period(
            self.basis, self.granularity, self.year, self.number, self.last_year, year_end_month
        )

    @property
    def sort_key(self) -> tuple[int, int, int, str]:
        """Order by first month, longer periods first, then calendar before fiscal."""
        return (self.first_month.ordinal, -self.month_count, self.year_end_month, self.basis.value)

    # -- showing it -------------------------------------------------------------------------
    @property
    def label(self) -> str:
        """The canonical short form: "2025", "Q3 2025", "H1 2025", "2025–2027", "FY2025",
        "FY2025 Q3", "FY2025 H1", "FY2025–FY2027"."""
        if self.basis is Basis.CALENDAR:
            if self.granularity is Granularity.SPAN:
                return f"{self.year}–{self.last_year}"
            if self.granularity is Granularity.YEAR:
                return str(self.year)
            return f"{self._part_label()} {self.year}"
        if self.granularity is Granularity.SPAN:
            return f"FY{self.year}–FY{self.last_year}"
        if self.granularity is Granularity.YEAR:
            return f"FY{self.year}"
        return f"FY{self.year} {self._part_label()}"

    @property
    def months_label(self) -> str:
        """The calendar months it covers: "Jan–Mar 2025", "Jul 2024–Jun 2025"."""
        return months_label(self.first_month, self.last_month)

    @property
    def long_label(self) -> str:
        """The label with its months where they are not obvious: "FY2025 Q3 (Jan–Mar 2025)".

        Calendar periods are shown by their short label alone ("Q3 2025").
        """
        if self.basis is Basis.CALENDAR:
            return self.label
        return f"{self.label} ({self.months_label})"

    def _part_label(self) -> str:
        return ("Q" if self.granularity is Granularity.QUARTER else "H") + str(self.number)

    def __str__(self) -> str:
        return self.label


@lru_cache(maxsize=4096)
def _calendar_facts(period: Period) -> tuple[Month, Month, int]:
    """(first month, last month, calendar year) of *period*, worked out once per period.

    Periods are immutable and a large import or table repeats few of them, so the calendar
    arithmetic runs once per distinct period rather than once per row (bounded cache).
    """
    start = fiscal_year_start(period.year, period.year_end_month)
    if period.granularity in (Granularity.HALF, Granularity.QUARTER):
        first = start.plus((period.number - 1) * period.month_count)
    else:
        first = start
    last = first.plus(period.month_count - 1)
    if period.is_span or first.year == last.year:
        year = first.year
    else:
        year = first.year if 12 - first.month + 1 > last.month else last.year
    return first, last, year
