"""One cell of a file -> one value of a field, through the domain's own parsers.

Every function raises ValidationError with the reason when the cell cannot be that value.
Text cells go through ``parse_amount`` / ``parse_units`` exactly as if typed into the table;
numbers and dates from XLSX are taken as they are (a float is accepted as the two-decimal
amount it shows when it is within rounding of one).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from capex_gui.dataio.formula_guard import restore
from capex_gui.dataio.tabular import Cell, cell_text
from capex_gui.domain.currencies import MINOR_UNITS, is_known_currency
from capex_gui.domain.entities import Status, check_country
from capex_gui.domain.money import rate_to_int, strip_zeros
from capex_gui.domain.parsing import Bound, ParsedAmount, parse_amount, parse_units
from capex_gui.domain.periods import MONTH_ABBREVIATIONS, MONTH_NAMES, Period, parse_period
from capex_gui.errors import ValidationError

_BOUNDS = {
    "exact": Bound.EXACT,
    "about": Bound.ABOUT,
    "approx": Bound.ABOUT,
    "approximately": Bound.ABOUT,
    "~": Bound.ABOUT,
    "at least": Bound.AT_LEAST,
    "at_least": Bound.AT_LEAST,
    "more than": Bound.AT_LEAST,
    ">": Bound.AT_LEAST,
    "at most": Bound.AT_MOST,
    "at_most": Bound.AT_MOST,
    "up to": Bound.AT_MOST,
    "<": Bound.AT_MOST,
}
#: Plain figures the parsers read exactly as Decimal would (a fast path for big files).
_PLAIN_AMOUNT = re.compile(r"(?:[1-9]\d{0,14}|0)(?:\.(?P<cents>\d{1,2}))?")
_PLAIN_UNITS = re.compile(r"[1-9]\d{0,11}|0")
_EURO_NUMBER = re.compile(r"\d{1,3}(?:[.\u00a0\u202f ]\d{3})+(?:,\d+)?(?!\d)|\d+,\d+")
_DATE_FORMATS = ("%d.%m.%Y", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%Y/%m/%d")
_SLASH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
#: Excel day numbers that stand for dates from 1990 to 2100.
_EXCEL_DAYS = range(32874, 73051)


def quoted(text: str) -> str:
    """“text” for messages."""
    return f"\u201c{text}\u201d"


def text_value(cell: Cell) -> str:
    """A text field: the cell as text, with a formula guard's apostrophe taken off again."""
    return restore(cell_text(cell))


def name_value(cell: Cell, what: str) -> str:
    """A name (company, supplier...): single spaces, not empty."""
    name = " ".join(text_value(cell).split())
    if not name:
        raise ValidationError(f"the {what} is empty")
    return name


def european_number(text: str) -> str:
    """'1.234,5' -> '1234.5' and '1.200' -> '1200' (numbers of a decimal-comma file)."""

    def fix(match: re.Match[str]) -> str:
        whole, _, fraction = match.group().partition(",")
        digits = re.sub(r"[.\u00a0\u202f ]", "", whole)
        return f"{digits}.{fraction}" if fraction else digits

    return _EURO_NUMBER.sub(fix, text)


def _float_amount(value: float) -> Decimal:
    """A spreadsheet's float as the amount it shows: 12.3 -> Decimal('12.3')."""
    if value != value or value in (float("inf"), float("-inf")):
        raise ValidationError("the cell is not a finite number")
    exact = Decimal(repr(value))
    cents = round(exact, 2)
    if exact != cents and abs(float(cents) - value) <= 1e-9 * max(1.0, abs(value)):
        return cents
    return exact


def number_value(cell: Cell) -> Decimal | None:
    """A numeric cell as an exact Decimal (None when the cell is not a number)."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return Decimal(cell)
    if isinstance(cell, float):
        return _float_amount(cell)
    if isinstance(cell, Decimal):
        return cell
    return None


def amount_value(cell: Cell, *, currency: str | None, decimal_comma: bool = False) -> ParsedAmount:
    """An amount (None value for a blank cell): a number, or text the amount parser reads."""
    number = number_value(cell)
    if number is not None:
        if number < 0:
            raise ValidationError(f"{quoted(cell_text(cell))}: amounts cannot be negative")
        return ParsedAmount(strip_zeros(number), currency, Bound.EXACT)
    if isinstance(cell, datetime | date | time | bool):
        raise ValidationError(f"{quoted(cell_text(cell))} is a date, not an amount")
    text = text_value(cell)
    if decimal_comma:
        text = european_number(text)
    plain = _PLAIN_AMOUNT.fullmatch(text)
    if plain and len(plain["cents"] or "") <= MINOR_UNITS.get(currency or "", 2):
        return ParsedAmount(strip_zeros(Decimal(text)), currency, Bound.EXACT)  # what the parser
    return parse_amount(text, default_currency=currency)  # would say, 40x faster


def units_value(cell: Cell, *, decimal_comma: bool = False) -> tuple[int | None, Bound]:
    """A unit count (None for a blank cell)."""
    number = number_value(cell)
    if number is not None:
        if number != number.to_integral_value():
            raise ValidationError(f"{quoted(cell_text(cell))} is not a whole number of units")
        if number < 0:
            raise ValidationError(f"{quoted(cell_text(cell))}: unit counts cannot be negative")
        return int(number), Bound.EXACT
    if isinstance(cell, datetime | date | time | bool):
        raise ValidationError(f"{quoted(cell_text(cell))} is a date, not a number of units")
    text = text_value(cell)
    if decimal_comma:
        text = european_number(text)
    if _PLAIN_UNITS.fullmatch(text):
        return int(text), Bound.EXACT  # what the parser would say, faster
    return parse_units(text)


def year_value(cell: Cell) -> int:
    """A year: 2025 as a number or as text."""
    number = number_value(cell)
    if number is not None and number == number.to_integral_value():
        return int(number)
    text = cell_text(cell).strip()
    if text.isdigit() and len(text) == 4:
        return int(text)
    if not text:
        raise ValidationError("the year is empty")
    raise ValidationError(f"{quoted(text)} is not a year: write four digits such as 2025")


def date_value(cell: Cell) -> date | None:
    """A date: an Excel date, an Excel day number, 2025-02-10, 10.02.2025, 10 Feb 2025."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    number = number_value(cell)
    text = cell_text(cell).strip()
    if number is None and text.isdigit():
        number = Decimal(text)
    if number is not None:
        if number == number.to_integral_value() and int(number) in _EXCEL_DAYS:
            from openpyxl.utils.datetime import from_excel

            found = from_excel(int(number))
            return found.date() if isinstance(found, datetime) else None
        raise ValidationError(f"{quoted(text)} is not a date: write it as YYYY-MM-DD")
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10] if re.match(r"\d{4}-\d\d-\d\dT", text) else text)
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    slash = _SLASH_DATE.match(text)
    if slash:
        first, second, year = (int(g) for g in slash.groups())
        if first > 12 >= second:
            return _date(year, second, first, text)
        if second > 12 >= first:
            return _date(year, first, second, text)
        raise ValidationError(
            f"{quoted(text)} is ambiguous (day/month or month/day?): write it as YYYY-MM-DD"
        )
    raise ValidationError(f"{quoted(text)} is not a date: write it as YYYY-MM-DD")


