"""The no-double-count rule: a year and its parts count once; spans stay apart.

All figures here are made up for the tests; they are not any company's real capex.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from capex_gui.domain.analytics import SpendLedger, spend_figures, summarize
from capex_gui.domain.entities import Countries, FxRate, Investment, Status
from capex_gui.domain.fx import FxTable
from capex_gui.domain.period_totals import Figure, percent, select_figures
from capex_gui.domain.periods import Period, parse_period

B = Decimal(10) ** 9


def _inv(
    period: str,
    amount: str,
    *,
    company: str = "Testco",
    year_end: int = 12,
    category: str = "Data centres",
    region: str = "United States",
    currency: str = "USD",
    status: Status = Status.REPORTED,
) -> Investment:
    p = parse_period(period, year_end)
    return Investment(
        company, p.calendar_year, category, region, Decimal(amount) * B, currency,
        status=status, period=p,
    )  # fmt: skip


def _figures(items: list[Investment], *, spread: bool = False, fx: FxTable | None = None):  # type: ignore[no-untyped-def]
    return spend_figures(SpendLedger().extend(items), fx or FxTable(), "USD", spread_spans=spread)


def _totals(figs) -> dict[tuple[str, int], Decimal]:  # type: ignore[no-untyped-def]
    return {(t.company, t.year): t.amount / B for t in figs.totals}


def test_full_year_and_four_quarters_count_once_and_the_difference_is_reported() -> None:
    items = [
        _inv("FY2025", "80", status=Status.PLANNED),  # guidance
        _inv("FY25 Q1", "20"),
        _inv("FY25 Q2", "21.5"),
        _inv("FY25 Q3", "22.5"),
        _inv("FY25 Q4", "24.2"),
    ]
    figs = _figures(items)
    assert _totals(figs) == {("Testco", 2025): Decimal("88.2")}
    [rec] = figs.reconciliation
    assert (rec.company, rec.year.label, rec.category) == ("Testco", "FY2025", "Data centres")
    assert (rec.annual, rec.parts, rec.difference) == (
        80 * B,
        Decimal("88.2") * B,
        Decimal("8.2") * B,
    )
    assert rec.complete and rec.uses_parts and rec.parts_label == "4 of 4 quarters"
    assert rec.sentence("USD") == (
        "FY2025 quarters sum to USD 88.2B, the annual figure says USD 80B: +10%"
    )
    # the guidance is listed as its own period, not in the total
    listed = {p.period.label: p.counted for p in figs.periods}
    assert listed == {"FY2025": False, "FY2025 Q1": True, "FY2025 Q2": True, "FY2025 Q3": True,
                      "FY2025 Q4": True}  # fmt: skip
    assert figs.rows[0].soft_amount == 0  # the planned (guidance) figure is not drawn
    assert figs.rows[0].count == 4


def test_three_quarters_and_a_full_year_use_the_full_year_and_say_the_quarters_are_incomplete() -> (
    None
):
    items = [
        _inv("2025", "80"),
        _inv("Q1 2025", "20"),
        _inv("Q2 2025", "21"),
        _inv("Q3 2025", "22"),
    ]
    figs = _figures(items)
    assert _totals(figs) == {("Testco", 2025): Decimal(80)}
    [rec] = figs.reconciliation
    assert not rec.complete and not rec.uses_parts and rec.difference is None
    assert rec.parts_label == "3 of 4 quarters" and rec.parts == 63 * B
    assert rec.sentence("USD") == (
        "2025: the quarters are incomplete (3 of 4 quarters, USD 63B); "
        "the annual figure (USD 80B) is used"
    )
    assert [p.counted for p in figs.periods] == [True, False, False, False]


def test_parts_alone_are_summed_and_marked_partial() -> None:
    figs = _figures([_inv("Q1 2025", "20"), _inv("Q2 2025", "21"), _inv("Q4 2025", "22")])
    assert _totals(figs) == {("Testco", 2025): Decimal(63)}
    [rec] = figs.reconciliation
    assert rec.annual is None and rec.uses_parts
    assert rec.sentence("USD") == "2025: only 3 of 4 quarters (USD 63B), counted as a partial total"


def test_complete_parts_without_an_annual_figure_need_no_reconciliation() -> None:
    figs = _figures([_inv(f"Q{q} 2025", "10") for q in range(1, 5)])
    assert _totals(figs) == {("Testco", 2025): Decimal(40)}
    assert figs.reconciliation == []


def test_halves_and_quarters() -> None:
    # two halves beat the annual figure; quarters beat the half they make up
    figs = _figures([_inv("2025", "50"), _inv("H1 2025", "20"), _inv("H2 2025", "25")])
    assert _totals(figs) == {("Testco", 2025): Decimal(45)}
    assert figs.reconciliation[0].sentence("USD") == (
        "2025 halves sum to USD 45B, the annual figure says USD 50B: -10%"
    )
    figs = _figures(
        [
            _inv("2025", "50"),
            _inv("H1 2025", "20"),
            _inv("Q1 2025", "9"),
            _inv("Q2 2025", "12"),
            _inv("H2 2025", "25"),
            _inv("Q3 2025", "13"),
        ]
    )
    assert _totals(figs) == {("Testco", 2025): Decimal(46)}  # Q1 + Q2 + H2
    rec = figs.reconciliation[0]
    assert rec.parts_word == "halves and quarters" and rec.parts_label == "two halves"
    assert {p.period.label for p in figs.periods if not p.counted} == {"2025", "H1 2025", "Q3 2025"}
    # a half and a quarter of the other half: partial, by months
    figs = _figures([_inv("H1 2025", "20"), _inv("Q3 2025", "13")])
    assert figs.reconciliation[0].parts_label == "9 of 12 months"
    assert _totals(figs) == {("Testco", 2025): Decimal(33)}


def test_regions_and_categories_are_kept_apart_and_split_as_the_counted_set() -> None:
    items = [
        _inv("2025", "100", region="Global"),
        *[_inv(f"Q{q} 2025", "10", region="United States") for q in range(1, 5)],
        *[_inv(f"Q{q} 2025", "5", region="China") for q in range(1, 5)],
        _inv("2025", "7", category="Power"),
    ]
    figs = _figures(items)
    assert {(r.category, r.region): r.amount / B for r in figs.rows} == {
        ("Data centres", "China"): Decimal(20),
        ("Data centres", "United States"): Decimal(40),
        ("Power", "United States"): Decimal(7),
    }
    assert _totals(figs) == {("Testco", 2025): Decimal(67)}


def test_a_december_fiscal_year_and_the_calendar_year_are_the_same_months() -> None:
    figs = _figures([_inv("2025", "80"), *[_inv(f"FY25 Q{q}", "22") for q in range(1, 5)]])
    assert _totals(figs) == {("Testco", 2025): Decimal(88)}
    assert figs.reconciliation[0].year.label == "2025"  # named as the full-year figure was written


def test_june_fiscal_quarters_give_calendar_year_totals() -> None:
    """Made-up quarterly capex on a June fiscal year: calendar 2025 is FY25 Q3–Q4 + FY26 Q1–Q2."""
    items = [
        _inv(f"FY{fy} Q{q}", str(amount), year_end=6)
        for (fy, q), amount in zip(
            itertools.product((25, 26), (1, 2, 3, 4)), (10, 11, 12, 13, 14, 15, 16, 17), strict=True
        )
    ]
    figs = _figures(items)
    assert _totals(figs) == {
        ("Testco", 2024): Decimal(10 + 11),
        ("Testco", 2025): Decimal(12 + 13 + 14 + 15),
        ("Testco", 2026): Decimal(16 + 17),
    }
    assert figs.reconciliation == []


def test_fiscal_figures_convert_at_their_calendar_years_rate() -> None:
    fx = FxTable.from_rates([FxRate("CNY", 2024, Decimal(7)), FxRate("CNY", 2025, Decimal(8))])
    items = [_inv("FY25 Q1", "70", year_end=1, currency="CNY"),  # Feb–Apr 2024
             _inv("FY26 Q1", "80", year_end=1, currency="CNY")]  # fmt: skip
    figs = _figures(items, fx=fx)
    assert _totals(figs) == {("Testco", 2024): Decimal(10), ("Testco", 2025): Decimal(10)}


def test_spans_are_never_added_into_a_year_unless_spread() -> None:
    items = [_inv("2025–2027", "380", currency="USD"), _inv("2025", "100")]
    figs = _figures(items)
    assert _totals(figs) == {("Testco", 2025): Decimal(100)}
    assert [(p.period.label, p.counted) for p in figs.periods] == [
        ("2025–2027", False),
        ("2025", True),
    ]
    spread = _figures(items, spread=True)
    # 2025 has its own figure; 2026 and 2027 each get a third of the span, as an estimate
    third = Decimal(380) / 3
    totals = _totals(spread)
    assert totals[("Testco", 2025)] == 100
    assert abs(totals[("Testco", 2026)] - third) < Decimal("1e-40")
    assert abs(totals[("Testco", 2027)] - third) < Decimal("1e-40")
    row_2026 = next(r for r in spread.rows if r.year == 2026)
    assert row_2026.soft_amount == row_2026.amount  # drawn as an estimate
    assert row_2026.count == 0  # no row of its own


def test_summary_lists_periods_and_reconciliation() -> None:
    items = [
        _inv("FY2025", "80", year_end=6),
        *[_inv(f"FY25 Q{q}", "22", year_end=6) for q in range(1, 5)],
    ]
    summary = summarize(items, [], Countries(), FxTable(), "USD")
    assert [p.period.long_label for p in summary.spend.periods][:2] == [
        "FY2025 (Jul 2024–Jun 2025)",
        "FY2025 Q1 (Jul–Sep 2024)",
    ]
    assert summary.spend.reconciliation[0].sentence("USD").endswith("+10%")
    assert _totals(summary.spend) == {("Testco", 2024): Decimal(44), ("Testco", 2025): Decimal(44)}


def test_percent() -> None:
    assert [percent(Decimal(x)) for x in ("0.1025", "-0.025", "0.003", "0")] == [
        "+10%", "-2%", "+0.3%", "0.0%"
    ]  # fmt: skip


# -- properties ---------------------------------------------------------------------------------

_PARTS = [Period.calendar(2025), *[Period.calendar(2025, half=h) for h in (1, 2)],
          *[Period.calendar(2025, quarter=q) for q in range(1, 5)]]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(_PARTS), max_size=10),
    st.lists(st.integers(1, 100), min_size=10, max_size=10),
)
def test_no_month_is_ever_counted_twice(periods: list[Period], amounts: list[int]) -> None:
    figs = [
        Figure("Testco", p, "Data centres", "US", Decimal(a))
        for p, a in zip(periods, amounts, strict=False)
    ]
    chosen = select_figures(figs)
    assert len(chosen.counted) + len(chosen.superseded) == len(figs)
    distinct = {f.period for f in chosen.counted}
    for a, b in itertools.combinations(distinct, 2):
        assert not a.overlaps(b), (a.label, b.label)
    # the year is covered as fully as the figures allow: the whole year if a full-year figure
    # or the parts make one, else every month some part covers
    counted = {p.first_month.plus(i) for p in distinct for i in range(p.month_count)}
    union = {
        p.first_month.plus(i) for p in periods if p != _PARTS[0] for i in range(p.month_count)
    }
    assert len(counted) == (12 if _PARTS[0] in periods or len(union) == 12 else len(union))
    assert len(counted) == sum(p.month_count for p in distinct)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["FY25 Q1", "FY25 Q3", "FY2025", "Q2 2025", "2025–2026"]),
                  st.integers(1, 50), st.sampled_from(["A", "B"])),
        min_size=1, max_size=12,
    ),
    st.data(),
)  # fmt: skip
def test_deltas_equal_recomputation(specs: list[tuple[str, int, str]], data: st.DataObject) -> None:
    items = [_inv(p, str(a), company=c, year_end=6) for p, a, c in specs]
    ledger = SpendLedger().extend(items)
    removed = data.draw(st.lists(st.sampled_from(items), unique_by=id, max_size=len(items)))
    for inv in removed:
        ledger.add(inv, -1)
    kept = [i for i in items if not any(i is r for r in removed)]
    fresh = spend_figures(SpendLedger().extend(kept), FxTable(), "USD")
    incremental = spend_figures(ledger, FxTable(), "USD")
    assert incremental.rows == fresh.rows
    assert incremental.totals == fresh.totals
    assert incremental.periods == fresh.periods
    assert incremental.reconciliation == fresh.reconciliation
