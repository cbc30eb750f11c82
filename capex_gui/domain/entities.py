"""Entities the app keeps: companies, suppliers, investments, chip orders, FX rates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Self

from capex_gui.domain.currencies import is_known_currency
from capex_gui.domain.money import check_storable
from capex_gui.domain.parsing import MAX_UNITS, Bound
from capex_gui.domain.periods import Period, check_year_end_month
from capex_gui.errors import ValidationError

if TYPE_CHECKING:
    from datetime import date
    from decimal import Decimal

#: Years a figure may belong to.
MIN_YEAR = 1990
MAX_YEAR = 2100

#: Investment categories every new database starts with; users may add more.
DEFAULT_CATEGORIES: tuple[str, ...] = (
    "AI chips",
    "Data centres",
    "Model-training capacity",
    "Networking",
    "Power",
    "Other",
)

#: Regions every new database starts with; users may add more.
DEFAULT_REGIONS: tuple[str, ...] = ("China", "Overseas", "United States", "Global")

_COUNTRY = re.compile(r"^[A-Z]{2}$")


class Status(StrEnum):
    """How firm a figure is."""

    PLANNED = "planned"
    REPORTED = "reported"
    CONFIRMED = "confirmed"
    ESTIMATE = "estimate"

    @property
    def is_soft(self) -> bool:
        """Estimates and plans are drawn distinguishably in charts."""
        return self in (Status.PLANNED, Status.ESTIMATE)


class Origin(StrEnum):
    """Whether a chip order comes from a supplier in the buyer's own country."""

    DOMESTIC = "domestic"
    IMPORTED = "imported"


def check_year(year: int) -> None:
    """Raise ValidationError unless MIN_YEAR ≤ year ≤ MAX_YEAR."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(f"the year must be between {MIN_YEAR} and {MAX_YEAR}, not {year}")


def check_country(code: str) -> None:
    """Raise ValidationError unless *code* looks like an ISO 3166 alpha-2 code."""
    if not _COUNTRY.match(code):
        raise ValidationError(f"{code!r} is not a two-letter ISO country code such as CN or US")


def check_name(name: str, what: str) -> None:
    """Raise ValidationError for an empty or over-long name."""
    if not name.strip():
        raise ValidationError(f"the {what} name cannot be empty")
    if len(name) > 200:
        raise ValidationError(f"the {what} name is too long (at most 200 characters)")


def check_currency(code: str) -> None:
    """Raise ValidationError unless *code* is a known ISO-4217 code."""
    if not is_known_currency(code):
        raise ValidationError(f"{code!r} is not a currency code this app knows")


class _Entity:
    """Shared helpers of the frozen entity dataclasses."""

    __slots__ = ()
    id: int | None

    def with_changes(self, **changes: Any) -> Self:
        """A copy with *changes* applied and validated."""
        return replace(self, **changes)  # type: ignore[type-var]

    def as_dict(self) -> dict[str, Any]:
        """Field name -> value."""
        return {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]


class _Figure(_Entity):
    """Shared rules of investments and chip orders: the period and the year agree.

    *year* is the calendar year the figure counts in and converts at (the period's
    ``calendar_year``). A figure built without a period is for the whole calendar year *year*.
    """

    __slots__ = ()
    year: int
    period: Period

    def _settle_period(self) -> None:
        check_year(self.year)
        if self.period is None:
            object.__setattr__(self, "period", Period.calendar(self.year))
        elif not isinstance(self.period, Period):
            raise TypeError(f"period must be a Period, not {type(self.period).__name__}")
        elif self.period.calendar_year != self.year:
            raise ValidationError(
                f"{self.period.label} counts in {self.period.calendar_year}, not {self.year}"
            )

    def with_changes(self, **changes: Any) -> Self:
        """A copy with *changes* applied and validated.

        Changing only the year moves the period by as many years ("Q3 2025" → "Q3 2026");
        changing only the period sets the year to the one it counts in.
        """
        if "period" in changes and "year" not in changes and changes["period"] is not None:
            changes["year"] = changes["period"].calendar_year
        elif "year" in changes and "period" not in changes:
            changes["period"] = self.period.shifted(changes["year"] - self.year)
        return replace(self, **changes)  # type: ignore[type-var]


@dataclass(frozen=True, slots=True)
class Company(_Entity):
    """A buyer of AI infrastructure, and the month its fiscal year ends in (12 = December)."""

    name: str
    country: str
    id: int | None = None
    fiscal_year_end_month: int = 12

    def __post_init__(self) -> None:
        check_name(self.name, "company")
        check_country(self.country)
        check_year_end_month(self.fiscal_year_end_month)


@dataclass(frozen=True, slots=True)
class Supplier(_Entity):
    """A maker of AI chips."""

    name: str
    country: str
    id: int | None = None

    def __post_init__(self) -> None:
        check_name(self.name, "supplier")
        check_country(self.country)


@dataclass(frozen=True, slots=True)
class Category(_Entity):
    """An investment category from the managed list."""

    name: str
    id: int | None = None

    def __post_init__(self) -> None:
        check_name(self.name, "category")


@dataclass(frozen=True, slots=True)
class Region(_Entity):
    """Where money is spent or chips go (China, Overseas...)."""

    name: str
    id: int | None = None

    def __post_init__(self) -> None:
        check_name(self.name, "region")


@dataclass(frozen=True, slots=True)
class Investment(_Figure):
    """One spending figure: a company's outlay in a period, category and region."""

    company: str
    year: int
    category: str
    region: str
    amount: Decimal
    currency: str
    status: Status = Status.REPORTED
    bound: Bound = Bound.EXACT
    amount_low: Decimal | None = None
    amount_high: Decimal | None = None
    source: str = ""
    source_url: str = ""
    reported_on: date | None = None
    quote: str = ""
    notes: str = ""
    id: int | None = None
    period: Period = None  # type: ignore[assignment]  # None: the calendar year *year*
    #: The stored row's version when this was read (None: not read from a database). Not part of
    #: the value: two investments with the same fields are equal whatever their versions.
    version: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        self._settle_period()
        check_currency(self.currency)
        check_storable(self.amount)
        for name in ("amount_low", "amount_high"):
            value = getattr(self, name)
            if value is not None:
                check_storable(value, what=name.replace("amount_", "") + " end of the range")
        low, high = self.amount_low, self.amount_high
        if low is not None and high is not None and low > high:
            raise ValidationError("the low end of the range is above the high end")
        if low is not None and self.amount < low:
            raise ValidationError("the amount is below the low end of its range")
        if high is not None and self.amount > high:
            raise ValidationError("the amount is above the high end of its range")


