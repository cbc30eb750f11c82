"""Exact money: Decimal amounts in a currency, stored as integer hundredths."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext

from capex_gui.domain.currencies import is_known_currency, minor_digits
from capex_gui.errors import ValidationError

#: Storage scale: amounts are kept as integers of 1/100 of a currency unit, whatever the currency.
STORAGE_SCALE = 100
#: Storage scale of FX rates (units per USD): ten decimal places.
RATE_SCALE = 10**10
#: Largest amount we store (a quadrillion in any currency: KRW and JPY capex reach 10^13): 10^17
#: hundredths, so SQLite's 64-bit SUM holds 92 maximal amounts in one chart group.
MAX_AMOUNT = Decimal(10) ** 15

#: Precision used for conversions and sums (far more than any amount needs).
EXACT = Context(prec=60, rounding=ROUND_HALF_EVEN)

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount in an ISO-4217 currency."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError(f"Money amount must be a Decimal, not {type(self.amount).__name__}")
        if not is_known_currency(self.currency):
            raise ValidationError(f"{self.currency!r} is not a currency code this app knows")
        if not self.amount.is_finite():
            raise ValidationError("an amount must be a finite number")

    def __str__(self) -> str:
        return f"{self.currency} {self.amount:,.{minor_digits(self.currency)}f}"


def check_storable(amount: Decimal, *, what: str = "amount") -> None:
    """Raise ValidationError unless *amount* fits storage exactly (≥ 0, ≤ 10^15, ≤ 2 decimals)."""
    if not amount.is_finite():
        raise ValidationError(f"the {what} must be a finite number")
    if amount < 0:
        raise ValidationError(f"the {what} cannot be negative")
    if amount > MAX_AMOUNT:
        raise ValidationError(f"the {what} is too large (at most {MAX_AMOUNT:,})")
    if amount != amount.quantize(CENT, context=EXACT):
        raise ValidationError(f"the {what} has more than two decimal places")


def to_minor(amount: Decimal) -> int:
    """Decimal -> integer hundredths, exactly (raises ValidationError if it does not fit)."""
    check_storable(amount)
    return int(amount * STORAGE_SCALE)


def from_minor(minor: int) -> Decimal:
    """Integer hundredths -> Decimal, exactly."""
    return Decimal(minor).scaleb(-2)


def rate_to_int(rate: Decimal) -> int:
    """FX rate -> integer of RATE_SCALE, exactly (at most ten decimals)."""
    if not rate.is_finite() or rate <= 0:
        raise ValidationError("an FX rate must be a positive number")
    scaled = rate * RATE_SCALE
    if scaled != scaled.to_integral_value():
        raise ValidationError("an FX rate may have at most ten decimal places")
    return int(scaled)


def rate_from_int(value: int) -> Decimal:
    """Integer of RATE_SCALE -> Decimal rate."""
    return strip_zeros(Decimal(value).scaleb(-10))


def strip_zeros(value: Decimal) -> Decimal:
    """7.2700 -> 7.27 and 10.00 -> 10 (never scientific notation)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize(context=EXACT)


def exact_sum(values: list[Decimal] | tuple[Decimal, ...]) -> Decimal:
    """Sum Decimals without rounding."""
    with localcontext(EXACT):
        return sum(values, Decimal(0))