def _date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(f"{quoted(text)} is not a real date") from None


def month_value(cell: Cell) -> int | None:
    """A month: 6, "6", "June" or "Jun" (None for a blank cell)."""
    number = number_value(cell)
    text = cell_text(cell).strip()
    if number is None and text.isdigit():
        number = Decimal(text)
    if number is not None:
        if number == number.to_integral_value() and 1 <= number <= 12:
            return int(number)
        raise ValidationError(f"{quoted(text)} is not a month: write 1–12 or a name such as June")
    if not text:
        return None
    wanted = text.casefold().rstrip(".")
    for index, name in enumerate(MONTH_NAMES, start=1):
        if wanted in (name.casefold(), MONTH_ABBREVIATIONS[index - 1].casefold()):
            return index
    raise ValidationError(f"{quoted(text)} is not a month: write 1–12 or a name such as June")


_PART_ONLY = re.compile(
    r"^(?:(?P<fy>fy)\s*)?(?:q(?P<q>[1-4])|(?P<qn>[1-4])|h(?P<h>[12]))$", re.IGNORECASE
)


def period_value(
    cell: Cell, year_cell: Cell, *, fiscal_year_end: int, fiscal_year_column: bool = False
) -> Period | None:
    """A period: "Q3 2025", "FY25 Q3", "2025–2027"; or a quarter/half ("Q3", "3", "H1") with
    the year from *year_cell* (a fiscal one when the year column says fiscal, or the text FY).

    None when both cells are blank; then the figure is for the calendar year of its Year.
    """
    text = cell_text(cell).strip()
    if not text:
        return None
    part = _PART_ONLY.match(text.replace(" ", ""))
    if part is not None:
        if year_cell is None or not cell_text(year_cell).strip():
            raise ValidationError(
                f"{quoted(text)} has no year: add a Year column or write it like Q3 2025"
            )
        year = year_value(year_cell)
        piece = f"Q{part['q'] or part['qn']}" if (part["q"] or part["qn"]) else f"H{part['h']}"
        fiscal = fiscal_year_column or bool(part["fy"])
        text = f"FY{year} {piece}" if fiscal else f"{piece} {year}"
    return parse_period(text, fiscal_year_end)


def currency_value(cell: Cell) -> str | None:
    """An ISO currency code (None for a blank cell)."""
    code = cell_text(cell).strip().upper()
    if not code:
        return None
    if not is_known_currency(code):
        raise ValidationError(f"{quoted(cell_text(cell))} is not a currency code this app knows")
    return code


def status_value(cell: Cell) -> Status | None:
    """planned, reported, confirmed or estimate (None for a blank cell)."""
    text = cell_text(cell).strip().lower()
    if not text:
        return None
    aliases = {"estimated": "estimate", "plan": "planned", "report": "reported"}
    try:
        return Status(aliases.get(text, text))
    except ValueError:
        raise ValidationError(
            f"{quoted(cell_text(cell))} is not a status: planned, reported, confirmed or estimate"
        ) from None


def bound_value(cell: Cell) -> Bound | None:
    """exact, about, at least, at most (None for a blank cell)."""
    text = " ".join(cell_text(cell).strip().lower().split())
    if not text:
        return None
    if text in _BOUNDS:
        return _BOUNDS[text]
    raise ValidationError(
        f"{quoted(cell_text(cell))} is not a qualifier: exact, about, at least or at most"
    )


def country_value(cell: Cell) -> str | None:
    """A two-letter country code (None for a blank cell)."""
    code = cell_text(cell).strip().upper()
    if not code:
        return None
    check_country(code)
    return code


def rate_value(cell: Cell, *, decimal_comma: bool = False) -> Decimal:
    """An FX rate (units per USD): a positive number."""
    number = number_value(cell)
    if number is None:
        text = cell_text(cell).strip()
        if decimal_comma:
            text = european_number(text)
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise ValidationError(
                f"{quoted(cell_text(cell))} is not a rate: write a number such as 7.2"
            ) from None
    if not number.is_finite() or number <= 0:
        raise ValidationError(f"{quoted(cell_text(cell))}: an FX rate must be a positive number")
    rate_to_int(number)  # at most ten decimals
    return strip_zeros(number)
