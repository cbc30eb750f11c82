"""Table columns declared once, as data: header, field, editor kind, parse and format rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum, auto
from typing import TYPE_CHECKING, Any

from capex_gui.domain.entities import ChipOrder, Investment, Status
from capex_gui.domain.parsing import (
    Bound,
    format_amount,
    format_units,
    parse_amount,
    parse_units,
)
from capex_gui.domain.periods import Basis, Period, parse_period
from capex_gui.errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Callable


class Kind(Enum):
    """What editor a column gets and how its text is read."""

    COMPANY = auto()
    SUPPLIER = auto()
    CATEGORY = auto()
    REGION = auto()
    CURRENCY = auto()
    STATUS = auto()
    BOUND = auto()
    YEAR = auto()
    PERIOD = auto()
    AMOUNT = auto()
    OPTIONAL_AMOUNT = auto()
    UNITS = auto()
    TEXT = auto()
    LONG_TEXT = auto()
    URL = auto()
    DATE = auto()
    DERIVED = auto()


#: Kinds edited with a combo box of known names.
CHOICE_KINDS = {
    Kind.COMPANY,
    Kind.SUPPLIER,
    Kind.CATEGORY,
    Kind.REGION,
    Kind.CURRENCY,
    Kind.STATUS,
    Kind.BOUND,
}
#: Kinds shown right-aligned.
NUMERIC_KINDS = {Kind.YEAR, Kind.AMOUNT, Kind.OPTIONAL_AMOUNT, Kind.UNITS}

BOUND_LABELS = {
    Bound.EXACT: "exact",
    Bound.ABOUT: "about",
    Bound.AT_LEAST: "at least",
    Bound.AT_MOST: "at most",
}


@dataclass(frozen=True)
class Column:
    """One column of a figure table."""

    key: str  # entity field, or a derived name
    header: str
    kind: Kind
    tooltip: str
    width: int = 110

    @property
    def editable(self) -> bool:
        """Derived columns are read-only."""
        return self.kind is not Kind.DERIVED


PERIOD_TIP = (
    "What the figure covers, as the report wrote it: 2025, Q3 2025, FY25 Q3, H1 2025, "
    "2025–2027, 2025年第三季度. FY means the company's fiscal year (Edit → Companies…)."
)

INVESTMENT_COLUMNS: tuple[Column, ...] = (
    Column("company", "Company", Kind.COMPANY, "Who spends; type a new name to add a company", 120),
    Column("period", "Period", Kind.PERIOD, PERIOD_TIP, 205),
    Column("category", "Category", Kind.CATEGORY, "What the money buys (managed list)", 170),
    Column("region", "Region", Kind.REGION, "Where the money is spent", 90),
    Column(
        "amount",
        "Amount",
        Kind.AMOUNT,
        "Amount in its own currency: type 40bn, 5.5B, RMB 40B, ~$6.8 billion or 400亿元",
        150,
    ),
    Column("currency", "Currency", Kind.CURRENCY, "ISO-4217 code of the amount", 70),
    Column("bound", "Qualifier", Kind.BOUND, "exact, about, at least (“more than”), at most", 80),
    Column("amount_low", "Low", Kind.OPTIONAL_AMOUNT, "Low end of the range, if one is given", 110),
    Column(
        "amount_high", "High", Kind.OPTIONAL_AMOUNT, "High end of the range, if one is given", 110
    ),
    Column(
        "display_value",
        "Value (display)",
        Kind.DERIVED,
        "The amount in the display currency at its year's FX rate (read-only)",
        130,
    ),
    Column("status", "Status", Kind.STATUS, "planned, reported, confirmed or estimate", 80),
    Column("source", "Source", Kind.TEXT, "Who reported the figure", 170),
    Column("source_url", "Source URL", Kind.URL, "Link to the report (Ctrl+click opens it)", 160),
    Column("reported_on", "Reported on", Kind.DATE, "Date of the report (YYYY-MM-DD)", 95),
    Column("quote", "Quote", Kind.LONG_TEXT, "The sentence the figure comes from", 220),
    Column("notes", "Notes", Kind.LONG_TEXT, "Your notes", 200),
)

CHIP_ORDER_COLUMNS: tuple[Column, ...] = (
    Column("company", "Company", Kind.COMPANY, "Who buys; type a new name to add a company", 120),
    Column("period", "Period", Kind.PERIOD, PERIOD_TIP, 205),
    Column("region", "Region", Kind.REGION, "Where the chips go", 90),
    Column("supplier", "Supplier", Kind.SUPPLIER, "Chip maker; type a new name to add one", 110),
    Column("chip_model", "Chip model", Kind.TEXT, "e.g. H20, Ascend 910B", 100),
    Column("units", "Units", Kind.UNITS, "Number of chips: 230k, ~230,000, 23万", 100),
    Column(
        "value",
        "Value",
        Kind.OPTIONAL_AMOUNT,
        "Order value in its own currency: 12bn, RMB 16B, 120亿元",
        140,
    ),
    Column("currency", "Currency", Kind.CURRENCY, "ISO-4217 code of the value", 70),
    Column(
        "unit_price",
        "Unit price",
        Kind.DERIVED,
        "Value ÷ units, when both are known (read-only)",
        100,
    ),
    Column(
        "display_value",
        "Value (display)",
        Kind.DERIVED,
        "The value in the display currency at its year's FX rate (read-only)",
        130,
    ),
    Column(
        "origin",
        "Origin",
        Kind.DERIVED,
        "Domestic when the supplier is from the buyer's country, else imported (read-only)",
        80,
    ),
    Column("export_note", "Export control", Kind.TEXT, "e.g. modified for US export rules", 170),
    Column("status", "Status", Kind.STATUS, "planned, reported, confirmed or estimate", 80),
    Column("bound", "Qualifier", Kind.BOUND, "exact, about, at least, at most", 80),
    Column("source", "Source", Kind.TEXT, "Who reported the figure", 170),
    Column("source_url", "Source URL", Kind.URL, "Link to the report (Ctrl+click opens it)", 160),
    Column("reported_on", "Reported on", Kind.DATE, "Date of the report (YYYY-MM-DD)", 95),
    Column("quote", "Quote", Kind.LONG_TEXT, "The sentence the figure comes from", 220),
    Column("notes", "Notes", Kind.LONG_TEXT, "Your notes", 200),
)


def display_text(column: Column, value: Any) -> str:
    """How a stored value is shown in the table."""
    if value is None:
        return ""
    if column.kind in (Kind.AMOUNT, Kind.OPTIONAL_AMOUNT):
        return format_amount(value)
    if column.kind is Kind.UNITS:
        return format_units(value)
    if column.kind is Kind.BOUND:
        return BOUND_LABELS[value]
    if column.kind is Kind.STATUS:
        return str(value.value)
    if column.kind is Kind.DATE:
        return value.isoformat()
    if column.kind is Kind.YEAR:
        return str(value)
    if column.kind is Kind.PERIOD and isinstance(value, Period):
        return value.long_label
    return str(value)


def _year(text: str) -> int:
    stripped = text.strip()
    if not stripped.isdigit():
        raise ValidationError(f"“{text}” is not a year: type four digits such as 2025")
    return int(stripped)


def _date(text: str) -> date | None:
    stripped = text.strip()
    if not stripped:
        return None
    try:
        return date.fromisoformat(stripped)
    except ValueError:
        raise ValidationError(f"“{text}” is not a date: type it as YYYY-MM-DD") from None


def _status(text: str) -> Status:
    try:
        return Status(text.strip().lower())
    except ValueError:
        raise ValidationError(
            f"“{text}” is not a status: choose planned, reported, confirmed or estimate"
        ) from None


def _bound(text: str) -> Bound:
    wanted = text.strip().lower().replace("_", " ")
    for bound, label in BOUND_LABELS.items():
        if wanted in (label, bound.value):
            return bound
    raise ValidationError(f"“{text}” is not a qualifier: choose exact, about, at least or at most")


def _currency(text: str, required: bool) -> str | None:
    from capex_gui.domain.currencies import is_known_currency

    code = text.strip().upper()
    if not code:
        if required:
            raise ValidationError("the currency cannot be empty")
        return None
    if not is_known_currency(code):
        raise ValidationError(f"“{text}” is not a currency code this app knows (e.g. USD, CNY)")
    return code


def _name(text: str, what: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise ValidationError(f"the {what} cannot be empty")
    return name


Figure = Investment | ChipOrder

#: Columns that hold the figure itself (its qualifier and currency go with what is typed).
FIGURE_KEYS = ("amount", "value")
#: Named in the message refusing a blank required amount.
OPTIONAL_EXAMPLES = "Low, High, Value and Units"


def _december(_company: str) -> int:
    return 12


def apply_text(
    column: Column,
    item: Figure,
    text: str,
    *,
    year_end_of: Callable[[str], int] = _december,
) -> Figure:
    """A copy of *item* with *text* typed into *column*; raises ValidationError with the reason.

    Amount columns read currency and qualifier from the text too ("RMB 40B" sets CNY,
    "~$5.5B" sets about). A period is read against the company's fiscal year end
    (*year_end_of(company)*); moving a fiscal figure to another company keeps its label
    ("FY2025 Q3") and takes that company's months.
    """
    kind = column.kind
    changes: dict[str, Any]
    if kind is Kind.DERIVED:
        raise ValidationError(f"{column.header} is worked out by the app and cannot be typed")
    if kind is Kind.YEAR:
        changes = {"year": _year(text)}
    elif kind in (Kind.AMOUNT, Kind.OPTIONAL_AMOUNT):
        changes = _amount_changes(column, item, text)
    elif kind is Kind.UNITS:
        units, bound = parse_units(text)
        changes = {"units": units}
        if units is not None:
            changes["bound"] = bound  # the typed figure is the whole figure: plain means exact
    elif kind is Kind.CURRENCY:
        changes = {"currency": _currency(text, required=isinstance(item, Investment))}
    elif kind is Kind.STATUS:
        changes = {"status": _status(text)}
    elif kind is Kind.BOUND:
        changes = {"bound": _bound(text)}
    elif kind is Kind.DATE:
        changes = {"reported_on": _date(text)}
    elif kind is Kind.PERIOD:
        changes = {"period": parse_period(text, year_end_of(item.company))}
    elif kind in (Kind.COMPANY, Kind.SUPPLIER, Kind.CATEGORY, Kind.REGION):
        changes = {column.key: _name(text, column.header.lower())}
        if kind is Kind.COMPANY and item.period.basis is Basis.FISCAL:
            year_end = year_end_of(changes["company"])
            if year_end != item.period.year_end_month:
                changes["period"] = item.period.with_year_end(year_end)
    else:
        changes = {column.key: text.strip() if kind is not Kind.LONG_TEXT else text}
    if isinstance(item, ChipOrder) and changes.get("value") is not None and item.currency is None:
        changes.setdefault("currency", "USD")
    return item.with_changes(**changes)


def _amount_changes(column: Column, item: Figure, text: str) -> dict[str, Any]:
    """What typing *text* into an amount column changes: value, and for the figure itself
    (Amount, Value) its currency when named and its qualifier, always."""
    current = item.currency
    parsed = parse_amount(text, default_currency=current)
    if parsed.value is None:
        if column.kind is Kind.AMOUNT:
            raise ValidationError(
                f"an amount is required here: type a figure such as 40bn "
                f"(“-” or blank means none only in optional columns such as {OPTIONAL_EXAMPLES})"
            )
        return {column.key: None}
    changes: dict[str, Any] = {column.key: parsed.value}
    if column.key in FIGURE_KEYS:
        if parsed.currency:
            changes["currency"] = parsed.currency
        changes["bound"] = parsed.bound  # plain means exact, "~" about, ">" at least
        return changes
    if parsed.bound is not Bound.EXACT:
        raise ValidationError(
            f"the {column.header.lower()} end of a range takes no qualifier: type the figure "
            "alone (e.g. 12bn); the Qualifier column says how firm the amount is"
        )
    if parsed.currency and current and parsed.currency != current:
        raise ValidationError(
            f"the range must be in the amount's currency ({current}), not {parsed.currency}"
        )
    return changes


#: Text put before a figure to show its qualifier in an editor (what the parser reads back).
QUALIFIER_MARKS = {Bound.EXACT: "", Bound.ABOUT: "~", Bound.AT_LEAST: ">", Bound.AT_MOST: "<"}


def edit_text(column: Column, item: Figure) -> str:
    """The text an editor opens with: the whole figure, so Enter without typing changes nothing.

    The figure columns (Amount, Value, Units) carry the record's qualifier ("~40,000,000,000").
    """
    value = raw_value(item, column)
    text = display_text(column, value)
    if value is not None and column.key in (*FIGURE_KEYS, "units"):
        return QUALIFIER_MARKS[item.bound] + text
    return text


def raw_value(item: Figure, column: Column) -> Any:
    """The stored value behind a column (None for derived columns)."""
    if column.kind is Kind.DERIVED:
        return None
    return getattr(item, column.key)


__all__ = [
    "BOUND_LABELS",
    "CHIP_ORDER_COLUMNS",
    "INVESTMENT_COLUMNS",
    "Column",
    "Decimal",
    "Kind",
    "apply_text",
    "display_text",
    "edit_text",
    "raw_value",
]
