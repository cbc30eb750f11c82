"""Tables and the summary out to CSV and XLSX, in a form spreadsheets trust.

Every column is declared once with its kind. CSV: UTF-8 with a BOM (so Excel reads it as
UTF-8), comma-separated, numbers plain (``5502063273.73``), dates ISO, and text that a
spreadsheet would run as a formula neutralised. XLSX: typed cells (numbers as numbers, years
and units as integers, dates as dates), text always stored as text (openpyxl would otherwise
turn a string starting with ``=`` into a formula), a bold header row, frozen panes and widths
that fit. Both are written streaming (openpyxl's write-only mode), to a temporary file that
replaces the target only once complete.

Headers are the import's field names, so an exported file imports back with no mapping.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum, auto
from pathlib import Path
from typing import TYPE_CHECKING, Any

from capex_gui.dataio.formula_guard import neutralise
from capex_gui.domain.periods import MONTH_NAMES, format_period
from capex_gui.errors import CapexError, MissingRateError, ValidationError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from capex_gui.domain.entities import ChipOrder, Countries
    from capex_gui.domain.fx import FxTable
    from capex_gui.storage.repository import Repository

#: Rows read from the database at a time.
CHUNK = 2000
#: Characters XLSX (XML 1.0) cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class CellKind(Enum):
    """How a column's values are written."""

    TEXT = auto()
    INTEGER = auto()  # years, units
    MONEY = auto()  # exact Decimal amounts
    RATE = auto()  # FX rates (up to ten decimals)
    SHARE = auto()  # 0..1, shown as a percentage
    DATE = auto()


@dataclass(frozen=True)
class ExportColumn:
    """One column of an export: header, kind, width in characters, and how to get the value."""

    header: str
    kind: CellKind
    width: int
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Sheet:
    """A named table of rows (one CSV file, or one sheet of a workbook)."""

    name: str
    columns: tuple[ExportColumn, ...]
    rows: Callable[[], Iterator[Any]]


def _attr(name: str) -> Callable[[Any], Any]:
    return lambda item: getattr(item, name)


def _enum(name: str) -> Callable[[Any], Any]:
    return lambda item: getattr(item, name).value.replace("_", " ")


def _display(fx: FxTable, currency: str, amount: str) -> Callable[[Any], Any]:
    def value(item: Any) -> Decimal | None:
        money = getattr(item, amount)
        if money is None or item.currency is None:
            return None
        try:
            return fx.convert(money, item.currency, item.year, currency).quantize(Decimal("0.01"))
        except MissingRateError:
            return None

    return value


def _sourced() -> tuple[ExportColumn, ...]:
    return (
        ExportColumn("Status", CellKind.TEXT, 10, _enum("status")),
        ExportColumn("Qualifier", CellKind.TEXT, 10, _enum("bound")),
        ExportColumn("Source", CellKind.TEXT, 24, _attr("source")),
        ExportColumn("Source URL", CellKind.TEXT, 30, _attr("source_url")),
        ExportColumn("Reported on", CellKind.DATE, 12, _attr("reported_on")),
        ExportColumn("Quote", CellKind.TEXT, 50, _attr("quote")),
        ExportColumn("Notes", CellKind.TEXT, 40, _attr("notes")),
    )


def _period() -> ExportColumn:
    return ExportColumn("Period", CellKind.TEXT, 24, lambda item: format_period(item.period))


def _fiscal_end(fiscal_ends: dict[str, int]) -> ExportColumn:
    def month(item: Any) -> str:
        return MONTH_NAMES[fiscal_ends.get(item.company, 12) - 1]

    return ExportColumn("Fiscal year end", CellKind.TEXT, 14, month)


def _country(countries: Countries) -> ExportColumn:
    return ExportColumn(
        "Country", CellKind.TEXT, 8, lambda item: countries.companies.get(item.company, "")
    )


def investment_columns(
    fx: FxTable, currency: str, countries: Countries, fiscal_ends: dict[str, int]
) -> tuple[ExportColumn, ...]:
    """The investments table as exported (the table's columns, derived ones included)."""
    return (
        ExportColumn("Company", CellKind.TEXT, 18, _attr("company")),
        _period(),
        ExportColumn("Year", CellKind.INTEGER, 6, _attr("year")),
        ExportColumn("Category", CellKind.TEXT, 22, _attr("category")),
        ExportColumn("Region", CellKind.TEXT, 14, _attr("region")),
        ExportColumn("Amount", CellKind.MONEY, 18, _attr("amount")),
        ExportColumn("Currency", CellKind.TEXT, 9, _attr("currency")),
        ExportColumn("Low", CellKind.MONEY, 18, _attr("amount_low")),
        ExportColumn("High", CellKind.MONEY, 18, _attr("amount_high")),
        ExportColumn(f"Value ({currency})", CellKind.MONEY, 18, _display(fx, currency, "amount")),
        *_sourced(),
        _country(countries),
        _fiscal_end(fiscal_ends),
    )


