"""Currency conversion at the rate of each figure's year."""

from __future__ import annotations

from decimal import Decimal, localcontext
from typing import TYPE_CHECKING

from capex_gui.domain.money import EXACT
from capex_gui.errors import MissingRateError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from capex_gui.domain.entities import FxRate


class FxTable:
    """Rates as units of a currency per US dollar, by (currency, year). USD is always 1."""

    def __init__(self, rates: Mapping[tuple[str, int], Decimal] | None = None) -> None:
        self._rates: dict[tuple[str, int], Decimal] = dict(rates or {})

    @classmethod
    def from_rates(cls, rates: Iterable[FxRate]) -> FxTable:
        """Build from FxRate entities."""
        return cls({(r.currency, r.year): r.units_per_usd for r in rates})

    def rate(self, currency: str, year: int) -> Decimal:
        """Units of *currency* per USD in *year*; raises MissingRateError when unknown."""
        if currency == "USD":
            return Decimal(1)
        try:
            return self._rates[(currency, year)]
        except KeyError:
            raise MissingRateError(currency, year) from None

    def has_rate(self, currency: str, year: int) -> bool:
        """True when *currency* can be converted in *year*."""
        return currency == "USD" or (currency, year) in self._rates

    def convert(self, amount: Decimal, currency: str, year: int, target: str) -> Decimal:
        """*amount* of *currency* in *target* currency at *year*'s rates, exactly (60 digits)."""
        if currency == target:
            return amount
        with localcontext(EXACT):
            usd = amount / self.rate(currency, year)
            return usd * self.rate(target, year)

    def set(self, currency: str, year: int, units_per_usd: Decimal) -> None:
        """Add or replace one rate."""
        self._rates[(currency, year)] = units_per_usd

    def remove(self, currency: str, year: int) -> None:
        """Forget one rate (no error if absent)."""
        self._rates.pop((currency, year), None)

    def items(self) -> list[tuple[tuple[str, int], Decimal]]:
        """All rates, sorted by currency and year."""
        return sorted(self._rates.items())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FxTable) and self._rates == other._rates

    __hash__ = None  # type: ignore[assignment]
