"""Summary tables: counts and sums of the figure tables per group, kept current by triggers.

Each summary holds, for every group of rows (a company's year with one supplier, region and
currency, say), how many rows there are and what they add up to. SQLite triggers keep it current
in the same transaction as every INSERT, UPDATE and DELETE of the figure table, whoever writes
(this app, an import, another window), so it can never disagree with the rows. Charts, the
``summary`` and ``export-chart`` commands and the filter lists read these few thousand groups
instead of a million rows. PostgreSQL keeps no summary tables: it computes the same groups
(:meth:`Summary.grouped`) by GROUP BY over the indexed figure tables as they are read.

Sums of money and units are kept in two integer columns, ``x_hi = x / 10^9`` and
``x_lo = x % 10^9``: a plain running sum could pass SQLite's 64-bit limit, which silently turns
an integer into a float. ``merged(hi, lo)`` puts them back together exactly.

One description per summary (:class:`Summary`) gives the table, its triggers and its rebuild.
Migration 0009 holds the same SQL as literal text (a migration must not change when this module
does); ``tests/storage/test_summaries.py`` checks that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Whitespace a source may consist of and still count as no source (the domain strips the same).
BLANK_SQL = "' ' || char(9, 10, 11, 12, 13)"
#: The same blanks in PostgreSQL, which has chr() where SQLite has char().
BLANK_SQL_PG = "' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)"
#: Statuses drawn as estimates (domain: Status.is_soft).
SOFT_SQL = "('estimate', 'planned')"
SPLIT = 1_000_000_000


def merged(hi: int | None, lo: int | None) -> int:
    """The exact sum kept as ``hi`` and ``lo`` (see the module docstring)."""
    return int(hi or 0) * SPLIT + int(lo or 0)


@dataclass(frozen=True)
class Column:
    """A column of a summary: its name, SQL type and the expression over a figure row ``{r}``."""

    name: str
    type: str
    expr: str
    #: A true/false expression (SQLite: 0/1; PostgreSQL: a boolean, summed as 0/1).
    flag: bool = False

    def over(self, row: str) -> str:
        """The expression for row alias *row* (``new``, ``old`` or the table name)."""
        return self.expr.format(r=row)


@dataclass(frozen=True)
class Summary:
    """A summary table over one figure table: key columns, counted and summed columns."""

    name: str
    table: str
    keys: tuple[Column, ...]
    #: Columns summed as plain integers (counts of rows with a property: 0 or 1 each).
    counts: tuple[Column, ...] = ()
    #: Columns summed exactly in hi/lo halves (money in minor units, chip units).
    sums: tuple[Column, ...] = ()
    #: Figure columns whose change can move a row between groups or change a sum.
    watched: tuple[str, ...] = ()

    # -- columns ----------------------------------------------------------------------------
    @property
    def key_names(self) -> list[str]:
        """Key column names, in order."""
        return [c.name for c in self.keys]

    @property
    def value_names(self) -> list[str]:
        """n, the counts, then each sum's hi and lo."""
        out = ["n", *(c.name for c in self.counts)]
        for c in self.sums:
            out += [f"{c.name}_hi", f"{c.name}_lo"]
        return out

    def _value_exprs(self, row: str, sign: str = "") -> list[str]:
        out = [f"{sign}1", *(f"{sign}({c.over(row)})" for c in self.counts)]
        for c in self.sums:
            x = c.over(row)
            out += [f"{sign}(({x}) / {SPLIT})", f"{sign}(({x}) % {SPLIT})"]
        return out

    # -- SQL ----------------------------------------------------------------------------------
    def create_table(self) -> str:
        """CREATE TABLE for the summary (WITHOUT ROWID: the key is the table's order)."""
        cols = [f"{c.name} {c.type} NOT NULL" for c in self.keys]
        cols += [f"{name} INTEGER NOT NULL DEFAULT 0" for name in self.value_names]
        return (
            f"CREATE TABLE {self.name} ({', '.join(cols)}, "
            f"CONSTRAINT pk_{self.name} PRIMARY KEY ({', '.join(self.key_names)})) WITHOUT ROWID"
        )

    def _upsert(self, row: str, sign: str) -> str:
        cols = self.key_names + self.value_names
        values = [c.over(row) for c in self.keys] + self._value_exprs(row, sign)
        sets = ", ".join(f"{n} = {n} + excluded.{n}" for n in self.value_names)
        return (
            f"INSERT INTO {self.name} ({', '.join(cols)}) VALUES ({', '.join(values)}) "
            f"ON CONFLICT ({', '.join(self.key_names)}) DO UPDATE SET {sets};"
        )

    def _drop_empty(self, row: str) -> str:
        match = " AND ".join(f"{c.name} = {c.over(row)}" for c in self.keys)
        return f"DELETE FROM {self.name} WHERE {match} AND n = 0;"

    def triggers(self) -> dict[str, str]:
        """Trigger name -> CREATE TRIGGER: rows in, rows out, rows changed."""
        t = self.table
        watched = ", ".join(self.watched)
        return {
            f"{self.name}_insert": (
                f"CREATE TRIGGER {self.name}_insert AFTER INSERT ON {t} BEGIN "
                f"{self._upsert('new', '')} END"
            ),
            f"{self.name}_delete": (
                f"CREATE TRIGGER {self.name}_delete AFTER DELETE ON {t} BEGIN "
                f"{self._upsert('old', '-')} {self._drop_empty('old')} END"
            ),
            f"{self.name}_update": (
                f"CREATE TRIGGER {self.name}_update AFTER UPDATE OF {watched} ON {t} BEGIN "
                f"{self._upsert('old', '-')} {self._upsert('new', '')} "
                f"{self._drop_empty('old')} END"
            ),
        }

    def fill(self) -> str:
        """INSERT … SELECT … GROUP BY: the summary of the rows there are (into an empty table)."""
        keys = [c.over(self.table) for c in self.keys]
        aggs = ["count(*)", *(f"sum({c.over(self.table)})" for c in self.counts)]
        for c in self.sums:
            x = c.over(self.table)
            aggs += [f"sum(({x}) / {SPLIT})", f"sum(({x}) % {SPLIT})"]
        cols = self.key_names + self.value_names
        return (
            f"INSERT INTO {self.name} ({', '.join(cols)}) SELECT {', '.join(keys + aggs)} "
            f"FROM {self.table} GROUP BY {', '.join(keys)}"
        )

    def grouped(self, dialect: str) -> str:
        """SELECT … GROUP BY: this summary computed afresh from the figure rows, with the
        summary table's column names, in SQL both SQLite and PostgreSQL read (true/false as
        0/1). PostgreSQL reads its aggregates from this (it keeps no summary tables), and the
        tests compare SQLite's summary tables with it."""

        def expr(c: Column) -> str:
            x = c.over(self.table)
            if dialect == "postgresql":
                x = x.replace(BLANK_SQL, BLANK_SQL_PG).replace("trim(", "btrim(")
            return f"CASE WHEN {x} THEN 1 ELSE 0 END" if c.flag else x

        keys = [expr(c) for c in self.keys]
        cols = [f"{k} AS {c.name}" for k, c in zip(keys, self.keys, strict=True)]
        cols += ["count(*) AS n", *(f"sum({expr(c)}) AS {c.name}" for c in self.counts)]
        for c in self.sums:
            x = expr(c)
            cols += [f"sum(({x}) / {SPLIT}) AS {c.name}_hi", f"sum(({x}) % {SPLIT}) AS {c.name}_lo"]
        return f"SELECT {', '.join(cols)} FROM {self.table} GROUP BY {', '.join(keys)}"

    def statements(self) -> list[str]:
        """Everything that creates the summary: table, fill, triggers."""
        return [self.create_table(), self.fill(), *self.triggers().values()]


