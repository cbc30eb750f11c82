"""Periods and fiscal-year ends in the database: stored unambiguously, read back as written."""

from __future__ import annotations

from decimal import Decimal

import pytest

from capex_gui.domain.entities import ChipOrder, Company, Investment, Supplier
from capex_gui.domain.periods import Period, parse_period
from capex_gui.errors import ConstraintError
from capex_gui.storage.database import Database
from capex_gui.storage.repository import FigureQuery, Repository
from tests.db_rows import query


@pytest.fixture
def refs(repo: Repository) -> Repository:
    repo.add_company(Company("Microsoft", "US", fiscal_year_end_month=6))
    repo.add_company(Company("Nvidia", "US", fiscal_year_end_month=1))
    repo.add_supplier(Supplier("Nvidia", "US"))
    return repo


def _inv(period: Period, company: str = "Microsoft", amount: str = "1") -> Investment:
    return Investment(
        company, period.calendar_year, "Data centres", "United States", Decimal(amount), "USD",
        period=period,
    )  # fmt: skip


def _stored(db: Database, table: str) -> list[tuple[object, ...]]:
    return query(
        db,
        f"SELECT year, period_start, period_end, period_basis, period_kind, period_year_end "
        f"FROM {table} ORDER BY id",
    )


def test_companies_keep_their_fiscal_year_end(refs: Repository) -> None:
    assert [(c.name, c.fiscal_year_end_month) for c in refs.companies()] == [
        ("Microsoft", 6),
        ("Nvidia", 1),
    ]
    msft = refs.companies()[0]
    changed = refs.update_company(msft.with_changes(fiscal_year_end_month=9, country="IE"))
    assert changed == refs.companies()[0]
    assert (changed.country, changed.fiscal_year_end_month) == ("IE", 9)
    assert refs.fiscal_year_ends() == {"Microsoft": 9, "Nvidia": 1}


def test_periods_round_trip_and_are_stored_as_months(refs: Repository, db: Database) -> None:
    written = [
        parse_period("FY25 Q3", 6),
        parse_period("FY2025", 1),
        parse_period("FY25 Q4", 1),
        parse_period("H2 2025"),
        parse_period("2025–2027"),
        parse_period("FY25–FY27", 6),
    ]
    added = refs.add_investments([_inv(p) for p in written])
    assert [i.period for i in refs.investments()] == written
    assert [i.id for i in added] == [i.id for i in refs.investments()]
    assert _stored(db, "investments") == [
        (2025, 202501, 202503, "fiscal", "quarter", 6),
        (2024, 202402, 202501, "fiscal", "year", 1),
        (2024, 202411, 202501, "fiscal", "quarter", 1),
        (2025, 202507, 202512, "calendar", "half", 12),
        (2025, 202501, 202712, "calendar", "span", 12),
        (2024, 202407, 202706, "fiscal", "span", 6),
    ]


def test_chip_orders_carry_periods_and_bulk_rows_default_to_their_year(
    refs: Repository, db: Database
) -> None:
    q = parse_period("Q3 FY2025", 1)
    refs.add_chip_order(ChipOrder("Nvidia", 2024, "Global", "Nvidia", units=10, period=q))
    company_id, region_id, supplier_id = 2, 4, 1
    refs.bulk_insert_chip_orders(
        [
            {
                "company_id": company_id,
                "year": 2023,
                "region_id": region_id,
                "supplier_id": supplier_id,
                "units": 5,
            }
        ]
    )
    assert [o.period.label for o in refs.chip_orders()] == ["FY2025 Q3", "2023"]
    assert _stored(db, "chip_orders")[1] == (2023, 202301, 202312, "calendar", "year", 12)


