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
