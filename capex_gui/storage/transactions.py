"""Transactions: one per call, database errors turned into sentences (ConstraintError,
StorageError), for the repository and for workers reading on their own threads."""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from capex_gui.errors import (
    CapexError,
    ConnectionLostError,
    ConstraintError,
    DamagedDatabaseError,
    StorageError,
    ValidationError,
)
from capex_gui.storage import postgresql, sqlite
from capex_gui.storage.changes import LOCK_WAIT_S

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy import Engine

logger = logging.getLogger(__name__)

#: Constraint name fragment -> what to tell the user.
_CONSTRAINT_MESSAGES = {
    "year_range": "the year is outside 1990–2100",
    "known_currency": "the currency is not one this app knows",
    "known_status": "the status must be planned, reported, confirmed or estimate",
    "known_bound": "the qualifier must be exact, about, at least or at most",
    "amount_nonneg": "the amount cannot be negative",
    "units_nonneg": "units cannot be negative",
    "value_nonneg": "the value cannot be negative",
    "units_or_value": "a chip order needs units, a value, or both",
    "value_currency": "a value needs a currency",
    "range_order": "the low end of the range is above the high end",
    "rate_positive": "an FX rate must be positive",
    "country_code": "a country must be a two-letter ISO code",
    "fiscal_year_end": "a fiscal year ends in a month from 1 to 12",
    "period_": "the period is not a whole year, half, quarter or span of years",
    "FOREIGN KEY": "it is still used by other rows",
    "UNIQUE constraint failed: companies.name": "a company of that name exists already",
    "UNIQUE constraint failed: suppliers.name": "a supplier of that name exists already",
    "UNIQUE constraint failed: categories.name": "that category exists already",
    "UNIQUE constraint failed: regions.name": "that region exists already",
    "uq_companies_name": "a company of that name exists already",
    "uq_suppliers_name": "a supplier of that name exists already",
    "uq_categories_name": "that category exists already",
    "uq_regions_name": "that region exists already",
    "uq_fx_rates_currency_year": "there is a rate for that currency and year already",
    "UNIQUE constraint failed: fx_rates": "there is a rate for that currency and year already",
    "foreign key": "it is still used by other rows",
}


_LOCKED = re.compile(r"locked|busy|lock timeout", re.IGNORECASE)


def _storage_message(orig: BaseException | None) -> str:
    """One sentence for an environmental database failure (disk full, read-only, damaged...)."""
    reason = sqlite.explain(orig) or postgresql.explain(orig)
    if reason:
        return reason[0].upper() + reason[1:] + "."
    return f"The database could not be used: {orig}"


def _failure(orig: BaseException | None, *, write: bool) -> StorageError:
    """The error to raise for a driver failure: a lost connection is its own kind
    (ConnectionLostError), a damaged file DamagedDatabaseError, else StorageError."""
    if postgresql.is_connection_error(orig):
        if write:
            return ConnectionLostError(
                "Not saved: the connection to the database server was lost or cannot be made. "
                "Once it is back, the table shows what the server holds."
            )
        return ConnectionLostError(
            "The database server cannot be reached (is it running, and the network up?)."
        )
    kind = DamagedDatabaseError if sqlite.is_damage(orig) else StorageError
    return kind(_storage_message(orig))


def _explain(exc: IntegrityError) -> str:
    text = str(exc.orig)
    for fragment, message in _CONSTRAINT_MESSAGES.items():
        if fragment in text:
            return message
    return f"the database refused the change ({text})"


@contextmanager
def transaction(engine: Engine, *, write: bool = False) -> Iterator[Session]:
    """One transaction on *engine*; database errors become ConstraintError / StorageError.

    A *write* transaction (on an engine with the write intent) takes the write lock as it
    begins, so it waits for another writer (up to the busy timeout) instead of failing when it
    writes what it read. Readers on other threads (workers) each get their own connection.
    """
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            yield session
    except IntegrityError as exc:
        raise ConstraintError(f"Not saved: {_explain(exc)}.") from exc
    except OperationalError as exc:
        if _LOCKED.search(str(exc.orig)):
            raise StorageError(
                "Not saved: another program kept the database locked for more than "
                f"{LOCK_WAIT_S:g} seconds; try again."
            ) from exc
        raise _failure(exc.orig, write=write) from exc
    except DBAPIError as exc:  # e.g. "database disk image is malformed"
        raise _failure(exc.orig, write=write) from exc
    except StaleDataError as exc:  # a version moved under a write (cannot under our lock)
        raise StorageError(
            "Not saved: the row was changed by someone else meanwhile; try again."
        ) from exc
    except SQLAlchemyError as exc:
        raise StorageError(f"The database could not be used: {exc}") from exc
    except ValidationError as exc:
        if write:
            raise
        # a value read back breaks a rule every write enforces: the file was changed
        # behind our back (a flipped bit, another program)
        raise DamagedDatabaseError(
            f"The database file is damaged: a stored value breaks a rule ({exc}); restore a backup."
        ) from exc
    except (UnicodeDecodeError, ValueError, OverflowError) as exc:
        if isinstance(exc, CapexError):
            raise
        # bytes in the file that are not a value of their column: damage, not a bug of ours
        logger.info("unreadable value in the database", exc_info=True)
        raise DamagedDatabaseError(
            "The database file is damaged (a stored value cannot be read); restore a backup."
        ) from exc