def chip_order_columns(
    fx: FxTable, currency: str, countries: Countries, fiscal_ends: dict[str, int]
) -> tuple[ExportColumn, ...]:
    """The chip-orders table as exported (unit price, display value and origin included)."""

    def unit_price(order: ChipOrder) -> Decimal | None:
        price = order.unit_price
        return None if price is None else price.quantize(Decimal("0.01"))

    def origin(order: ChipOrder) -> str:
        found = countries.origin(order)
        return "" if found is None else found.value

    return (
        ExportColumn("Company", CellKind.TEXT, 18, _attr("company")),
        _period(),
        ExportColumn("Year", CellKind.INTEGER, 6, _attr("year")),
        ExportColumn("Region", CellKind.TEXT, 14, _attr("region")),
        ExportColumn("Supplier", CellKind.TEXT, 14, _attr("supplier")),
        ExportColumn("Chip model", CellKind.TEXT, 14, _attr("chip_model")),
        ExportColumn("Units", CellKind.INTEGER, 12, _attr("units")),
        ExportColumn("Value", CellKind.MONEY, 18, _attr("value")),
        ExportColumn("Currency", CellKind.TEXT, 9, _attr("currency")),
        ExportColumn("Unit price", CellKind.MONEY, 12, unit_price),
        ExportColumn(f"Value ({currency})", CellKind.MONEY, 18, _display(fx, currency, "value")),
        ExportColumn("Origin", CellKind.TEXT, 10, origin),
        ExportColumn("Export control", CellKind.TEXT, 24, _attr("export_note")),
        *_sourced(),
        _country(countries),
        _fiscal_end(fiscal_ends),
        ExportColumn(
            "Supplier country",
            CellKind.TEXT,
            10,
            lambda item: countries.suppliers.get(item.supplier, ""),
        ),
    )


FX_RATE_COLUMNS: tuple[ExportColumn, ...] = (
    ExportColumn("Currency", CellKind.TEXT, 9, _attr("currency")),
    ExportColumn("Year", CellKind.INTEGER, 6, _attr("year")),
    ExportColumn("Units per USD", CellKind.RATE, 14, _attr("units_per_usd")),
    ExportColumn("Note", CellKind.TEXT, 40, _attr("note")),
)


