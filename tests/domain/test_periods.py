"""Periods: reading what people type, fiscal ↔ calendar mapping, and the stored form."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from capex_gui.domain.periods import (
    Basis,
    Granularity,
    Month,
    Period,
    PeriodParseError,
    format_period,
    parse_period,
)
from capex_gui.errors import ValidationError

CAL, FIS = Basis.CALENDAR, Basis.FISCAL
Y, H, Q, S = Granularity.YEAR, Granularity.HALF, Granularity.QUARTER, Granularity.SPAN

# (text, fiscal-year end month, label, first month YYYYMM, last month YYYYMM)
ACCEPTED: list[tuple[str, int, str, int, int]] = [
    # calendar years
    ("2025", 12, "2025", 202501, 202512),
    ("2025", 6, "2025", 202501, 202512),  # a plain year is calendar whatever the company
    (" 2025 ", 12, "2025", 202501, 202512),
    ("CY2025", 6, "2025", 202501, 202512),
    ("cy25", 6, "2025", 202501, 202512),
    ("2025年", 12, "2025", 202501, 202512),
    ("2025年度", 12, "2025", 202501, 202512),
    ("２０２５", 12, "2025", 202501, 202512),  # full-width digits
    # fiscal years: named by the calendar year they end in
    ("FY2025", 12, "FY2025", 202501, 202512),
    ("FY2025", 6, "FY2025", 202407, 202506),  # Microsoft
    ("FY2025", 1, "FY2025", 202402, 202501),  # Nvidia
    ("FY2025", 9, "FY2025", 202410, 202509),  # Apple
    ("FY25", 6, "FY2025", 202407, 202506),
    ("fy 2025", 6, "FY2025", 202407, 202506),
    ("FY'25", 6, "FY2025", 202407, 202506),
    ("FY2024/25", 3, "FY2025", 202404, 202503),
    ("FY24/25", 3, "FY2025", 202404, 202503),
    ("2025财年", 6, "FY2025", 202407, 202506),
    ("FY95", 12, "FY1995", 199501, 199512),
    # calendar quarters
    ("Q3 2025", 12, "Q3 2025", 202507, 202509),
    ("Q3 2025", 6, "Q3 2025", 202507, 202509),  # plain quarter: calendar
    ("q3 2025", 12, "Q3 2025", 202507, 202509),
    ("Q3-2025", 12, "Q3 2025", 202507, 202509),
    ("Q3/2025", 12, "Q3 2025", 202507, 202509),
    ("2025Q3", 12, "Q3 2025", 202507, 202509),
    ("2025 Q3", 12, "Q3 2025", 202507, 202509),
    ("2025-Q3", 12, "Q3 2025", 202507, 202509),
    ("3Q25", 12, "Q3 2025", 202507, 202509),
    ("3Q 2025", 12, "Q3 2025", 202507, 202509),
    ("Q3 '25", 12, "Q3 2025", 202507, 202509),
    ("Q3 \u201925", 12, "Q3 2025", 202507, 202509),  # typographic apostrophe
    ("Q1 2025", 12, "Q1 2025", 202501, 202503),
    ("Q4 2024", 12, "Q4 2024", 202410, 202412),
    ("2025年第三季度", 12, "Q3 2025", 202507, 202509),
    ("2025年第3季度", 12, "Q3 2025", 202507, 202509),
    ("2025年三季度", 12, "Q3 2025", 202507, 202509),
    ("2025年Q3", 12, "Q3 2025", 202507, 202509),
    ("２０２５年第一季度", 12, "Q1 2025", 202501, 202503),
    # fiscal quarters
    ("Q3 FY25", 6, "FY2025 Q3", 202501, 202503),
    ("FY25 Q3", 6, "FY2025 Q3", 202501, 202503),
    ("FY2025 Q3", 6, "FY2025 Q3", 202501, 202503),
    ("Q3 FY2025", 6, "FY2025 Q3", 202501, 202503),
    ("FY25Q3", 6, "FY2025 Q3", 202501, 202503),
    ("3QFY25", 6, "FY2025 Q3", 202501, 202503),
    ("3Q FY25", 6, "FY2025 Q3", 202501, 202503),
    ("FY25 Q1", 6, "FY2025 Q1", 202407, 202409),
    ("FY25 Q1", 1, "FY2025 Q1", 202402, 202404),  # Nvidia's Feb–Apr quarter
    ("FY25 Q4", 1, "FY2025 Q4", 202411, 202501),  # Nvidia's Nov–Jan quarter
    ("FY25 Q3", 12, "FY2025 Q3", 202507, 202509),
    ("2025财年第三季度", 6, "FY2025 Q3", 202501, 202503),
    ("FY2025 Q3 (Jan–Mar 2025)", 6, "FY2025 Q3", 202501, 202503),  # as the app shows it
    ("FY2025 Q3 (Jan-Mar 2025)", 6, "FY2025 Q3", 202501, 202503),
    ("FY2025 Q4 (Nov 2024–Jan 2025)", 1, "FY2025 Q4", 202411, 202501),
    ("FY2025 (July 2024 - June 2025)", 6, "FY2025", 202407, 202506),
    # halves
    ("H1 2025", 12, "H1 2025", 202501, 202506),
    ("H2 2025", 12, "H2 2025", 202507, 202512),
    ("1H25", 12, "H1 2025", 202501, 202506),
    ("2H 2025", 12, "H2 2025", 202507, 202512),
    ("2025H1", 12, "H1 2025", 202501, 202506),
    ("H1 FY25", 6, "FY2025 H1", 202407, 202412),
    ("FY25 H2", 6, "FY2025 H2", 202501, 202506),
    ("1HFY25", 6, "FY2025 H1", 202407, 202412),
    ("2025年上半年", 12, "H1 2025", 202501, 202506),
    ("2025年下半年", 12, "H2 2025", 202507, 202512),
    # spans of years
    ("2025–2027", 12, "2025–2027", 202501, 202712),
    ("2025-2027", 12, "2025–2027", 202501, 202712),
    ("2025 - 2027", 12, "2025–2027", 202501, 202712),
    ("2025—2027", 12, "2025–2027", 202501, 202712),
    ("2025 to 2027", 12, "2025–2027", 202501, 202712),
    ("2025-27", 12, "2025–2027", 202501, 202712),
    ("2025至2027年", 12, "2025–2027", 202501, 202712),
    ("2025年至2027年", 12, "2025–2027", 202501, 202712),
    ("FY25–FY27", 6, "FY2025–FY2027", 202407, 202706),
    ("FY25-27", 6, "FY2025–FY2027", 202407, 202706),
    ("FY2025 to FY2027", 1, "FY2025–FY2027", 202402, 202701),
    ("2025–2025", 12, "2025", 202501, 202512),  # a one-year span is that year
]


@pytest.mark.parametrize(("text", "year_end", "label", "first", "last"), ACCEPTED)
def test_accepted(text: str, year_end: int, label: str, first: int, last: int) -> None:
    period = parse_period(text, fiscal_year_end_month=year_end)
    assert period.label == label
    assert (period.first_month.key, period.last_month.key) == (first, last)
    assert period.basis is (FIS if label.startswith("FY") else CAL)


def test_enough_inputs() -> None:
    assert len(ACCEPTED) >= 40
    assert len({text for text, *_ in ACCEPTED}) >= 40


REFUSED: list[tuple[str, int, str]] = [
    ("", 12, "type a period, such as 2025, Q3 2025"),
    ("   ", 12, "type a period"),
    ("Q3", 12, "“Q3” needs a year: type it like Q3 2025"),
    ("FY", 6, "needs a year"),
    ("3Q", 12, "needs a year"),
    ("Q5 2025", 12, "there is no Q5; quarters run from Q1 to Q4"),
    ("Q0 2025", 12, "there is no Q0"),
    ("H3 2025", 12, "there is no H3; halves are H1 and H2"),
    ("25", 12, "is not a year: write it in full (2025) or as FY25"),
    ("1800", 12, "the year must be between 1990 and 2100, not 1800"),
    ("FY2101", 6, "not 2101"),
    ("FY1990", 6, "FY1990 starts in Jul 1989, before 1990"),
    ("2027–2025", 12, "ends before it starts: write the earlier year first, as in 2025–2027"),
    ("2025–FY2027", 12, "mixes calendar and fiscal years"),
    ("FY2025–CY2027", 6, "mixes calendar and fiscal years"),
    ("FY2024-25", 6, "could be one fiscal year (FY2025, ending in 2025) or two"),
    ("FY2024/26", 6, "a fiscal year written with a slash runs into the next year"),
    ("Q1–Q3 2025", 12, "is a range of quarters or halves"),
    ("March 2025", 12, "months alone are not a period here"),
    ("Jan–Mar 2025", 12, "months alone are not a period here"),
    ("2025-2026-2027", 12, "more than one dash"),
    ("next year", 12, "is not a period this app reads"),
    ("40bn", 12, "is not a period this app reads"),
    ("²⁰²⁵", 12, "is not a plain digit"),
    (
        "FY2025 Q3 (Feb–Apr 2025)",
        6,
        "FY2025 Q3 with the fiscal year ending in June is Jan–Mar 2025, not Feb–Apr 2025",
    ),
    ("Q3 2025 (Jan–Mar 2025)", 12, "Q3 2025 is Jul–Sep 2025, not Jan–Mar 2025"),
    ("Q3 2025 (soon)", 12, "the brackets should hold the months it covers, as in (Jul–Sep 2025)"),
    ("Q3 2025 (Jux–Sep 2025)", 12, "“jux” is not a month"),
    ("2" * 100, 12, "too long for a period"),
]


@pytest.mark.parametrize(("text", "year_end", "message"), REFUSED)
def test_refused_with_one_clear_sentence(text: str, year_end: int, message: str) -> None:
    with pytest.raises(PeriodParseError) as caught:
        parse_period(text, fiscal_year_end_month=year_end)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValidationError)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("bad", [0, 13, -1, True])
def test_year_end_month_must_be_a_month(bad: int) -> None:
    with pytest.raises(ValidationError, match="a fiscal year ends in a month from 1 to 12"):
        parse_period("FY2025", fiscal_year_end_month=bad)


# -- fiscal ↔ calendar ------------------------------------------------------------------------


def test_nvidia_january_year_end() -> None:
    """FY2025 of a January year end is Feb 2024 – Jan 2025; its quarters map by majority."""
    fy = Period.fiscal(2025, 1)
    assert (fy.first_month, fy.last_month) == (Month(2024, 2), Month(2025, 1))
    assert fy.long_label == "FY2025 (Feb 2024–Jan 2025)"
    assert fy.calendar_year == 2024  # eleven of its twelve months are in 2024
    quarters = [Period.fiscal(2025, 1, quarter=q) for q in range(1, 5)]
    assert [q.months_label for q in quarters] == [
        "Feb–Apr 2024",
        "May–Jul 2024",
        "Aug–Oct 2024",
        "Nov 2024–Jan 2025",
    ]
    assert [q.calendar_quarter().label for q in quarters] == [
        "Q1 2024",  # Feb, Mar in Q1; Apr in Q2
        "Q2 2024",
        "Q3 2024",
        "Q4 2024",  # Nov, Dec in Q4 2024; Jan in 2025
    ]
    assert not any(q.is_calendar_aligned for q in quarters)


def test_microsoft_june_year_end() -> None:
    quarters = [Period.fiscal(2025, 6, quarter=q) for q in range(1, 5)]
    assert [q.calendar_quarter().label for q in quarters] == [
        "Q3 2024",
        "Q4 2024",
        "Q1 2025",
        "Q2 2025",
    ]
    assert all(q.is_calendar_aligned for q in quarters)
    assert format_period(quarters[2]) == "FY2025 Q3 (Jan–Mar 2025)"
    assert format_period(quarters[2], months=False) == "FY2025 Q3"
    fy = Period.fiscal(2025, 6)
    assert fy.calendar_year == 2025  # six months each side: the later year
    assert list(fy.calendar_years) == [2024, 2025]
    assert fy.contains(quarters[0]) and not fy.contains(Period.calendar(2025, quarter=3))


def test_calendar_periods_show_without_months() -> None:
    assert format_period(Period.calendar(2025, quarter=3)) == "Q3 2025"
    assert format_period(Period.calendar(2025)) == "2025"
    assert format_period(Period.span(2025, 2027)) == "2025–2027"
    assert format_period(Period.fiscal(2025, 12, quarter=3)) == "FY2025 Q3 (Jul–Sep 2025)"


def test_december_fiscal_year_is_the_calendar_year_in_months_only() -> None:
    fiscal, calendar = Period.fiscal(2025, 12), Period.calendar(2025)
    assert (fiscal.first_month, fiscal.last_month) == (calendar.first_month, calendar.last_month)
    assert fiscal != calendar  # shown back as written: "FY2025", not "2025"
    assert fiscal.label == "FY2025"


def test_spans() -> None:
    span = parse_period("FY25–FY27", fiscal_year_end_month=6)
    assert span.is_span and span.month_count == 36
    assert span.calendar_year == 2024  # converts at the rate of its first month's year
    assert list(span.calendar_years) == [2024, 2025, 2026, 2027]
    with pytest.raises(ValueError, match="is not a quarter"):
        span.calendar_quarter()


def test_entity_rules() -> None:
    with pytest.raises(ValidationError, match="a calendar period cannot have a fiscal year end"):
        Period(CAL, Y, 2025, 0, 0, 6)
    with pytest.raises(ValidationError, match="there is no quarter 5"):
        Period.calendar(2025, quarter=5)
    with pytest.raises(ValidationError, match="a span must end after it starts"):
        Period.span(2025, 2025)
    with pytest.raises(ValidationError, match="a quarter or a half, not both"):
        Period.calendar(2025, quarter=1, half=1)
    with pytest.raises(ValidationError, match="has no half or quarter number"):
        Period(CAL, Y, 2025, 2)


def test_from_months_refuses_inconsistent_stored_forms() -> None:
    with pytest.raises(ValidationError, match="Feb–Apr 2025 is not a calendar quarter"):
        Period.from_months(Month(2025, 2), Month(2025, 4), "calendar", "quarter")
    with pytest.raises(ValidationError, match="of a year ending in June"):
        Period.from_months(Month(2025, 2), Month(2025, 4), "fiscal", "quarter", 6)
    with pytest.raises(ValidationError, match="is not a month written as YYYYMM"):
        Month.from_key(202513)


def test_shifted_and_year_end_change() -> None:
    q = Period.fiscal(2025, 6, quarter=3)
    assert q.shifted(1).label == "FY2026 Q3"
    assert q.with_year_end(1).months_label == "Aug–Oct 2024"
    assert Period.span(2025, 2027).shifted(-1).label == "2024–2026"
    assert Period.calendar(2025).with_year_end(6) == Period.calendar(2025)


def test_sort_key_orders_by_start_then_longer_first() -> None:
    periods = [
        Period.calendar(2025, quarter=2),
        Period.calendar(2025),
        Period.fiscal(2025, 6),
        Period.calendar(2025, quarter=1),
        Period.calendar(2025, half=1),
    ]
    ordered = [p.label for p in sorted(periods, key=lambda p: p.sort_key)]
    assert ordered == ["FY2025", "2025", "H1 2025", "Q1 2025", "Q2 2025"]


# -- properties ---------------------------------------------------------------------------------

years = st.integers(min_value=1991, max_value=2099)
year_ends = st.integers(min_value=1, max_value=12)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    year = draw(years)
    kind = draw(st.sampled_from(list(Granularity)))
    fiscal = draw(st.booleans())
    year_end = draw(year_ends) if fiscal else 12
    basis = FIS if fiscal else CAL
    if kind is S:
        last = draw(st.integers(min_value=year + 1, max_value=min(2100, year + 10)))
        return Period(basis, S, year, 0, last, year_end)
    number = draw(st.integers(1, kind.parts_per_year)) if kind in (H, Q) else 0
    return Period(basis, kind, year, number, 0, year_end)


@given(periods())
def test_parse_reads_back_what_format_writes(period: Period) -> None:
    for text in (format_period(period), format_period(period, months=False), str(period)):
        assert parse_period(text, fiscal_year_end_month=period.year_end_month) == period


@given(periods())
def test_month_ranges_are_well_formed(period: Period) -> None:
    first, last = period.first_month, period.last_month
    assert 1 <= first.month <= 12 and 1 <= last.month <= 12
    assert last.ordinal - first.ordinal + 1 == period.month_count
    assert period.month_count in (3, 6, 12) or period.month_count % 12 == 0
    assert first.year <= period.calendar_year <= last.year
    if period.basis is FIS:
        assert last.month == period.year_end_month or period.granularity in (H, Q)
        assert period.fiscal_year().last_month.month == period.year_end_month
    assert period.fiscal_year().contains(period)


@given(periods())
def test_stored_form_round_trips(period: Period) -> None:
    first, last = Month.from_key(period.first_month.key), Month.from_key(period.last_month.key)
    rebuilt = Period.from_months(
        first, last, period.basis.value, period.granularity.value, period.year_end_month
    )
    assert rebuilt == period


@given(years, year_ends, st.integers(1, 4))
def test_fiscal_quarter_maps_to_the_calendar_quarter_holding_most_of_its_months(
    year: int, year_end: int, number: int
) -> None:
    quarter = Period.fiscal(year, year_end, quarter=number)
    mapped = quarter.calendar_quarter()
    months = [quarter.first_month.plus(i) for i in range(3)]
    shared = sum(1 for m in months if mapped.first_month <= m <= mapped.last_month)
    assert shared >= 2
    assert mapped.calendar_year == quarter.calendar_year
    # re-reading the calendar quarter's months under the same year end lands on the same quarter
    back = [p for p in _fiscal_quarters_around(year, year_end) if p.calendar_quarter() == mapped]
    assert back == [quarter]


@given(years, year_ends)
def test_fiscal_year_is_four_quarters_and_two_halves(year: int, year_end: int) -> None:
    fy = Period.fiscal(year, year_end)
    quarters = [Period.fiscal(year, year_end, quarter=q) for q in range(1, 5)]
    halves = [Period.fiscal(year, year_end, half=h) for h in (1, 2)]
    assert quarters[0].first_month == halves[0].first_month == fy.first_month
    assert quarters[-1].last_month == halves[-1].last_month == fy.last_month
    for a, b in itertools.pairwise(quarters):
        assert b.first_month.ordinal == a.last_month.ordinal + 1
    assert fy.last_month == Month(year, year_end)  # named by the calendar year it ends in


def _fiscal_quarters_around(year: int, year_end: int) -> list[Period]:
    return [
        Period.fiscal(y, year_end, quarter=q)
        for y in range(max(1991, year - 1), min(2100, year + 1) + 1)
        for q in range(1, 5)
    ]


def test_the_documented_examples_hold() -> None:
    import doctest

    from capex_gui.domain import periods

    failures, attempted = doctest.testmod(periods)
    assert attempted >= 4 and failures == 0
