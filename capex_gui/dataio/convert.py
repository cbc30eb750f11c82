"""A row of a file -> an Investment, ChipOrder or FxRate, or every reason it cannot be one.

Names (companies, suppliers, categories, regions) are matched to stored ones ignoring case and
through company aliases; names nobody knows are collected as ``NewName`` for the user to
confirm (with the country a Country column gives, if any).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from capex_gui.dataio import values as v
from capex_gui.dataio.fields import FIELDS, ImportTable, field_by_key, normalise_header
from capex_gui.dataio.tabular import Cell, cell_text, column_label
from capex_gui.domain.aliases import NameIndex, name_key
from capex_gui.domain.entities import MAX_YEAR, MIN_YEAR, ChipOrder, FxRate, Investment, Status
from capex_gui.domain.parsing import Bound
from capex_gui.domain.periods import Period
from capex_gui.errors import CapexError, ValidationError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from capex_gui.dataio.mapping import ColumnMapping
    from capex_gui.dataio.tabular import TableRow

Entity = Investment | ChipOrder | FxRate

#: Texts remembered with the stored name they mean (a big file names few companies, often).
KNOWN_CACHE = 10_000

#: Reference kinds an import may create, in the order they are created.
REFERENCE_KINDS = ("company", "supplier", "category", "region")


@dataclass(frozen=True, slots=True)
class RowError:
    """Why one cell (or row) of a file cannot be imported."""

    line: int
    column: str  # 'C “Amount”', 'fixed value of Currency', or '' for the row as a whole
    text: str
    reason: str

    def sentence(self) -> str:
        """'line 7, column C “Amount”: “40xx” is not a number...'."""
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.reason}"


class RowFailure(CapexError):
    """A row that cannot be imported; ``errors`` says why, cell by cell."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(e.sentence() for e in errors))
        self.errors = errors


@dataclass
class NewName:
    """A company, supplier, category or region the file names but the database lacks."""

    kind: str
    name: str
    first_line: int
    country: str | None = None
    rows: int = 0
    fiscal_year_end: int | None = None


@dataclass
class ReferenceNames:
    """Stored names (with aliases) and the new names a file brings."""

    indexes: dict[str, NameIndex]
    new: dict[str, dict[str, NewName]] = field(default_factory=dict)
    #: Stored companies' fiscal-year end months (December when missing).
    fiscal_ends: dict[str, int] = field(default_factory=dict)
    _known: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    @classmethod
    def of(
        cls,
        companies: Iterable[str] = (),
        suppliers: Iterable[str] = (),
        categories: Iterable[str] = (),
        regions: Iterable[str] = (),
        aliases: Iterable[tuple[str, str]] = (),
    ) -> ReferenceNames:
        """Names from plain lists; *aliases* are (alias, company) pairs."""
        return cls(
            {
                "company": NameIndex(companies, aliases),
                "supplier": NameIndex(suppliers),
                "category": NameIndex(categories),
                "region": NameIndex(regions),
            }
        )

    def resolve(self, kind: str, text: str, line: int) -> str:
        """The stored name *text* means, else a new name (remembered with its first line)."""
        known = self._known.get((kind, text))
        if known is not None:
            return known
        found = self.indexes[kind].find(text)
        if found is not None and len(self._known) < KNOWN_CACHE:
            self._known[(kind, text)] = found
        if found is not None:
            return found
        bucket = self.new.setdefault(kind, {})
        entry = bucket.get(name_key(text))
        if entry is None:
            entry = bucket[name_key(text)] = NewName(kind, text, line)
        entry.rows += 1
        return entry.name

    def set_country(self, kind: str, name: str, country: str) -> None:
        """Give a new company or supplier its country; ValidationError if it has another."""
        entry = self.new.get(kind, {}).get(name_key(name))
        if entry is None:
            return  # a known name: its stored country stands
        if entry.country is None:
            entry.country = country
        elif entry.country != country:
            raise ValidationError(
                f"the new {kind} {name} is in {entry.country} on line {entry.first_line} "
                f"but in {country} here"
            )

    def fiscal_end(self, company: str) -> int:
        """The month *company*'s fiscal year ends in (a new company's, as the file says)."""
        entry = self.new.get("company", {}).get(name_key(company))
        if entry is not None:
            return entry.fiscal_year_end or 12
        return self.fiscal_ends.get(company, 12)

    def set_fiscal_end(self, company: str, month: int) -> None:
        """Give a new company its fiscal-year end; ValidationError if it has another."""
        entry = self.new.get("company", {}).get(name_key(company))
        if entry is None:
            return
        if entry.fiscal_year_end is None:
            entry.fiscal_year_end = month
        elif entry.fiscal_year_end != month:
            raise ValidationError(
                f"the new company {company}'s fiscal year ends in month {entry.fiscal_year_end} "
                f"on line {entry.first_line} but in month {month} here"
            )

    def new_names(self) -> list[NewName]:
        """Every new name, by kind then first line."""
        return [
            n
            for kind in REFERENCE_KINDS
            for n in sorted(self.new.get(kind, {}).values(), key=lambda n: n.first_line)
        ]