@dataclass(frozen=True, slots=True)
class ChipOrder(_Figure):
    """An order of AI chips: units and/or value, from one supplier."""

    company: str
    year: int
    region: str
    supplier: str
    chip_model: str = ""
    units: int | None = None
    value: Decimal | None = None
    currency: str | None = None
    status: Status = Status.REPORTED
    bound: Bound = Bound.EXACT
    export_note: str = ""
    source: str = ""
    source_url: str = ""
    reported_on: date | None = None
    quote: str = ""
    notes: str = ""
    id: int | None = None
    period: Period = None  # type: ignore[assignment]  # None: the calendar year *year*
    #: The stored row's version when this was read (None: not read from a database).
    version: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        self._settle_period()
        if self.units is None and self.value is None:
            raise ValidationError("a chip order needs units, a value, or both")
        if self.units is not None and self.units < 0:
            raise ValidationError("units cannot be negative")
        if self.units is not None and self.units > MAX_UNITS:
            raise ValidationError(f"units are too many (at most {MAX_UNITS:,})")
        if self.value is not None:
            check_storable(self.value, what="value")
            if self.currency is None:
                raise ValidationError("a value needs a currency")
        if self.currency is not None:
            check_currency(self.currency)

    @property
    def unit_price(self) -> Decimal | None:
        """Value per unit in the order's currency, when both are known."""
        if self.units and self.value is not None:
            return self.value / self.units
        return None


@dataclass(frozen=True, slots=True)
class FxRate(_Entity):
    """How many units of *currency* buy one US dollar in *year*."""

    currency: str
    year: int
    units_per_usd: Decimal
    note: str = ""
    id: int | None = None
    #: The stored row's version when this was read (None: not read from a database).
    version: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        check_currency(self.currency)
        check_year(self.year)
        if not self.units_per_usd.is_finite() or self.units_per_usd <= 0:
            raise ValidationError("an FX rate must be a positive number")


@dataclass(frozen=True, slots=True)
class Countries:
    """Company and supplier countries, to derive domestic vs imported."""

    companies: dict[str, str] = field(default_factory=dict)
    suppliers: dict[str, str] = field(default_factory=dict)

    def origin(self, order: ChipOrder) -> Origin | None:
        """Domestic when the supplier's country is the buyer's; None if either is unknown."""
        return self.origin_of(order.company, order.supplier)

    def origin_of(self, company: str, supplier: str) -> Origin | None:
        """Domestic or imported for *company* buying from *supplier*; None if unknown."""
        buyer = self.companies.get(company)
        maker = self.suppliers.get(supplier)
        if buyer is None or maker is None:
            return None
        return Origin.DOMESTIC if buyer == maker else Origin.IMPORTED
