"""ISO-4217 currencies the app accepts, with their minor-unit digits."""

from __future__ import annotations

#: ISO-4217 code -> number of minor-unit digits (cents = 2, yen = 0).
MINOR_UNITS: dict[str, int] = {
    "USD": 2,
    "CNY": 2,
    "EUR": 2,
    "GBP": 2,
    "JPY": 0,
    "KRW": 0,
    "TWD": 2,
    "HKD": 2,
    "SGD": 2,
    "INR": 2,
    "CHF": 2,
    "CAD": 2,
    "AUD": 2,
    "SEK": 2,
    "NOK": 2,
    "DKK": 2,
    "SAR": 2,
    "AED": 2,
    "ILS": 2,
    "BRL": 2,
    "MXN": 2,
    "MYR": 2,
    "IDR": 2,
    "THB": 2,
    "VND": 0,
    "PLN": 2,
    "CZK": 2,
    "ZAR": 2,
    "NZD": 2,
    "RUB": 2,
    "TRY": 2,
    "QAR": 2,
}

#: Codes accepted in storage (a CHECK constraint lists these).
KNOWN_CURRENCIES: tuple[str, ...] = tuple(sorted(MINOR_UNITS))

#: The currency charts and totals are shown in unless the user picks another.
DEFAULT_DISPLAY_CURRENCY = "USD"


def is_known_currency(code: str) -> bool:
    """True when *code* is an ISO-4217 code this app accepts."""
    return code in MINOR_UNITS


def minor_digits(code: str) -> int:
    """Digits after the decimal point for *code* (KeyError for an unknown code)."""
    return MINOR_UNITS[code]