def _col(name: str, type_: str = "INTEGER", expr: str | None = None) -> Column:
    return Column(name, type_, expr or f"{{r}}.{name}")


def _flag(name: str, expr: str) -> Column:
    return Column(name, "INTEGER", expr, flag=True)


_SOFT = f"({{r}}.status IN {SOFT_SQL})"
#: The link stands in for the source only when the source is blank (domain: source_label).
_SOURCE_URL = f"CASE WHEN trim({{r}}.source, {BLANK_SQL}) = '' THEN {{r}}.source_url ELSE '' END"

INVESTMENT_TOTALS = Summary(
    "investment_totals",
    "investments",
    keys=(
        _col("company_id"),
        _col("year"),
        _col("category_id"),
        _col("region_id"),
        _col("currency", "TEXT"),
        _col("period_start"),
        _col("period_end"),
        _col("period_basis", "TEXT"),
        _col("period_kind", "TEXT"),
        _col("period_year_end"),
    ),
    sums=(
        _col("amount", expr="{r}.amount_minor"),
        _col("soft", expr=f"CASE WHEN {_SOFT} THEN {{r}}.amount_minor ELSE 0 END"),
        _col("below", expr="coalesce({r}.amount_minor - {r}.low_minor, 0)"),
        _col("above", expr="coalesce({r}.high_minor - {r}.amount_minor, 0)"),
    ),
    watched=(
        "company_id",
        "year",
        "category_id",
        "region_id",
        "currency",
        "period_start",
        "period_end",
        "period_basis",
        "period_kind",
        "period_year_end",
        "amount_minor",
        "low_minor",
        "high_minor",
        "status",
    ),
)
INVESTMENT_SOURCES = Summary(
    "investment_sources",
    "investments",
    keys=(
        _col("company_id"),
        _col("year"),
        _col("category_id"),
        _col("region_id"),
        _col("source", "TEXT"),
        _col("source_url", "TEXT", _SOURCE_URL),
    ),
    watched=("company_id", "year", "category_id", "region_id", "source", "source_url"),
)
ORDER_TOTALS = Summary(
    "chip_order_totals",
    "chip_orders",
    keys=(
        _col("company_id"),
        _col("year"),
        _col("supplier_id"),
        _col("region_id"),
        _col("currency", "TEXT", "coalesce({r}.currency, '')"),
        _flag("span", "({r}.period_kind = 'span')"),
    ),
    counts=(
        _flag("value_n", "({r}.value_minor IS NOT NULL)"),
        _flag("units_n", "({r}.units IS NOT NULL)"),
    ),
    sums=(
        _col("value", expr="coalesce({r}.value_minor, 0)"),
        _col("units", expr="coalesce({r}.units, 0)"),
    ),
    watched=(
        "company_id",
        "year",
        "supplier_id",
        "region_id",
        "currency",
        "period_kind",
        "value_minor",
        "units",
    ),
)
ORDER_SOURCES = Summary(
    "chip_order_sources",
    "chip_orders",
    keys=(
        _col("company_id"),
        _col("year"),
        _col("supplier_id"),
        _flag("soft", _SOFT),
        _col("source", "TEXT"),
        _col("source_url", "TEXT", _SOURCE_URL),
    ),
    watched=("company_id", "year", "supplier_id", "status", "source", "source_url"),
)

SUMMARIES = (INVESTMENT_TOTALS, INVESTMENT_SOURCES, ORDER_TOTALS, ORDER_SOURCES)
