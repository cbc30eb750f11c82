"""SQLAlchemy ORM tables. Amounts are integer hundredths; FX rates integers of 10^-10.

Figures and FX rates carry a ``version`` that every UPDATE bumps (SQLAlchemy's version counter);
an edit checks it to tell whether the row still holds what the user saw.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from capex_gui.domain.currencies import KNOWN_CURRENCIES
from capex_gui.domain.entities import MAX_YEAR, MIN_YEAR, Status
from capex_gui.domain.parsing import Bound
from capex_gui.domain.periods import Basis, Granularity

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: tuple[str, ...] | list[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


CURRENCY_IN = _in("currency", KNOWN_CURRENCIES)
STATUS_IN = _in("status", [s.value for s in Status])
BOUND_IN = _in("bound", [b.value for b in Bound])
YEAR_OK = f"year BETWEEN {MIN_YEAR} AND {MAX_YEAR}"
BASIS_IN = _in("period_basis", [b.value for b in Basis])
KIND_IN = _in("period_kind", [g.value for g in Granularity])


def _months(column: str) -> str:
    """Months since year 0 of a YYYYMM integer column, in SQL."""
    return f"(({column} / 100) * 12 + {column} % 100)"


_LENGTH = f"({_months('period_end')} - {_months('period_start')} + 1)"

#: The stored period is well formed: real months, in order, as long as its kind says, and a
#: calendar period has no fiscal year end. (The domain checks the rest: Period.from_months.)
PERIOD_CHECKS = (
    ("period_start % 100 BETWEEN 1 AND 12 AND period_end % 100 BETWEEN 1 AND 12", "period_months"),
    (BASIS_IN, "period_basis"),
    (KIND_IN, "period_kind"),
    ("period_year_end BETWEEN 1 AND 12", "period_year_end"),
    ("period_basis = 'fiscal' OR period_year_end = 12", "period_calendar_year_end"),
    (
        f"({_LENGTH} = 3 AND period_kind = 'quarter') OR ({_LENGTH} = 6 AND period_kind = 'half') "
        f"OR ({_LENGTH} = 12 AND period_kind = 'year') "
        f"OR ({_LENGTH} >= 24 AND {_LENGTH} % 12 = 0 AND period_kind = 'span')",
        "period_length",
    ),
)


def utcnow() -> datetime:
    """Timestamp for created_at / updated_at."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base with constraint naming (Alembic batch mode needs names)."""

    metadata = MetaData(naming_convention=NAMING)


