"""Entity rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from capex_gui.domain.entities import (
    ChipOrder,
    Company,
    Countries,
    FxRate,
    Investment,
    Origin,
    Status,
)
from capex_gui.errors import ValidationError


def _inv(**kw: object) -> Investment:
    base: dict[str, object] = {
        "company": "ByteDance",
        "year": 2025,
        "category": "AI chips",
        "region": "China",
        "amount": Decimal(1),
        "currency": "CNY",
    }
    base.update(kw)
    return Investment(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"year": 1800}, "between 1990 and 2100"),
        ({"currency": "XXX"}, "not a currency code"),
        ({"amount": Decimal(-5)}, "cannot be negative"),
        ({"amount": Decimal("1.234")}, "more than two decimal places"),
        (
            {"amount_low": Decimal(5), "amount_high": Decimal(2), "amount": Decimal(3)},
            "above the high",
        ),
        ({"amount_low": Decimal(5)}, "below the low end"),
    ],
)
def test_investment_rules(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _inv(**changes)


def test_chip_order_needs_units_or_value() -> None:
    with pytest.raises(ValidationError, match="units, a value, or both"):
        ChipOrder("ByteDance", 2025, "China", "Nvidia")
    with pytest.raises(ValidationError, match="needs a currency"):
        ChipOrder("ByteDance", 2025, "China", "Nvidia", value=Decimal(1))
    with pytest.raises(ValidationError, match="negative"):
        ChipOrder("ByteDance", 2025, "China", "Nvidia", units=-1)


def test_unit_price_is_derived_exactly() -> None:
    order = ChipOrder("B", 2025, "China", "Nvidia", units=4, value=Decimal(10), currency="USD")
    assert order.unit_price == Decimal("2.5")
    thirds = ChipOrder("B", 2025, "China", "Nvidia", units=3, value=Decimal(10), currency="USD")
    assert thirds.unit_price is not None
    assert thirds.unit_price.quantize(Decimal("0.01")) == Decimal("3.33")
    assert ChipOrder("B", 2025, "China", "Nvidia", units=3).unit_price is None
    assert (
        ChipOrder("B", 2025, "China", "N", units=0, value=Decimal(1), currency="USD").unit_price
        is None
    )


def test_origin_is_derived_from_countries() -> None:
    countries = Countries({"ByteDance": "CN"}, {"Huawei": "CN", "Nvidia": "US"})
    assert (
        countries.origin(ChipOrder("ByteDance", 2025, "China", "Huawei", units=1))
        is Origin.DOMESTIC
    )
    assert (
        countries.origin(ChipOrder("ByteDance", 2025, "China", "Nvidia", units=1))
        is Origin.IMPORTED
    )
    assert countries.origin(ChipOrder("Nobody", 2025, "China", "Nvidia", units=1)) is None


def test_names_and_countries_are_checked() -> None:
    with pytest.raises(ValidationError, match="two-letter"):
        Company("ByteDance", "China")
    with pytest.raises(ValidationError, match="cannot be empty"):
        Company("  ", "CN")
    with pytest.raises(ValidationError, match="positive"):
        FxRate("CNY", 2025, Decimal(0))
    assert Status.ESTIMATE.is_soft and not Status.REPORTED.is_soft


def test_a_figure_without_a_period_covers_its_calendar_year() -> None:
    from capex_gui.domain.periods import Period

    assert _inv().period == Period.calendar(2025)
    order = ChipOrder("ByteDance", 2024, "China", "Nvidia", units=1)
    assert order.period == Period.calendar(2024)


def test_period_and_year_agree() -> None:
    from capex_gui.domain.periods import parse_period

    nvidia_fy25 = parse_period("FY2025", fiscal_year_end_month=1)  # Feb 2024 – Jan 2025
    inv = _inv(year=2024, period=nvidia_fy25)
    assert inv.year == 2024
    with pytest.raises(ValidationError, match="FY2025 counts in 2024, not 2025"):
        _inv(year=2025, period=nvidia_fy25)
    with pytest.raises(TypeError, match="period must be a Period"):
        _inv(period="2025")
    # changing the period sets the year; changing the year moves the period
    q3 = parse_period("FY25 Q3", fiscal_year_end_month=6)
    assert inv.with_changes(period=q3).year == 2025
    assert inv.with_changes(period=q3).with_changes(year=2023).period.label == "FY2023 Q3"
    assert inv.with_changes(year=2026).period.label == "FY2027"
    with pytest.raises(ValidationError, match="counts in 2025, not 2024"):
        inv.with_changes(period=q3, year=2024)


def test_company_fiscal_year_end() -> None:
    assert Company("ByteDance", "CN").fiscal_year_end_month == 12
    assert Company("Microsoft", "US", fiscal_year_end_month=6).fiscal_year_end_month == 6
    with pytest.raises(ValidationError, match="a fiscal year ends in a month from 1 to 12, not 0"):
        Company("Microsoft", "US", fiscal_year_end_month=0)
