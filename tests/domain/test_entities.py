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
