"""The fields an import fills, per table, and the header names (with synonyms) that mean them.

A header matches a field when, after normalising both (case, accents of width, spaces,
punctuation), it is the field's name or one of its synonyms: "Vendor" and "Manufacturer" are
the supplier, "Ticker" and "Buyer" the company, "Units shipped" the units.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


class ImportTable(StrEnum):
    """What an import fills (the CLI's --table names)."""

    INVESTMENTS = "investments"
    CHIP_ORDERS = "chip-orders"
    FX_RATES = "fx-rates"

    @property
    def label(self) -> str:
        """Name shown to users."""
        return {"investments": "Investments", "chip-orders": "Chip orders"}.get(
            self.value, "FX rates"
        )


@dataclass(frozen=True)
class Field:
    """One thing an import can fill."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    tooltip: str = ""

    def names(self) -> tuple[str, ...]:
        """Every normalised header text that means this field."""
        return tuple(dict.fromkeys(normalise_header(n) for n in (self.label, *self.synonyms)))


_COMPANY = Field(
    "company",
    "Company",
    ("Buyer", "Ticker", "Customer", "Purchaser", "Company name", "Buyer name", "Firm", "Symbol"),
    required=True,
    tooltip="The buyer; a ticker (MSFT), another name (字节跳动) or a former name works too",
)
_YEAR = Field(
    "year",
    "Year",
    ("Calendar year", "Fiscal year", "FY", "Yr"),
    tooltip="The year the figure is for (2025); with a Quarter column of Q1–Q4, its year",
)
_PERIOD = Field(
    "period",
    "Period",
    ("Quarter", "Fiscal period", "Fiscal quarter", "Half", "Reporting period", "Time period"),
    tooltip="2025, Q3 2025, FY25 Q3, H1 2025 or 2025–2027; or just Q3 beside a Year column",
)
_FISCAL_END = Field(
    "fiscal_year_end",
    "Fiscal year end",
    ("FY end", "Year end", "Fiscal year end month", "FYE"),
    tooltip="Month the company's fiscal year ends in (June or 6), to read FY periods; also "
    "given to a company this import creates",
)
_REGION = Field(
    "region",
    "Region",
    ("Location", "Geography", "Market", "Area"),
    required=True,
    tooltip="Where the money is spent or the chips go",
)
_CURRENCY = Field(
    "currency",
    "Currency",
    ("Ccy", "Curr", "Cur", "Currency code", "ISO currency"),
    tooltip="ISO code of the amount (USD); an amount such as ¥40bn names its own",
)
_BOUND = Field(
    "bound",
    "Qualifier",
    ("Bound", "Precision"),
    tooltip="exact, about, at least or at most; an amount such as ~40bn says it too",
)
_STATUS = Field(
    "status",
    "Status",
    ("Firmness", "Confidence"),
    tooltip="planned, reported, confirmed or estimate (default: reported)",
)
_SOURCE = Field(
    "source",
    "Source",
    ("Reported by", "Publication", "Publisher", "Source name"),
    tooltip="Who reported the figure",
)
_URL = Field(
    "source_url",
    "Source URL",
    ("URL", "Link", "Source link", "Web address"),
    tooltip="Link to the report",
)
_REPORTED = Field(
    "reported_on",
    "Reported on",
    ("Date", "Report date", "Published", "Publication date", "Date reported"),
    tooltip="Date of the report (an Excel date, 2025-02-10 or 10.02.2025)",
)
_QUOTE = Field(
    "quote",
    "Quote",
    ("Quotation", "Excerpt", "Sentence"),
    tooltip="The sentence the figure comes from",
)
_NOTES = Field("notes", "Notes", ("Note", "Comment", "Comments", "Remarks"), tooltip="Your notes")
_COUNTRY = Field(
    "country",
    "Country",
    ("Company country", "Buyer country", "HQ country", "Headquarters"),
    tooltip="Two-letter country (CN, US) of a company this import creates",
)

INVESTMENT_FIELDS: tuple[Field, ...] = (
    _COMPANY,
    _PERIOD,
    _YEAR,
    Field(
        "category",
        "Category",
        ("Type", "Spend category", "Investment type", "Kind"),
        required=True,
        tooltip="What the money buys (AI chips, Data centres...)",
    ),
    _REGION,
    Field(
        "amount",
        "Amount",
        (
            "Capex",
            "Payments",
            "Capital expenditure",
            "Capital expenditures",
            "Spend",
            "Spending",
            "Investment",
            "Value",
            "Payments for property and equipment",
            "Budget",
        ),
        required=True,
        tooltip="The figure: 40bn, 5.5B, RMB 40B, ~$6.8 billion, 400亿元 or a plain number",
    ),
    _CURRENCY,
    _BOUND,
    Field(
        "amount_low",
        "Low",
        ("Low end", "Minimum", "Min", "Range low"),
        tooltip="Low end of a range",
    ),
    Field(
        "amount_high",
        "High",
        ("High end", "Maximum", "Max", "Range high"),
        tooltip="High end of a range",
    ),
    _STATUS,
    _SOURCE,
    _URL,
    _REPORTED,
    _QUOTE,
    _NOTES,
    _COUNTRY,
    _FISCAL_END,
)

CHIP_ORDER_FIELDS: tuple[Field, ...] = (
    _COMPANY,
    _PERIOD,
    _YEAR,
    _REGION,
    Field(
        "supplier",
        "Supplier",
        ("Vendor", "Manufacturer", "Maker", "Chip maker", "Chipmaker", "Chip vendor", "Seller"),
        required=True,
        tooltip="The chip maker",
    ),
    Field(
        "chip_model",
        "Chip model",
        ("Chip", "Model", "GPU", "Accelerator", "Product", "Chip type"),
        tooltip="e.g. H20, Ascend 910B",
    ),
    Field(
        "units",
        "Units",
        (
            "Qty",
            "Quantity",
            "Units shipped",
            "Shipments",
            "Volume",
            "Number of chips",
            "Unit count",
            "Chips ordered",
        ),
        tooltip="Number of chips: 230k, 230,000, 23万",
    ),
    Field(
        "value",
        "Value",
        ("Amount", "Order value", "Spend", "Price paid", "Total value"),
        tooltip="Order value: 12bn, RMB 16B, 120亿元",
    ),
    _CURRENCY,
    Field(
        "export_note",
        "Export control",
        ("Export note", "Export controls", "Export licence", "Export license"),
        tooltip="e.g. modified for US export rules",
    ),
    _STATUS,
    _BOUND,
    _SOURCE,
    _URL,
    _REPORTED,
    _QUOTE,
    _NOTES,
    _COUNTRY,
    _FISCAL_END,
    Field(
        "supplier_country",
        "Supplier country",
        ("Vendor country", "Manufacturer country", "Maker country"),
        tooltip="Two-letter country (US, CN) of a supplier this import creates",
    ),
)

FX_RATE_FIELDS: tuple[Field, ...] = (
    Field(
        "currency",
        "Currency",
        ("Ccy", "Curr", "Currency code"),
        required=True,
        tooltip="ISO code (CNY)",
    ),
    Field("year", "Year", ("Calendar year", "Yr"), required=True, tooltip="The year of the rate"),
    Field(
        "units_per_usd",
        "Units per USD",
        ("Rate", "FX rate", "Exchange rate", "Per USD", "Units per US dollar", "Rate per USD"),
        required=True,
        tooltip="How many units of the currency buy one US dollar (7.2)",
    ),
    Field("note", "Note", ("Notes", "Comment", "Source"), tooltip="Where the rate comes from"),
)

FIELDS: dict[ImportTable, tuple[Field, ...]] = {
    ImportTable.INVESTMENTS: INVESTMENT_FIELDS,
    ImportTable.CHIP_ORDERS: CHIP_ORDER_FIELDS,
    ImportTable.FX_RATES: FX_RATE_FIELDS,
}

#: Headers of columns the app works out itself (exports write them; imports skip them).
DERIVED_HEADERS = frozenset({"value display", "unit price", "origin"})

_PUNCT = re.compile(r"[\s_\-./:()\[\]#*]+")


def normalise_header(text: str) -> str:
    """'Units_Shipped ' -> 'units shipped'; 'Value (display)' -> 'value display'."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_PUNCT.sub(" ", folded).split())


def field_by_key(table: ImportTable, key: str) -> Field:
    """The field *key* of *table* (KeyError naming the valid keys otherwise)."""
    for f in FIELDS[table]:
        if f.key == key:
            return f
    valid = ", ".join(f.key for f in FIELDS[table])
    raise KeyError(f"{table.label} have no field {key!r} (fields: {valid})")


def match_field(table: ImportTable, header: str) -> Field | None:
    """The field a header names, or None."""
    wanted = normalise_header(header)
    if not wanted:
        return None
    for f in FIELDS[table]:
        if wanted in f.names():
            return f
    return None


def header_score(table: ImportTable) -> Callable[[Sequence[str]], int]:
    """A scorer for ``find_header``: how many cells of a row name a field of *table*."""

    def score(cells: Sequence[str]) -> int:
        return sum(
            1 for c in cells if match_field(table, c) or normalise_header(c) in DERIVED_HEADERS
        )

    return score
