"""Exception types: user-correctable input errors vs. environmental storage failures."""

from __future__ import annotations


class CapexError(Exception):
    """Base of every error this app raises on purpose."""


class ValidationError(CapexError, ValueError):
    """Input that breaks a rule; the message tells the user what to fix."""


class AmountParseError(ValidationError):
    """Text that cannot be read as an amount or a unit count."""


class MissingRateError(CapexError, LookupError):
    """No FX rate for a currency in a year ("no CNY rate for 2026")."""

    def __init__(self, currency: str, year: int) -> None:
        super().__init__(f"no {currency} rate for {year}")
        self.currency = currency
        self.year = year


class StorageError(CapexError):
    """The database could not be opened, read or written (locked, foreign, missing, newer...)."""


class ForeignDatabaseError(StorageError):
    """The file is a database, but not one of ours."""


class DamagedDatabaseError(StorageError):
    """The file is (or was) one of ours, but its content is damaged; it was not opened."""


class NewerSchemaError(StorageError):
    """The database was written by a newer version of the app."""


class ConstraintError(StorageError, ValidationError):
    """A write broke a database rule (unknown company, negative units...); nothing was written."""


class PeriodParseError(ValidationError):
    """Text that cannot be read as a period (a year, half, quarter or span of years)."""