class Timestamped:
    """created_at / updated_at on every row."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class CompanyRow(Timestamped, Base):
    """A buyer."""

    __tablename__ = "companies"
    __table_args__ = (
        CheckConstraint("length(country) = 2", name="country_code"),
        CheckConstraint("fiscal_year_end BETWEEN 1 AND 12", name="fiscal_year_end"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    country: Mapped[str] = mapped_column(String(2))
    fiscal_year_end: Mapped[int] = mapped_column(SmallInteger, default=12, server_default="12")


class SupplierRow(Timestamped, Base):
    """A chip maker."""

    __tablename__ = "suppliers"
    __table_args__ = (CheckConstraint("length(country) = 2", name="country_code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    country: Mapped[str] = mapped_column(String(2))


class CategoryRow(Timestamped, Base):
    """An entry of the managed category list."""

    __tablename__ = "categories"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class RegionRow(Timestamped, Base):
    """An entry of the managed region list."""

    __tablename__ = "regions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class SourcedMixin:
    """Where a figure comes from."""

    status: Mapped[str] = mapped_column(String(16), default=Status.REPORTED.value)
    bound: Mapped[str] = mapped_column(String(16), default=Bound.EXACT.value)
    source: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = mapped_column(Text, default="")
    reported_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    quote: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class ImportedMixin:
    """The import that added a row (None for rows typed, pasted or made by the app)."""

    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("imports.id", ondelete="SET NULL"), nullable=True, index=True
    )


class PeriodMixin:
    """The period a figure covers, unambiguously: first and last calendar month as YYYYMM,
    plus how it was written (calendar or fiscal; year, half, quarter or span; the fiscal year
    end it was read against). ``year`` stays beside it: the calendar year the figure counts in
    and converts at (``Period.calendar_year``), which the year filters and FX lookups use."""

    period_start: Mapped[int] = mapped_column(Integer)
    period_end: Mapped[int] = mapped_column(Integer)
    period_basis: Mapped[str] = mapped_column(String(8), default=Basis.CALENDAR.value)
    period_kind: Mapped[str] = mapped_column(String(8), default=Granularity.YEAR.value)
    period_year_end: Mapped[int] = mapped_column(SmallInteger, default=12)


def _period_checks() -> tuple[CheckConstraint, ...]:
    return tuple(CheckConstraint(sql, name=name) for sql, name in PERIOD_CHECKS)


class InvestmentRow(PeriodMixin, SourcedMixin, ImportedMixin, Timestamped, Base):
    """One spending figure."""

    __tablename__ = "investments"
    __table_args__ = (
        CheckConstraint(YEAR_OK, name="year_range"),
        CheckConstraint(CURRENCY_IN, name="known_currency"),
        CheckConstraint(STATUS_IN, name="known_status"),
        CheckConstraint(BOUND_IN, name="known_bound"),
        CheckConstraint("amount_minor >= 0", name="amount_nonneg"),
        CheckConstraint("low_minor IS NULL OR low_minor >= 0", name="low_nonneg"),
        CheckConstraint("high_minor IS NULL OR high_minor >= 0", name="high_nonneg"),
        CheckConstraint(
            "low_minor IS NULL OR high_minor IS NULL OR low_minor <= high_minor", name="range_order"
        ),
        *_period_checks(),
        Index("ix_investments_company_year", "company_id", "year"),
        Index("ix_investments_period", "period_start", "period_end"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="RESTRICT"))
    year: Mapped[int] = mapped_column(Integer)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="RESTRICT"))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    low_minor: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    high_minor: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: Who last changed the row (database or OS user; None: before history was kept).
    changed_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (read by the mapper)


class ChipOrderRow(PeriodMixin, SourcedMixin, ImportedMixin, Timestamped, Base):
    """One chip order."""

    __tablename__ = "chip_orders"
    __table_args__ = (
        CheckConstraint(YEAR_OK, name="year_range"),
        CheckConstraint(f"currency IS NULL OR {CURRENCY_IN}", name="known_currency"),
        CheckConstraint(STATUS_IN, name="known_status"),
        CheckConstraint(BOUND_IN, name="known_bound"),
        CheckConstraint("units IS NULL OR units >= 0", name="units_nonneg"),
        CheckConstraint("value_minor IS NULL OR value_minor >= 0", name="value_nonneg"),
        CheckConstraint("units IS NOT NULL OR value_minor IS NOT NULL", name="units_or_value"),
        CheckConstraint("value_minor IS NULL OR currency IS NOT NULL", name="value_currency"),
        *_period_checks(),
        Index("ix_chip_orders_company_year", "company_id", "year"),
        Index("ix_chip_orders_supplier", "supplier_id"),
        Index("ix_chip_orders_period", "period_start", "period_end"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="RESTRICT"))
    year: Mapped[int] = mapped_column(Integer)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="RESTRICT"))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="RESTRICT"))
    chip_model: Mapped[str] = mapped_column(String(200), default="")
    units: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    value_minor: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    export_note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: Who last changed the row (database or OS user; None: before history was kept).
    changed_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (read by the mapper)


class FxRateRow(ImportedMixin, Timestamped, Base):
    """Units of a currency per US dollar in a year."""

    __tablename__ = "fx_rates"
    __table_args__ = (
        UniqueConstraint("currency", "year", name="uq_fx_rates_currency_year"),
        CheckConstraint(YEAR_OK, name="year_range"),
        CheckConstraint(CURRENCY_IN, name="known_currency"),
        CheckConstraint("rate_scaled > 0", name="rate_positive"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    year: Mapped[int] = mapped_column(Integer)
    rate_scaled: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: Who last changed the row (database or OS user; None: before history was kept).
    changed_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (read by the mapper)


class ImportRow(Base):
    """One import of a file: its rows carry this id, so they can be found and removed together."""

    __tablename__ = "imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(Text)
    table_name: Mapped[str] = mapped_column(String(16))
    row_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: JSON: the names the import created, by kind ({"company": ["Foo"]}).
    created_names: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")


class CompanyAliasRow(Timestamped, Base):
    """Another name of a company: a ticker, an other-language or a former name."""

    __tablename__ = "company_aliases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(String(200))
    #: The alias as names are compared (case, width and spaces folded); unique across companies.
    alias_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="other name", server_default="other name")


class HeadlineRow(SourcedMixin, Timestamped, Base):
    """A company's total for a year as a report states it (checked against its parts)."""

    __tablename__ = "headlines"
    __table_args__ = (
        CheckConstraint(YEAR_OK, name="year_range"),
        CheckConstraint(CURRENCY_IN, name="known_currency"),
        CheckConstraint(STATUS_IN, name="known_status"),
        CheckConstraint(BOUND_IN, name="known_bound"),
        CheckConstraint("amount_minor >= 0", name="amount_nonneg"),
        Index("ix_headlines_company_year", "company_id", "year"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="RESTRICT"))
    year: Mapped[int] = mapped_column(Integer)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))


