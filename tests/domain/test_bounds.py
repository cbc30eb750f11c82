"""Values are bounded where they are typed, so the database's 64-bit sums cannot overflow."""

from __future__ import annotations

from decimal import Decimal

import pytest

from capex_gui.domain.entities import ChipOrder
from capex_gui.domain.money import MAX_AMOUNT
from capex_gui.domain.parsing import MAX_UNITS, parse_units
from capex_gui.errors import AmountParseError, ValidationError

INT64_MAX = 2**63 - 1


def test_the_bounds_leave_room_for_sums() -> None:
    assert MAX_UNITS * 1_000_000 < INT64_MAX  # a million maximal orders in one group
    assert int(MAX_AMOUNT * 100) * 90 < INT64_MAX  # ninety maximal amounts in one group


@pytest.mark.parametrize(
    "text", ["10^18", "1,000,000,000,000,000,000", "1000000T", "1,000,000,000,001"]
)
def test_typed_unit_counts_above_the_bound_are_refused(text: str) -> None:
    with pytest.raises(AmountParseError):
        parse_units(text)


def test_the_bound_itself_is_accepted() -> None:
    assert parse_units("1,000,000,000,000") == (MAX_UNITS, parse_units("1")[1])
    assert parse_units("1000bn")[0] == MAX_UNITS


def test_a_chip_order_refuses_more_units_than_the_bound() -> None:
    with pytest.raises(ValidationError, match="too many"):
        ChipOrder("ByteDance", 2025, "China", "Nvidia", units=10**18)
    with pytest.raises(ValidationError, match="too large"):
        ChipOrder("ByteDance", 2025, "China", "Nvidia", value=Decimal(10) ** 18, currency="USD")
    ChipOrder("ByteDance", 2025, "China", "Nvidia", units=MAX_UNITS)