def test_updates_keep_the_period(refs: Repository) -> None:
    inv = refs.add_investment(_inv(parse_period("FY25 Q1", 6)))
    moved = inv.with_changes(year=2026)  # the Year column: the period moves with it
    assert moved.period.label == "FY2027 Q1"
    refs.update_investment(moved)
    assert refs.get_investment(inv.id or 0).period == parse_period("FY27 Q1", 6)


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ("period_start = 202502", "not a whole year, half, quarter or span"),
        ("period_end = 202513", "not a whole year, half, quarter or span"),
        ("period_kind = 'quarter'", "not a whole year, half, quarter or span"),
        ("period_basis = 'lunar'", "not a whole year, half, quarter or span"),
        ("period_year_end = 6", "not a whole year, half, quarter or span"),
    ],
)
def test_the_database_refuses_malformed_periods(
    refs: Repository, db: Database, columns: str, message: str
) -> None:
    refs.add_investment(_inv(Period.calendar(2025)))
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError) as caught, db.engine.begin() as conn:
        conn.execute(text(f"UPDATE investments SET {columns}"))
    assert "ck_investments_period_" in str(caught.value)  # the constraint named, on both
    from capex_gui.storage.repository import _explain

    assert message in _explain(caught.value)
    assert refs.investments()[0].period == Period.calendar(2025)


def test_bad_fiscal_year_end_is_refused(refs: Repository) -> None:
    msft = refs.companies()[0]
    with pytest.raises(ValueError, match="a fiscal year ends in a month from 1 to 12"):
        refs.update_company(msft.with_changes(fiscal_year_end_month=13))
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError, match="ck_companies_fiscal_year_end"):  # noqa: SIM117
        with refs.engine.begin() as conn:
            conn.execute(text("UPDATE companies SET fiscal_year_end = 0"))
    assert refs.companies()[0].fiscal_year_end_month == 6
    with pytest.raises(ConstraintError, match="a company of that name exists already"):
        refs.update_company(msft.with_changes(name="Nvidia"))


def test_year_filter_includes_the_years_quarters(refs: Repository) -> None:
    rows = refs.add_investments(
        [
            _inv(parse_period("2025")),
            _inv(parse_period("Q1 2025")),
            _inv(parse_period("FY25 Q3", 6)),  # Jan–Mar 2025
            _inv(parse_period("FY25 Q1", 6)),  # Jul–Sep 2024
            _inv(parse_period("Q4 2024")),
        ]
    )
    ids = refs.figure_ids("investments", FigureQuery(year=2025))
    assert ids == [r.id for r in rows[:3]]
    by_start = refs.figure_ids("investments", FigureQuery(sort="period"))
    assert by_start == [rows[i].id for i in (3, 4, 0, 1, 2)]
    newest_first = refs.figure_ids("investments", FigureQuery(sort="period", descending=True))
    assert newest_first[0] in (rows[1].id, rows[2].id) and newest_first[-1] == rows[3].id


def test_a_new_fiscal_year_end_moves_the_companys_fiscal_figures(refs: Repository) -> None:
    q3 = refs.add_investment(_inv(parse_period("FY25 Q3", 6)))  # Jan–Mar 2025
    year = refs.add_investment(_inv(parse_period("2025")))  # calendar: never moves
    other = refs.add_investment(_inv(parse_period("FY25 Q3", 1), company="Nvidia"))
    msft = refs.companies()[0]
    change = refs.change_company(msft.with_changes(fiscal_year_end_month=9, name="Microsoft Corp"))
    assert change.before == msft and change.after.name == "Microsoft Corp"
    moved = refs.get_investment(q3.id or 0)
    assert moved.period.long_label == "FY2025 Q3 (Apr–Jun 2025)"
    assert (moved.year, moved.company) == (2025, "Microsoft Corp")
    assert refs.get_investment(year.id or 0).period == parse_period("2025")
    assert refs.get_investment(other.id or 0).period == parse_period("FY25 Q3", 1)
    assert [(old.period.label, new.period.months_label) for old, new in change.investments] == [
        ("FY2025 Q3", "Apr–Jun 2025"),
        ("2025", "Jan–Dec 2025"),
    ]
    back = refs.change_company(msft)
    assert back.after == msft
    assert refs.get_investment(q3.id or 0).period.months_label == "Jan–Mar 2025"
