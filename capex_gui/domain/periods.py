"""Periods: the public API. Import everything period-related from here.

>>> p = parse_period("FY25 Q3", fiscal_year_end_month=6)   # Microsoft: the year ends in June
>>> p.label, p.long_label, p.months_label
('FY2025 Q3', 'FY2025 Q3 (Jan–Mar 2025)', 'Jan–Mar 2025')
>>> (p.first_month.key, p.last_month.key), p.calendar_quarter().label, p.calendar_year
((202501, 202503), 'Q1 2025', 2025)
>>> parse_period("FY2025", fiscal_year_end_month=1).months_label   # Nvidia: ends in January
'Feb 2024–Jan 2025'

Conventions (see :mod:`capex_gui.domain.period_model` for the reasons):

* fiscal years are named by the calendar year in which they end;
* a fiscal quarter is placed in the calendar quarter holding most of its months;
* a period counts in, and converts at the FX rate of, the calendar year holding most of its
  months (a tie goes to the later year); a span converts at the rate of its first month's year
  and is never added into one year's total.

Stored form: ``first_month.key`` and ``last_month.key`` (YYYYMM integers), ``basis``,
``granularity`` and ``year_end_month``; :meth:`Period.from_months` rebuilds the period.
"""

from __future__ import annotations

import contextlib

from capex_gui.domain.period_model import (
    MAX_PERIOD_YEAR,
    MIN_PERIOD_YEAR,
    MONTH_ABBREVIATIONS,
    MONTH_NAMES,
    Basis,
    Granularity,
    Month,
    Period,
    check_year_end_month,
    fiscal_year_of,
    fiscal_year_start,
    months_label,
)
from capex_gui.domain.period_parsing import EXAMPLES, parse_period
from capex_gui.errors import PeriodParseError

__all__ = [
    "EXAMPLES",
    "MAX_PERIOD_YEAR",
    "MIN_PERIOD_YEAR",
    "MONTH_ABBREVIATIONS",
    "MONTH_NAMES",
    "Basis",
    "Granularity",
    "Month",
    "Period",
    "PeriodParseError",
    "check_year_end_month",
    "fiscal_year_of",
    "fiscal_year_start",
    "format_period",
    "months_label",
    "parse_period",
    "suggest_periods",
    "year_end_name",
]


def format_period(period: Period, *, months: bool = True) -> str:
    """How the app shows a period: "FY2025 Q3 (Jan–Mar 2025)", or "Q3 2025" for calendar ones.

    With *months* False, the short label alone ("FY2025 Q3"). ``parse_period`` reads both back.
    """
    return period.long_label if months else period.label


def year_end_name(year_end_month: int) -> str:
    """ "December", "June": the month a fiscal year ends in, for messages and footnotes."""
    check_year_end_month(year_end_month)
    return MONTH_NAMES[year_end_month - 1]


def suggest_periods(
    text: str, *, year: int, fiscal_year_end_month: int = 12, limit: int = 12
) -> list[str]:
    """Completions for a period being typed: canonical labels near *year* that fit *text*.

    What *text* already reads as comes first; then the labels it is the start of, ignoring
    case and spaces ("q3" → "Q3 2025", "Q3 2024"…; "fy" → "FY2025", "FY2025 Q1"…).
    """
    check_year_end_month(fiscal_year_end_month)
    wanted = "".join(text.lower().split())
    out: list[str] = []
    with contextlib.suppress(PeriodParseError):
        out.append(parse_period(text, fiscal_year_end_month).label)
    years = [y for y in (year, year - 1, year + 1) if MIN_PERIOD_YEAR < y < MAX_PERIOD_YEAR]
    candidates: list[Period] = []
    for y in years:
        candidates.append(Period.calendar(y))
        candidates += [Period.calendar(y, quarter=q) for q in range(1, 5)]
        candidates += [Period.calendar(y, half=h) for h in (1, 2)]
        candidates.append(Period.fiscal(y, fiscal_year_end_month))
        candidates += [Period.fiscal(y, fiscal_year_end_month, quarter=q) for q in range(1, 5)]
        candidates += [Period.fiscal(y, fiscal_year_end_month, half=h) for h in (1, 2)]
    if years and years[0] + 2 <= MAX_PERIOD_YEAR:
        candidates.append(Period.span(years[0], years[0] + 2))
        candidates.append(Period.span(years[0], years[0] + 2, year_end_month=fiscal_year_end_month))
    for period in candidates:
        label = period.label
        if "".join(label.lower().split()).startswith(wanted) and label not in out:
            out.append(label)
    return out[:limit]