class StatedShareRow(SourcedMixin, Timestamped, Base):
    """A share of a company's chip orders a report states for a group of suppliers."""

    __tablename__ = "stated_shares"
    __table_args__ = (
        CheckConstraint(YEAR_OK, name="year_range"),
        CheckConstraint(STATUS_IN, name="known_status"),
        CheckConstraint(BOUND_IN, name="known_bound"),
        CheckConstraint("share_ppm > 0 AND share_ppm <= 1000000", name="share_range"),
        CheckConstraint("origin IN ('', 'domestic', 'imported')", name="known_origin"),
        Index("ix_stated_shares_company_year", "company_id", "year"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="RESTRICT"))
    year: Mapped[int] = mapped_column(Integer)
    region_id: Mapped[int | None] = mapped_column(
        ForeignKey("regions.id", ondelete="RESTRICT"), nullable=True
    )
    share_ppm: Mapped[int] = mapped_column(Integer)  # parts per million: 0.6 -> 600000
    origin: Mapped[str] = mapped_column(String(16), default="")
    suppliers: Mapped[str] = mapped_column(Text, default="")  # names joined by "; "


#: What a change-log entry did to its row.
CHANGE_OPS = ("insert", "update", "delete", "reset")


class ChangeRow(Base):
    """One committed change to a row, so other windows on the database can apply it.

    Written in the same transaction as the change (see ``storage/changes.py``). ``before`` and
    ``after`` are the row's values (JSON) for the tables charts are drawn from, so another
    window applies the exact delta; ``origin`` tells a window its own changes from others'.
    Only the latest entries are kept: a window that fell further behind re-reads everything.
    """

    __tablename__ = "change_log"
    __table_args__ = (CheckConstraint(_in("op", CHANGE_OPS), name="known_op"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    table_name: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    op: Mapped[str] = mapped_column(String(8))
    origin: Mapped[str] = mapped_column(String(32))
    before: Mapped[str | None] = mapped_column(Text, nullable=True)
    after: Mapped[str | None] = mapped_column(Text, nullable=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


#: What a history entry did to its row.
HISTORY_OPS = ("insert", "update", "delete")


class HistoryRow(Base):
    """One change of one figure or FX rate, kept for people to read (``storage/history.py``).

    Written in the same transaction as the change; never pruned.
    """

    __tablename__ = "row_history"
    __table_args__ = (
        CheckConstraint(_in("op", HISTORY_OPS), name="known_op"),
        Index("ix_row_history_row", "table_name", "row_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    table_name: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[int] = mapped_column(Integer)
    op: Mapped[str] = mapped_column(String(8))
    changed_by: Mapped[str] = mapped_column(String(128))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    before: Mapped[str | None] = mapped_column(Text, nullable=True)
    after: Mapped[str | None] = mapped_column(Text, nullable=True)