#: Parsed cells remembered per import (periods, years, currencies, names...); memory stays
#: bounded: past this many distinct texts, further ones are parsed every time.
PARSED_CACHE = 20_000

#: Parsers whose result depends on their inputs alone and whose inputs repeat down a column.
_REPEATING = frozenset(
    {
        v.name_value,
        v.country_value,
        v.month_value,
        v.period_value,
        v.year_value,
        v.currency_value,
        v.status_value,
        v.bound_value,
        v.date_value,
    }
)
_MISSING = object()


@dataclass(frozen=True, slots=True)
class _Unreadable:
    """A cell a parser refused, and why (remembered like a parsed value)."""

    reason: str


@lru_cache(maxsize=256)
def _calendar_year(year: int) -> Period:
    """The calendar year as a period (built once per year: a big file repeats few years)."""
    return Period.calendar(year)


class RowConverter:
    """Turns rows of one file into entities of one table through a mapping."""

    def __init__(
        self,
        mapping: ColumnMapping,
        headers: Sequence[str],
        names: ReferenceNames,
        *,
        decimal_comma: bool = False,
    ) -> None:
        self.mapping = mapping
        self.table = mapping.table
        self.headers = tuple(headers)
        self.names = names
        self.decimal_comma = decimal_comma
        self._labels = {k: column_label(i, headers) for k, i in mapping.columns.items()}
        self._failed: set[str] = set()
        self._parsed: dict[tuple[Any, ...], Any] = {}
        self._active = set(mapping.columns) | set(mapping.fixed)
        self._required = {f.key for f in FIELDS[self.table] if f.required}
        self._empty = {f.key: f"the {f.label.lower()} is empty" for f in FIELDS[self.table]}
        year_column = mapping.columns.get("year")
        self._fiscal_years = year_column is not None and normalise_header(
            self.headers[year_column]
        ) in ("fiscal year", "fy")

    # -- cells ------------------------------------------------------------------------------
    def _cell(self, row: TableRow, key: str) -> Cell:
        index = self.mapping.columns.get(key)
        if index is not None:
            found = row.cell(index)
            if found is not None and not (isinstance(found, str) and not found.strip()):
                return found
            return self.mapping.fixed.get(key)
        return self.mapping.fixed.get(key)

    def _where(self, row: TableRow, key: str) -> str:
        index = self.mapping.columns.get(key)
        if index is not None and row.cell(index) not in (None, ""):
            return self._labels[key]
        if key in self.mapping.fixed:
            return f"fixed value of {field_by_key(self.table, key).label}"
        return self._labels.get(key, field_by_key(self.table, key).label)

    def convert(self, row: TableRow) -> Entity:
        """The entity *row* describes; RowFailure listing every problem otherwise."""
        errors: list[RowError] = []
        self._failed = set()

        def read(key: str, parse: Any, *args: Any, **kwargs: Any) -> Any:
            if key not in self._active:  # no column, no fixed value: the field's default
                if key in self._required:
                    errors.append(RowError(row.line, self._where(row, key), "", self._empty[key]))
                return None
            cell = self._cell(row, key)
            if parse in _REPEATING:
                value = self._parse_once(parse, cell, args, kwargs)
            else:
                try:
                    value = parse(cell, *args, **kwargs)
                except (ValidationError, ValueError) as exc:
                    value = _Unreadable(str(exc))
            if isinstance(value, _Unreadable):
                errors.append(
                    RowError(row.line, self._where(row, key), cell_text(cell), value.reason)
                )
                self._failed.add(key)
                return None
            if value is None and key in self._required:
                errors.append(RowError(row.line, self._where(row, key), "", self._empty[key]))
            return value

        entity: Entity | None
        if self.table is ImportTable.FX_RATES:
            entity = self._fx_rate(row, read)
        elif self.table is ImportTable.INVESTMENTS:
            entity = self._investment(row, read, errors)
        else:
            entity = self._chip_order(row, read, errors)
        if errors:
            raise RowFailure(errors)
        assert entity is not None
        return entity

    def _parse_once(
        self, parse: Any, cell: Cell, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
        """*parse* (a pure parser) of *cell*, remembered: a big file repeats few such texts.

        The key holds every input (the year cell, the fiscal-year end...) and each cell's type
        (1, 1.0 and True are equal keys otherwise); a failure is remembered as its reason.
        """
        key = (
            parse,
            type(cell),
            cell,
            tuple((type(a), a) for a in args),
            tuple(kwargs.items()),
        )
        found = self._parsed.get(key, _MISSING)
        if found is not _MISSING:
            return found
        try:
            found = parse(cell, *args, **kwargs)
        except (ValidationError, ValueError) as exc:
            found = _Unreadable(str(exc))
        if len(self._parsed) < PARSED_CACHE:
            self._parsed[key] = found
        return found

    # -- shared pieces ----------------------------------------------------------------------
    def _name(self, row: TableRow, read: Any, key: str, kind: str) -> str | None:
        text = read(key, v.name_value, field_by_key(self.table, key).label.lower())
        if text is None:
            return None
        return self.names.resolve(kind, text, row.line)

    def _country(
        self,
        row: TableRow,
        read: Any,
        errors: list[RowError],
        key: str,
        kind: str,
        name: str | None,
    ) -> None:
        country = read(key, v.country_value)
        if country and name:
            try:
                self.names.set_country(kind, name, country)
            except ValidationError as exc:
                errors.append(RowError(row.line, self._where(row, key), country, str(exc)))

    def _period(
        self, row: TableRow, read: Any, errors: list[RowError], company: str | None
    ) -> tuple[int | None, Period | None]:
        """(year, period): from a Period column (with a Year column for "Q3"), else the Year."""
        fiscal_end = read("fiscal_year_end", v.month_value)
        if fiscal_end is not None and company:
            try:
                self.names.set_fiscal_end(company, fiscal_end)
            except ValidationError as exc:
                errors.append(
                    RowError(
                        row.line, self._where(row, "fiscal_year_end"), str(fiscal_end), str(exc)
                    )
                )
        if fiscal_end is None:
            fiscal_end = self.names.fiscal_end(company) if company else 12
        if self._cell(row, "period") is not None:
            period = read(
                "period",
                v.period_value,
                self._cell(row, "year"),
                fiscal_year_end=fiscal_end,
                fiscal_year_column=self._fiscal_years,
            )
            if period is not None or "period" in self._failed:
                return (period.calendar_year if period else None), period
        year = read("year", v.year_value)
        if year is not None and MIN_YEAR <= year <= MAX_YEAR:
            return year, _calendar_year(year)
        return year, None

    def _sourced(self, read: Any) -> dict[str, Any]:
        status = read("status", v.status_value)
        return {
            "status": status or Status.REPORTED,
            "source": read("source", v.text_value) or "",
            "source_url": (read("source_url", v.text_value) or "").strip(),
            "reported_on": read("reported_on", v.date_value),
            "quote": read("quote", v.text_value) or "",
            "notes": read("notes", v.text_value) or "",
        }

    @staticmethod
    def _bound(
        row: TableRow,
        errors: list[RowError],
        where: str,
        stated: Bound | None,
        *implied: Bound,
    ) -> Bound:
        """The qualifier column if given, else what the figures' text implies (which agree)."""
        said = {b for b in implied if b is not Bound.EXACT}
        if stated is not None:
            if said and said != {stated}:
                errors.append(
                    RowError(
                        row.line,
                        where,
                        stated.value,
                        "the qualifier disagrees with the figure's own "
                        f"({', '.join(sorted(b.value for b in said))})",
                    )
                )
            return stated
        if len(said) > 1:
            errors.append(
                RowError(
                    row.line,
                    "",
                    "",
                    "units and value have different qualifiers: give one in a Qualifier column",
                )
            )
        return said.pop() if said else Bound.EXACT

    def _build(
        self, row: TableRow, errors: list[RowError], kind: type, values: dict[str, Any]
    ) -> Any:
        if errors:
            return None
        try:
            return kind(**values)
        except ValidationError as exc:
            errors.append(RowError(row.line, "", "", str(exc)))
            return None

    # -- tables -----------------------------------------------------------------------------
    def _investment(self, row: TableRow, read: Any, errors: list[RowError]) -> Investment | None:
        company = self._name(row, read, "company", "company")
        self._country(row, read, errors, "country", "company", company)
        category = self._name(row, read, "category", "category")
        region = self._name(row, read, "region", "region")
        year, period = self._period(row, read, errors, company)
        currency = read("currency", v.currency_value)
        amount = read("amount", v.amount_value, currency=currency, decimal_comma=self.decimal_comma)
        if amount is not None and amount.value is None:
            errors.append(RowError(row.line, self._where(row, "amount"), "", "the amount is empty"))
            amount = None
        if amount is not None:
            currency = self._currency(row, errors, "amount", currency, amount.currency)
        low = read(
            "amount_low", v.amount_value, currency=currency, decimal_comma=self.decimal_comma
        )
        high = read(
            "amount_high", v.amount_value, currency=currency, decimal_comma=self.decimal_comma
        )
        for key, parsed in (("amount_low", low), ("amount_high", high)):
            if parsed is not None and parsed.value is not None:
                self._currency(row, errors, key, currency, parsed.currency)
        bound = self._bound(
            row,
            errors,
            self._where(row, "bound"),
            read("bound", v.bound_value),
            *([amount.bound] if amount else []),
        )
        sourced = self._sourced(read)
        if amount is None or currency is None:
            return None
        return self._build(
            row,
            errors,
            Investment,
            {
                "company": company,
                "year": year,
                "period": period,
                "category": category,
                "region": region,
                "amount": amount.value,
                "currency": currency,
                "bound": bound,
                "amount_low": low.value if low else None,
                "amount_high": high.value if high else None,
                **sourced,
            },
        )

    def _currency(
        self, row: TableRow, errors: list[RowError], key: str, column: str | None, named: str | None
    ) -> str | None:
        if "currency" in self._failed:
            return None
        if column and named and column != named:
            errors.append(
                RowError(
                    row.line,
                    self._where(row, key),
                    named,
                    f"the figure is in {named} but the currency is {column}",
                )
            )
            return None
        currency = column or named
        if currency is None and key in ("amount", "value") and "currency" not in self._failed:
            errors.append(
                RowError(
                    row.line,
                    self._where(row, key),
                    "",
                    "no currency: add a Currency column or a fixed value, or "
                    "write it in the figure (USD 40bn)",
                )
            )
        return currency

    def _chip_order(self, row: TableRow, read: Any, errors: list[RowError]) -> ChipOrder | None:
        company = self._name(row, read, "company", "company")
        self._country(row, read, errors, "country", "company", company)
        supplier = self._name(row, read, "supplier", "supplier")
        self._country(row, read, errors, "supplier_country", "supplier", supplier)
        region = self._name(row, read, "region", "region")
        year, period = self._period(row, read, errors, company)
        units_read = read("units", v.units_value, decimal_comma=self.decimal_comma)
        units, units_bound = units_read if units_read else (None, Bound.EXACT)
        currency = read("currency", v.currency_value)
        value = read("value", v.amount_value, currency=currency, decimal_comma=self.decimal_comma)
        if value is not None and value.value is not None:
            currency = self._currency(row, errors, "value", currency, value.currency)
        implied = [units_bound] + ([value.bound] if value else [])
        bound = self._bound(
            row, errors, self._where(row, "bound"), read("bound", v.bound_value), *implied
        )
        sourced = self._sourced(read)
        return self._build(
            row,
            errors,
            ChipOrder,
            {
                "company": company,
                "year": year,
                "period": period,
                "region": region,
                "supplier": supplier,
                "chip_model": (read("chip_model", v.text_value) or "").strip(),
                "units": units,
                "value": value.value if value else None,
                "currency": currency,
                "bound": bound,
                "export_note": (read("export_note", v.text_value) or "").strip(),
                **sourced,
            },
        )

    def _fx_rate(self, row: TableRow, read: Any) -> FxRate | None:
        currency = read("currency", v.currency_value)
        year = read("year", v.year_value)
        rate = read("units_per_usd", v.rate_value, decimal_comma=self.decimal_comma)
        note = read("note", v.text_value) or ""
        if currency is None or year is None or rate is None:
            return None
        try:
            return FxRate(currency, year, rate, note)
        except ValidationError as exc:
            raise RowFailure([RowError(row.line, "", "", str(exc))]) from None
