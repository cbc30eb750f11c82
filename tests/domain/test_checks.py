"""Each reconciliation check fires on bad data and clears once the data are fixed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from capex_gui.domain.checks import (
    CheckKind,
    Facts,
    Finding,
    RowRef,
    Severity,
    problems,
    run_checks,
)
from capex_gui.domain.entities import ChipOrder, Countries, FxRate, Investment, Status
from capex_gui.domain.parsing import Bound
from capex_gui.domain.periods import parse_period
from capex_gui.domain.statements import HeadlineTotal, StatedShare

BN = Decimal(10) ** 9
QUOTE_PAIR = "ByteDance has earmarked approximately RMB 40 billion, equivalent to $5.5 billion, for AI chips."
COUNTRIES = Countries({"ByteDance": "CN"}, {"Huawei": "CN", "Cambricon": "CN", "Nvidia": "US"})


def _inv(id_: int, amount: Decimal, currency: str = "USD", **kw: object) -> Investment:
    base = {
        "company": "ByteDance",
        "year": 2025,
        "category": "AI chips",
        "region": "China",
        "source": "FT",
    }
    base.update(kw)
    return Investment(amount=amount, currency=currency, id=id_, **base)  # type: ignore[arg-type]


def _order(
    id_: int, supplier: str, value: Decimal | None, units: int | None = None, **kw: object
) -> ChipOrder:
    base = {
        "company": "ByteDance",
        "year": 2025,
        "region": "China",
        "source": "FT",
        "currency": "CNY" if value is not None else None,
    }
    base.update(kw)
    return ChipOrder(supplier=supplier, value=value, units=units, id=id_, **base)  # type: ignore[arg-type]


def _sample_like() -> Facts:
    return Facts(
        investments=[
            _inv(1, 40 * BN, "CNY", quote=QUOTE_PAIR),
            _inv(2, Decimal("6.8") * BN, category="Model-training capacity", region="Overseas"),
        ],
        fx_rates=[FxRate("CNY", 2025, Decimal("7.27"), id=1)],
        headlines=[
            HeadlineTotal(
                "ByteDance", 2025, 12 * BN, "USD", bound=Bound.AT_LEAST, source="FT", id=1
            )
        ],
        shares=[
            StatedShare(
                "ByteDance",
                2025,
                Decimal("0.6"),
                "China",
                "domestic",
                ("Huawei", "Cambricon"),
                bound=Bound.ABOUT,
                source="FT",
                id=1,
            )
        ],
        countries=COUNTRIES,
    )


def _only(findings: list[Finding], check: CheckKind) -> list[Finding]:
    return [f for f in findings if f.check is check]


def test_the_sample_figures_are_consistent() -> None:
    findings = run_checks(_sample_like())
    (head,) = _only(findings, CheckKind.HEADLINE)
    assert head.severity is Severity.OK
    assert "12.3B ≥ the headline more than USD 12B: consistent" in head.message
    assert head.rows == (RowRef("headlines", 1), RowRef("investments", 1), RowRef("investments", 2))
    (fx,) = _only(findings, CheckKind.FX)
    assert fx.severity is Severity.OK and "7.27" in fx.message
    assert not [f for f in findings if f.severity is Severity.HARD]


def test_headline_fires_when_the_parts_exceed_it_and_clears_when_fixed() -> None:
    facts = _sample_like()
    exact = replace(
        facts, headlines=[replace(facts.headlines[0], amount=10 * BN, bound=Bound.EXACT)]
    )
    (head,) = _only(run_checks(exact), CheckKind.HEADLINE)
    assert head.severity is Severity.HARD
    assert "USD 2.3B more than the headline USD 10B" in head.message
    fixed = replace(exact, headlines=[replace(exact.headlines[0], amount=Decimal("12.3") * BN)])
    assert _only(run_checks(fixed), CheckKind.HEADLINE)[0].severity is Severity.OK


def test_headline_notes_missing_parts_and_a_missing_rate() -> None:
    facts = _sample_like()
    short = replace(facts, investments=[facts.investments[1]])
    (head,) = _only(run_checks(short), CheckKind.HEADLINE)
    assert head.severity is Severity.NOTE and "short of the headline" in head.message
    no_rate = replace(facts, fx_rates=[])
    (head,) = _only(run_checks(no_rate), CheckKind.HEADLINE)
    assert head.severity is Severity.NOTE and "no CNY rate for 2025" in head.message


def test_fx_fires_beyond_two_percent_and_clears_when_fixed() -> None:
    facts = _sample_like()
    off = replace(facts, fx_rates=[FxRate("CNY", 2025, Decimal("7.10"), id=1)])
    (fx,) = _only(run_checks(off), CheckKind.FX)
    assert fx.severity is Severity.HARD
    assert fx.rows == (RowRef("investments", 1), RowRef("fx_rates", 1))
    assert "-2.3%" in fx.message
    near = replace(facts, fx_rates=[FxRate("CNY", 2025, Decimal("7.20"), id=1)])  # -1.0%
    assert _only(run_checks(near), CheckKind.FX)[0].severity is Severity.OK
    missing = replace(facts, fx_rates=[])
    (fx,) = _only(run_checks(missing), CheckKind.FX)
    assert fx.severity is Severity.NOTE and "no CNY rate for 2025" in fx.message


def test_unit_price_fires_and_clears() -> None:
    quote = "Tencent ordered 10,000 H20 GPUs at $15,000 each, worth $120 million."
    order = _order(7, "Nvidia", Decimal(120 * 10**6), 10_000, currency="USD", quote=quote)
    (f,) = _only(run_checks(Facts(chip_orders=[order])), CheckKind.UNIT_PRICE)
    assert f.severity is Severity.HARD and f.rows == (RowRef("chip_orders", 7),)
    assert "10,000 × $15,000 = USD 150M" in f.message
    fixed = replace(order, value=Decimal(150 * 10**6))
    assert (
        _only(run_checks(Facts(chip_orders=[fixed])), CheckKind.UNIT_PRICE)[0].severity
        is Severity.OK
    )


def test_stated_share_fires_against_the_orders_and_clears() -> None:
    facts = _sample_like()
    orders = [
        _order(1, "Huawei", Decimal(10 * BN)),
        _order(2, "Cambricon", 10 * BN),
        _order(3, "Nvidia", 20 * BN),
    ]
    (f,) = _only(run_checks(replace(facts, chip_orders=orders)), CheckKind.SHARE)
    assert f.severity is Severity.HARD and "the chip orders give 50.0%" in f.message
    assert RowRef("stated_shares", 1) in f.rows and RowRef("chip_orders", 3) in f.rows
    orders[2] = replace(
        orders[2], value=Decimal(16 * BN) - Decimal(2 * BN) - Decimal(700 * 10**6)
    )  # 13.3bn
    (f,) = _only(run_checks(replace(facts, chip_orders=orders)), CheckKind.SHARE)
    assert f.severity is Severity.OK, f.message
    # no orders at all: a note, not an inconsistency
    assert _only(run_checks(facts), CheckKind.SHARE)[0].severity is Severity.NOTE


def test_stated_share_of_named_suppliers() -> None:
    share = StatedShare(
        "ByteDance", 2025, Decimal("0.25"), suppliers=("Nvidia",), source="FT", id=4
    )
    orders = [_order(1, "Huawei", 30 * BN), _order(2, "Nvidia", 10 * BN)]
    facts = Facts(
        chip_orders=orders,
        shares=[share],
        fx_rates=[FxRate("CNY", 2025, Decimal(7))],
        countries=COUNTRIES,
    )
    assert _only(run_checks(facts), CheckKind.SHARE)[0].severity is Severity.OK
    fewer = replace(facts, chip_orders=[orders[0], replace(orders[1], value=20 * BN)])
    assert _only(run_checks(fewer), CheckKind.SHARE)[0].severity is Severity.HARD


def test_figures_without_a_source_fire_and_clear() -> None:
    facts = _sample_like()
    bare = replace(
        facts, investments=[replace(facts.investments[0], source=" "), facts.investments[1]]
    )
    (f,) = _only(run_checks(bare), CheckKind.NO_SOURCE)
    assert f.severity is Severity.NOTE and f.rows == (RowRef("investments", 1),)
    assert f.message == "1 investment without a source"
    assert not _only(run_checks(facts), CheckKind.NO_SOURCE)


def test_duplicates_fire_and_clear() -> None:
    facts = _sample_like()
    twin = replace(facts.investments[1], id=9)
    doubled = replace(facts, investments=[*facts.investments, twin])
    findings = run_checks(doubled)
    (f,) = _only(findings, CheckKind.DUPLICATE)
    assert f.severity is Severity.HARD and f.rows == (
        RowRef("investments", 2),
        RowRef("investments", 9),
    )
    assert problems(findings)[0] is f  # hard ones first
    other_source = replace(facts, investments=[*facts.investments, replace(twin, source="Reuters")])
    assert not _only(run_checks(other_source), CheckKind.DUPLICATE)


def test_stale_estimate_fires_and_clears() -> None:
    old = _inv(5, 30 * BN, "CNY", status=Status.ESTIMATE, reported_on=date(2024, 11, 1))
    new = _inv(6, 40 * BN, "CNY", reported_on=date(2025, 1, 20))
    (f,) = _only(run_checks(Facts(investments=[old, new])), CheckKind.STALE_ESTIMATE)
    assert f.severity is Severity.HARD and f.rows == (
        RowRef("investments", 5),
        RowRef("investments", 6),
    )
    assert "estimate CNY 30B is older than the reported CNY 40B" in f.message
    # an estimate made after the report is a newer view, not a stale one
    later = replace(old, reported_on=date(2025, 3, 1))
    assert not _only(run_checks(Facts(investments=[later, new])), CheckKind.STALE_ESTIMATE)
    assert not _only(run_checks(Facts(investments=[new])), CheckKind.STALE_ESTIMATE)


def _q(id_: int, label: str, amount: Decimal, **kw: object) -> Investment:
    period = parse_period(label)
    return _inv(id_, amount, company="Microsoft", category="Data centres", region="Global",
                year=period.calendar_year, period=period, **kw)  # fmt: skip


def test_quarters_against_the_full_year_fire_and_clear() -> None:
    quarters = [_q(10 + n, f"Q{n} 2025", 22 * BN) for n in range(1, 5)]
    annual = _q(20, "2025", 80 * BN)
    (f,) = _only(run_checks(Facts(investments=[*quarters, annual])), CheckKind.QUARTERS)
    assert f.severity is Severity.HARD
    assert "2025 quarters sum to USD 88B, the annual figure says USD 80B: +10%" in f.message
    assert {r.id for r in f.rows} == {11, 12, 13, 14, 20}
    # guidance (a plan) that the quarters overtook is a note, not a contradiction
    guidance = replace(annual, status=Status.PLANNED)
    (f,) = _only(run_checks(Facts(investments=[*quarters, guidance])), CheckKind.QUARTERS)
    assert f.severity is Severity.NOTE
    fixed = replace(annual, amount=88 * BN)
    (f,) = _only(run_checks(Facts(investments=[*quarters, fixed])), CheckKind.QUARTERS)
    assert f.severity is Severity.OK
    (f,) = _only(run_checks(Facts(investments=[*quarters[:3], fixed])), CheckKind.QUARTERS)
    assert f.severity is Severity.NOTE and "incomplete (3 of 4 quarters" in f.message


def test_a_headline_counts_a_year_and_its_quarters_once() -> None:
    quarters = [_q(10 + n, f"Q{n} 2025", 22 * BN) for n in range(1, 5)]
    annual = _q(20, "2025", 88 * BN)
    head = HeadlineTotal("Microsoft", 2025, 80 * BN, "USD", bound=Bound.AT_LEAST, source="FT", id=3)
    (f,) = _only(run_checks(Facts(investments=[*quarters, annual], headlines=[head])), CheckKind.HEADLINE)
    assert f.severity is Severity.OK and "the parts sum to USD 88B ≥" in f.message