# -- values ---------------------------------------------------------------------------------
def _plain(value: Decimal) -> str:
    """A Decimal as a plain number: 5502063273.73, 40000000000 (never 4E+10)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _rounded(kind: CellKind, value: Decimal) -> Decimal:
    """Money to cents and shares to millionths (sums and shares carry many more digits)."""
    if kind is CellKind.MONEY:
        return value.quantize(Decimal("0.01"))
    if kind is CellKind.SHARE:
        return value.quantize(Decimal("0.000001"))
    return value


def csv_text(kind: CellKind, value: Any) -> str:
    """How a value is written into a CSV cell."""
    if value is None:
        return ""
    if kind is CellKind.TEXT:
        return neutralise(str(value))
    if kind in (CellKind.MONEY, CellKind.RATE, CellKind.SHARE):
        return _plain(_rounded(kind, Decimal(value)))
    if kind is CellKind.DATE:
        return value.isoformat() if isinstance(value, date) else str(value)
    return str(value)


#: Significant digits a spreadsheet keeps of a number (Excel and Calc hold 15; openpyxl
#: writes a float with 16, so 123456789012345.67 would come back as ...345.7).
SPREADSHEET_DIGITS = 15


def _xlsx_number(value: Decimal) -> float | str:
    """A float when a spreadsheet holds *value* exactly; otherwise the exact digits as text."""
    if len(value.normalize().as_tuple().digits) > SPREADSHEET_DIGITS:
        return _plain(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else _plain(value)


def _xlsx_cell(ws: Any, kind: CellKind, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if value is None or value == "":
        return None
    if kind is CellKind.TEXT:
        cell = WriteOnlyCell(ws, value=_ILLEGAL_XML.sub("", str(value)))
        cell.data_type = "s"  # never a formula, whatever the text starts with
        return cell
    if kind is CellKind.INTEGER:
        cell = WriteOnlyCell(ws, value=int(value))
        cell.number_format = "0" if 1000 <= int(value) <= 9999 else "#,##0"
        return cell
    if kind is CellKind.DATE:
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    number = _xlsx_number(_rounded(kind, Decimal(value)))
    cell = WriteOnlyCell(ws, value=number)
    if isinstance(number, str):
        cell.data_type = "s"
    elif kind is CellKind.MONEY:
        cell.number_format = "#,##0.00"
    elif kind is CellKind.SHARE:
        cell.number_format = "0.0%"
    return cell


# -- writing --------------------------------------------------------------------------------
def write_sheets(path: Path, sheets: list[Sheet]) -> int:
    """Write *sheets* to *path* (.csv: the first sheet only; .xlsx: all); returns rows written.

    The file appears only once complete (written beside it, then renamed over it).
    """
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError(f"{path.name}: choose a file name ending in .csv or .xlsx")
    if not path.parent.is_dir():
        raise ValidationError(f"the folder {path.parent} does not exist")
    handle, temp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=suffix, dir=path.parent)
    os.close(handle)
    try:
        written = (
            _write_csv(Path(temp), sheets[0])
            if suffix == ".csv"
            else _write_xlsx(Path(temp), sheets)
        )
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise CapexError(f"{path} could not be written: {exc.strerror or exc}") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return written


def _write_csv(path: Path, sheet: Sheet) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([neutralise(c.header) for c in sheet.columns])
        for item in sheet.rows():
            writer.writerow([csv_text(c.kind, c.value(item)) for c in sheet.columns])
            count += 1
    return count


def _write_xlsx(path: Path, sheets: list[Sheet]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    count = 0
    bold = Font(bold=True)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name[:31])
        ws.freeze_panes = "B2" if len(sheet.columns) > 1 else "A2"
        for index, column in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = max(
                column.width, len(column.header) + 2
            )
        header = []
        for column in sheet.columns:
            cell = WriteOnlyCell(ws, value=column.header)
            cell.data_type = "s"
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for item in sheet.rows():
            ws.append([_xlsx_cell(ws, c.kind, c.value(item)) for c in sheet.columns])
            count += 1
    book.save(path)
    return count


# -- tables of a database -------------------------------------------------------------------
EXPORT_TABLES = ("investments", "chip-orders", "fx-rates", "summary")


def _chunks(fetch: Callable[[list[int]], list[Any]], ids: list[int]) -> Iterator[Any]:
    for start in range(0, len(ids), CHUNK):
        yield from fetch(ids[start : start + CHUNK])


def export_data(repo: Repository, what: str, path: Path, *, currency: str = "USD") -> int:
    """Write one table of the database (or the summary) to *path* (.csv or .xlsx).

    Returns the rows written. Figures are read a chunk at a time.
    """
    from capex_gui.dataio.export_summary import summary_csv_sheet, summary_sheets
    from capex_gui.domain.analytics import summarize
    from capex_gui.domain.fx import FxTable
    from capex_gui.storage.repository import FigureQuery

    if what not in EXPORT_TABLES:
        raise ValidationError(f"there is no table {what!r} (choose {', '.join(EXPORT_TABLES)})")
    fx = FxTable.from_rates(repo.fx_rates())
    if what == "fx-rates":
        rates = repo.fx_rates()
        return write_sheets(path, [Sheet("FX rates", FX_RATE_COLUMNS, lambda: iter(rates))])
    if what == "summary":
        summary = summarize(repo.investments(), repo.chip_orders(), repo.countries(), fx, currency)
        if path.suffix.lower() == ".csv":
            return write_sheets(path, [summary_csv_sheet(summary)])
        return write_sheets(path, summary_sheets(summary))
    fiscal_ends = repo.fiscal_year_ends()
    if what == "investments":
        ids = repo.figure_ids("investments", FigureQuery())
        sheet = Sheet(
            "Investments",
            investment_columns(fx, currency, repo.countries(), fiscal_ends),
            lambda: _chunks(repo.investments, ids),
        )
    else:
        ids = repo.figure_ids("chip_orders", FigureQuery())
        sheet = Sheet(
            "Chip orders",
            chip_order_columns(fx, currency, repo.countries(), fiscal_ends),
            lambda: _chunks(repo.chip_orders, ids),
        )
    return write_sheets(path, [sheet])
