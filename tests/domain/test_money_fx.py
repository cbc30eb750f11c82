"""Exact money and FX conversion."""

from __future__ import annotations

from decimal import Context, Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from capex_gui.domain.entities import FxRate
from capex_gui.domain.fx import FxTable
from capex_gui.domain.money import (
    exact_sum,
    from_minor,
    rate_from_int,
    rate_to_int,
    to_minor,
)
from capex_gui.errors import MissingRateError, ValidationError

cents = st.integers(min_value=0, max_value=10**17).map(lambda n: Decimal(n).scaleb(-2))


def test_largest_amount_round_trips_exactly() -> None:
    big = Decimal("99999999999999.99")
    assert from_minor(to_minor(big)) == big
    assert to_minor(big) == 9999999999999999


@given(cents)
def test_minor_units_round_trip(value: Decimal) -> None:
    assert from_minor(to_minor(value)) == value


def test_sum_of_many_amounts_is_exact() -> None:
    # A million dimes make exactly 100,000, and the largest amounts add up to the cent.
    dimes = [Decimal("0.10")] * 1_000_000
    assert exact_sum(dimes) == Decimal("100000.00")
    assert exact_sum([Decimal("99999999999999.99")] * 1000) == Decimal("99999999999999990.00")
    # Exact whatever decimal context the caller runs in: summing in this 6-digit context
    # would round 1,234,567.89 + 0.01 to 1.23457E+6 and lose the 10**-40 share entirely.
    with localcontext(Context(prec=6)):
        assert exact_sum([Decimal("1234567.89"), Decimal("0.01")]) == Decimal("1234567.90")
        assert exact_sum((Decimal(10) ** 15, Decimal("1e-40"))) == Decimal(
            "1000000000000000.0000000000000000000000000000000000000001"
        )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (Decimal("-1"), "cannot be negative"),
        (Decimal("0.001"), "more than two decimal places"),
        (Decimal(10) ** 16, "too large"),
        (Decimal("NaN"), "finite"),
    ],
)
def test_unstorable_amounts_are_refused(value: Decimal, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        to_minor(value)


def test_rate_round_trip_and_display() -> None:
    assert rate_from_int(rate_to_int(Decimal("7.27"))) == Decimal("7.27")
    assert str(rate_from_int(rate_to_int(Decimal("10")))) == "10"
    with pytest.raises(ValidationError, match="ten decimal"):
        rate_to_int(Decimal("1.00000000001"))
    with pytest.raises(ValidationError, match="positive"):
        rate_to_int(Decimal(0))


def test_convert_with_a_rate() -> None:
    fx = FxTable.from_rates(
        [FxRate("CNY", 2025, Decimal("7.27")), FxRate("EUR", 2025, Decimal("0.9"))]
    )
    usd = fx.convert(Decimal(40_000_000_000), "CNY", 2025, "USD")
    assert usd.quantize(Decimal("0.01")) == Decimal("5502063273.73")
    assert fx.convert(Decimal(100), "USD", 2025, "USD") == Decimal(100)
    assert fx.convert(Decimal(90), "EUR", 2025, "USD") == Decimal(100)
    assert fx.convert(Decimal(100), "USD", 2025, "CNY") == Decimal("727")
    assert fx.convert(Decimal(727), "CNY", 2025, "EUR") == Decimal(90)


def test_convert_without_a_rate_names_it() -> None:
    fx = FxTable.from_rates([FxRate("CNY", 2025, Decimal("7.27"))])
    with pytest.raises(MissingRateError, match="no CNY rate for 2026") as info:
        fx.convert(Decimal(1), "CNY", 2026, "USD")
    assert (info.value.currency, info.value.year) == ("CNY", 2026)
    with pytest.raises(MissingRateError, match="no EUR rate for 2025"):
        fx.convert(Decimal(1), "USD", 2025, "EUR")
    assert not fx.has_rate("CNY", 2026)
    assert fx.has_rate("USD", 1999)
