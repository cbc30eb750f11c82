"""Exception types: user-correctable input errors vs. environmental storage failures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence


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


class ConnectionLostError(StorageError):
    """The database server could not be reached, or the connection to it dropped."""


class PasswordRequiredError(StorageError):
    """The database server asked for a password the connection did not give, or refused it."""


class NewerSchemaError(StorageError):
    """The database was written by a newer version of the app."""


class ConstraintError(StorageError, ValidationError):
    """A write broke a database rule (unknown company, negative units...); nothing was written."""


class PeriodParseError(ValidationError):
    """Text that cannot be read as a period (a year, half, quarter or span of years)."""


@dataclass(frozen=True)
class FieldConflict:
    """One field two people changed: what the user saw, typed, and what is stored now."""

    field: str
    seen: object
    yours: object
    theirs: object


@dataclass(frozen=True)
class RowConflict:
    """A row that changed since the user saw it, in a way their change would overwrite.

    ``yours`` is None when the user deleted the row; ``theirs`` is None when someone else did.
    Entities are Investment / ChipOrder / FxRate values (``Any`` keeps this module domain-free).
    """

    table: str
    row_id: int
    seen: Any
    yours: Any
    theirs: Any
    fields: tuple[FieldConflict, ...] = ()

    @property
    def deleted_by_them(self) -> bool:
        """Someone else deleted the row the user changed."""
        return self.theirs is None

    @property
    def deleted_by_you(self) -> bool:
        """The user deleted a row someone else changed."""
        return self.yours is None


class ConflictError(CapexError):
    """A change was refused because another writer changed the same row first; nothing written.

    Carries every conflicting row of the change (a paste may have several), with the user's
    values and the stored ones, so the window can show both and let the user choose.
    """

    def __init__(self, rows: Sequence[RowConflict], message: str | None = None) -> None:
        self.rows = tuple(rows)
        super().__init__(message or describe_conflicts(self.rows))


def _shown(value: object) -> str:
    text = "" if value is None else str(getattr(value, "value", value))
    return f"“{text}”" if text else "empty"


def field_label(name: str) -> str:
    """A field's name as users read it ("source_url" -> "source URL")."""
    return {
        "source_url": "source URL",
        "amount_low": "low end",
        "amount_high": "high end",
        "units_per_usd": "rate",
    }.get(name, name.replace("_", " "))


def describe_conflicts(rows: Sequence[RowConflict]) -> str:
    """One sentence about the first conflict (and how many more there are)."""
    if not rows:
        return "Not saved: someone else changed the data meanwhile."
    first = rows[0]
    if first.deleted_by_them:
        text = "Not saved: someone else deleted this row meanwhile"
    elif first.deleted_by_you:
        text = "Not deleted: someone else changed this row meanwhile"
    elif first.fields:
        f = first.fields[0]
        text = (
            f"Not saved: someone else changed {field_label(f.field)} to {_shown(f.theirs)} "
            f"meanwhile (yours: {_shown(f.yours)})"
        )
    else:
        text = "Not saved: someone else changed this row meanwhile"
    more = len(rows) - 1 + (len(first.fields) - 1 if first.fields else 0)
    return text + (f", and {more} more conflict{'s' if more != 1 else ''}." if more else ".")
