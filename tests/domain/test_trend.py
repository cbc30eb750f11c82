"""The trend's numbers: slots, calendar alignment, no double count, spans (no Qt).

All figures here are TEST DATA made up for these tests, not any company's real capex.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from capex_gui.domain.analytics import SpendLedger, spend_figures
from capex_gui.domain.entities import Investment, Status
from capex_gui.domain.fx import FxTable
from capex_gui.domain.periods import Period, parse_period
from capex_gui.domain.trend import (
    CALENDAR_QUARTERS_NOTE,
    Grid,
    TrendBasis,
    TrendStep,
    compute_trend,
)

B = Decimal(10) ** 9
FX = FxTable({("CNY", 2025): Decimal("7.2")})
YEAR_ENDS = {"Junco": 6, "Janco": 1}


def inv(company: str, period: str, amount: str, *, status: Status = Status.REPORTED,
        category: str = "Data centres", currency: str = "USD") -> Investment:  # fmt: skip
    p = parse_period(period, YEAR_ENDS.get(company, 12))
    return Investment(
        company, p.calendar_year, category, "Global", Decimal(amount) * B, currency,
        status=status, period=p,
    )  # fmt: skip


def trend(rows: list[Investment], **kw: object) -> object:
    return compute_trend(SpendLedger().extend(rows), FX, "USD", year_ends=YEAR_ENDS, **kw)  # type: ignore[arg-type]


def test_grid_places_fiscal_quarters_on_calendar_quarters() -> None:
    grid = Grid(TrendStep.QUARTER)
    # Microsoft-like June year end: FY2025 Q3 is Jan-Mar 2025 -> Q1 2025
    june = parse_period("FY25 Q3", 6)
    assert grid.period_of(grid.place(june)).label == "Q1 2025"
    # Nvidia-like January year end: FY2026 Q1 is Feb-Apr 2025 -> Q1 2025 (two of three months)
    jan = parse_period("FY26 Q1", 1)
    assert jan.months_label == "Feb–Apr 2025"
    assert grid.period_of(grid.place(jan)).label == "Q1 2025"
    # Nov-Jan quarter -> Q4 of the year holding November and December
    assert grid.period_of(grid.place(parse_period("FY25 Q4", 1))).label == "Q4 2024"
    # consecutive slots are consecutive quarters
    q4 = grid.place(Period.calendar(2024, quarter=4))
    assert grid.place(Period.calendar(2025, quarter=1)) == q4 + 1
    # a fiscal grid labels its own quarters
    fiscal = Grid(TrendStep.QUARTER, 6, fiscal=True)
    assert fiscal.period_of(fiscal.place(Period.calendar(2025, quarter=1))).label == "FY2025 Q3"
    years = Grid(TrendStep.YEAR)
    assert years.place(parse_period("FY2025", 6)) == 2025  # Jul-Jun: a tie goes to the later
    assert years.place(parse_period("FY2025", 1)) == 2024  # Feb 2024-Jan 2025: 11 months in 2024


def three_companies() -> list[Investment]:
    rows = []
    for i, q in enumerate(["Q1 2024", "Q2 2024", "Q3 2024", "Q4 2024",
                           "Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025"]):  # fmt: skip
        rows.append(inv("Alphaco", q, str(10 + i)))
        rows.append(inv("Betaco", q, str(20 + i)))
    # Junco writes fiscal quarters: FY2024 Q3 (Jan-Mar 2024) ... FY2026 Q2 (Oct-Dec 2025)
    for i, q in enumerate(["FY24 Q3", "FY24 Q4", "FY25 Q1", "FY25 Q2",
                           "FY25 Q3", "FY25 Q4", "FY26 Q1", "FY26 Q2"]):  # fmt: skip
        rows.append(inv("Junco", q, str(30 + i)))
    return rows


def test_three_companies_line_up_on_calendar_quarters() -> None:
    figs = trend(three_companies())
    labels = {c: [p.period.label for p in figs.series(c)] for c in figs.companies}
    expected = [f"Q{q} {y}" for y in (2024, 2025) for q in (1, 2, 3, 4)]
    assert labels == {"Alphaco": expected, "Betaco": expected, "Junco": expected}
    junco = figs.series("Junco")
    assert [p.periods[0].label for p in junco][:3] == ["FY2024 Q3", "FY2024 Q4", "FY2025 Q1"]
    assert [p.amount / B for p in junco] == [30, 31, 32, 33, 34, 35, 36, 37]
    slots = {c: [p.slot for p in figs.series(c)] for c in figs.companies}
    assert slots["Alphaco"] == slots["Junco"] == slots["Betaco"]
    assert figs.footnote == CALENDAR_QUARTERS_NOTE
    assert {c: p.period.label for c, p in figs.latest().items()} == dict.fromkeys(
        ("Alphaco", "Betaco", "Junco"), "Q4 2025"
    )


def test_calendar_years_are_the_summary_totals() -> None:
    rows = three_companies()
    figs = trend(rows, step=TrendStep.YEAR)
    totals = spend_figures(SpendLedger().extend(rows), FX, "USD").totals
    drawn = {(p.company, p.slot): p.amount for p in figs.points}
    assert drawn == {(t.company, t.year): t.amount for t in totals}
    assert drawn[("Junco", 2024)] == (30 + 31 + 32 + 33) * B
    assert drawn[("Junco", 2025)] == (34 + 35 + 36 + 37) * B


def test_fiscal_periods_of_one_company() -> None:
    figs = trend(three_companies(), basis=TrendBasis.FISCAL, companies=["Junco"])
    assert [p.period.label for p in figs.series("Junco")][:2] == ["FY2024 Q3", "FY2024 Q4"]
    years = trend(
        three_companies(), step=TrendStep.YEAR, basis=TrendBasis.FISCAL, companies=["Junco"]
    )
    assert {p.period.label: p.amount / B for p in years.points} == {
        "FY2024": 61, "FY2025": 134, "FY2026": 73,
    }  # fmt: skip
    assert years.fiscal_refused == ""
    both = trend(three_companies(), basis=TrendBasis.FISCAL, companies=["Junco", "Alphaco"])
    assert both.fiscal_refused and not both.grid.fiscal


def test_annual_and_four_quarters_count_once() -> None:
    rows = [inv("Alphaco", "2025", "80", status=Status.ESTIMATE)]
    rows += [inv("Alphaco", f"Q{q} 2025", v) for q, v in zip((1, 2, 3, 4), ("20", "21", "22", "25.2"), strict=True)]  # fmt: skip
    years = trend(rows, step=TrendStep.YEAR)
    (point,) = years.points
    assert point.amount == Decimal("88.2") * B
    assert point.soft == 0  # the estimate annual figure is replaced, not drawn
    assert any("+10%" in note for note in point.notes)
    quarters = trend(rows)
    assert [p.amount / B for p in quarters.points] == [20, 21, 22, Decimal("25.2")]
    assert quarters.bands == ()  # the annual figure is not drawn again across the quarters
    assert all("+10%" in p.notes[0] for p in quarters.points)


def test_three_quarters_and_annual_use_the_annual_figure() -> None:
    rows = [inv("Alphaco", "2025", "80")]
    rows += [inv("Alphaco", f"Q{q} 2025", "20") for q in (1, 2, 3)]
    (point,) = trend(rows, step=TrendStep.YEAR).points
    assert point.amount == 80 * B
    assert any("incomplete (3 of 4 quarters" in note for note in point.notes)
    quarters = trend(rows)
    (band,) = quarters.bands
    assert band.period.label == "2025" and band.per_slot == 20 * B
    assert band.last - band.first == 3
    assert "incomplete" in quarters.points[0].notes[0]


def test_quarters_alone_are_partial() -> None:
    rows = [inv("Alphaco", f"Q{q} 2025", "20") for q in (1, 2)]
    (point,) = trend(rows, step=TrendStep.YEAR).points
    assert point.partial and point.amount == 40 * B
    assert "2 of 4 quarters" in point.notes[0]


def test_spans_are_bands_or_spread_estimates() -> None:
    rows = [inv("Alphaco", "2025-2027", "360", currency="CNY"), inv("Alphaco", "2025", "10")]
    years = trend(rows, step=TrendStep.YEAR)
    assert [(p.slot, p.amount / B) for p in years.points] == [(2025, 10)]
    (band,) = years.bands
    assert (band.first, band.last, band.is_span) == (2025, 2027, True)
    assert round(band.per_slot / B, 6) == round(Decimal(50) / 3, 6)  # CNY 360B at 7.2, over 3
    spread = trend(rows, step=TrendStep.YEAR, spread_spans=True)
    assert spread.bands == ()
    drawn = {p.slot: p for p in spread.points}
    assert drawn[2025].amount == 10 * B and not drawn[2025].spread  # its own figure wins
    assert drawn[2026].spread and drawn[2026].soft == drawn[2026].amount == band.per_slot
    assert set(drawn) == {2025, 2026, 2027}
    quarters = trend(rows, spread_spans=True)
    assert {(b.first, b.last) for b in quarters.bands} == {
        (Grid(TrendStep.QUARTER).place(Period.calendar(y, quarter=1)),
         Grid(TrendStep.QUARTER).place(Period.calendar(y, quarter=4))) for y in (2025, 2026, 2027)
    }  # fmt: skip
    assert all(b.soft for b in quarters.bands if b.spread_from is not None)


def test_missing_rate_leaves_the_slot_out_and_says_so() -> None:
    rows = [inv("Alphaco", "Q1 2026", "5", currency="CNY"), inv("Alphaco", "Q2 2026", "5")]
    figs = trend(rows)
    assert [p.period.label for p in figs.points] == ["Q2 2026"]
    assert figs.gaps == {("Alphaco", 2026): {"no CNY rate for 2026": 1}}
    years = trend(rows, step=TrendStep.YEAR)
    assert years.points == ()  # a partial year would be a wrong point


@pytest.mark.parametrize("step", list(TrendStep))
def test_estimates_are_marked(step: TrendStep) -> None:
    rows = [inv("Alphaco", "Q1 2025", "5", status=Status.PLANNED), inv("Alphaco", "Q2 2025", "5")]
    figs = trend(rows, step=step)
    marks = [p.is_estimate for p in figs.points]
    assert marks == ([True, False] if step is TrendStep.QUARTER else [True])
