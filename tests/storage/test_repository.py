"""Every entity round-trips; bad writes give clear errors and change nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from capex_gui.domain.entities import ChipOrder, Company, FxRate, Investment, Status, Supplier
from capex_gui.domain.parsing import Bound
from capex_gui.errors import ConstraintError
from capex_gui.storage.database import Database
from capex_gui.storage.repository import FigureQuery, Repository
from tests.db_rows import every_row, query


@pytest.fixture
def refs(repo: Repository) -> Repository:
    repo.add_company(Company("ByteDance", "CN"))
    repo.add_supplier(Supplier("Nvidia", "US"))
    return repo


def _inv(**kw: object) -> Investment:
    base: dict[str, object] = {
        "company": "ByteDance",
        "year": 2025,
        "category": "AI chips",
        "region": "China",
        "amount": Decimal("99999999999999.99"),
        "currency": "CNY",
        "status": Status.ESTIMATE,
        "bound": Bound.AT_LEAST,
        "amount_low": Decimal("99999999999999.99"),
        "amount_high": Decimal("100000000000000.00"),
        "source": "FT",
        "source_url": "https://ft.com/x",
        "reported_on": date(2024, 12, 5),
        "quote": "“more than”",
        "notes": "n",
    }
    base.update(kw)
    return Investment(**base)  # type: ignore[arg-type]


def test_reference_entities_round_trip(repo: Repository) -> None:
    c = repo.add_company(Company("ByteDance", "CN"))
    s = repo.add_supplier(Supplier("Huawei", "CN"))
    assert repo.companies() == [c]
    assert repo.suppliers() == [s]
    assert [x.name for x in repo.categories()][:3] == [
        "AI chips",
        "Data centres",
        "Model-training capacity",
    ]
    cat = repo.add_category("Cooling")
    assert repo.categories()[-1] == cat
    reg = repo.add_region("Middle East")
    assert reg in repo.regions()
    assert repo.countries().origin_of("ByteDance", "Huawei") is not None


def test_investment_round_trips_every_field(refs: Repository) -> None:
    stored = refs.add_investment(_inv())
    assert stored.id is not None
    assert refs.get_investment(stored.id) == stored
    changed = stored.with_changes(
        amount=Decimal("0.01"), amount_low=None, amount_high=None, year=2024
    )
    refs.update_investment(changed)
    assert refs.investments() == [changed]


def test_chip_order_round_trips_every_field(refs: Repository) -> None:
    order = ChipOrder(
        "ByteDance",
        2024,
        "China",
        "Nvidia",
        chip_model="H20",
        units=230_000,
        value=Decimal("1234567890.12"),
        currency="USD",
        status=Status.CONFIRMED,
        bound=Bound.ABOUT,
        export_note="modified for US export rules",
        source="FT",
        source_url="u",
        reported_on=date(2025, 1, 2),
        quote="q",
        notes="n",
    )
    stored = refs.add_chip_order(order)
    assert refs.chip_orders() == [stored]
    assert stored.with_changes(id=None) == order


def test_fx_rate_round_trips_and_replaces(repo: Repository) -> None:
    repo.set_fx_rate(FxRate("CNY", 2025, Decimal("7.27"), "implied"))
    repo.set_fx_rate(FxRate("CNY", 2025, Decimal("7.1234567891"), "revised"))
    [rate] = repo.fx_rates()
    assert (rate.units_per_usd, rate.note) == (Decimal("7.1234567891"), "revised")
    assert repo.delete_fx_rate("CNY", 2025) == rate
    assert repo.fx_rates() == []


def test_delete_returns_rows_for_undo_and_restore_keeps_ids(refs: Repository) -> None:
    a = refs.add_investment(_inv())
    b = refs.add_investment(_inv(year=2024))
    assert a.id is not None and b.id is not None
    gone = refs.delete_investments([a.id, b.id])
    assert sorted(g.id for g in gone if g.id) == [a.id, b.id]
    assert refs.investments() == []
    refs.add_investments(gone)
    assert refs.investments() == [a, b]


def _snapshot(db: Database) -> list[tuple[object, ...]]:
    return every_row(db)


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda r: r.add_investment(_inv(company="Nobody")), "no company called 'Nobody'"),
        (lambda r: r.add_investment(_inv(category="Nope")), "no category called 'Nope'"),
        (lambda r: r.add_company(Company("ByteDance", "CN")), "company of that name exists"),
        (
            lambda r: r.add_chip_order(ChipOrder("ByteDance", 2025, "China", "Intel", units=1)),
            "no supplier",
        ),
        (
            lambda r: r.add_investments([_inv(), _inv(region="Atlantis")]),
            "no region called 'Atlantis'",
        ),
        (lambda r: r.delete_company("ByteDance"), "still used by other rows"),
    ],
)
def test_constraint_violations_explain_and_change_nothing(
    refs: Repository, db: Database, action: object, message: str
) -> None:
    refs.add_investment(_inv())
    before = _snapshot(db)
    with pytest.raises(ConstraintError, match=message):
        action(refs)  # type: ignore[operator]
    assert _snapshot(db) == before


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("UPDATE chip_orders SET units = -1", "units cannot be negative"),
        ("UPDATE chip_orders SET year = 1800", "year is outside"),
        ("UPDATE chip_orders SET currency = 'XXX'", "currency is not one this app knows"),
        ("UPDATE chip_orders SET units = NULL, value_minor = NULL", "units, a value, or both"),
    ],
)
def test_database_checks_hold_even_past_the_domain(
    refs: Repository, db: Database, sql: str, message: str
) -> None:
    refs.add_chip_order(
        ChipOrder("ByteDance", 2025, "China", "Nvidia", units=5, value=Decimal(1), currency="USD")
    )
    before = _snapshot(db)
    from sqlalchemy import text

    with pytest.raises(ConstraintError, match=message), refs._tx() as s:
        s.execute(text(sql))
    assert _snapshot(db) == before


def test_timestamps_are_set_and_updated(refs: Repository, db: Database) -> None:
    stored = refs.add_investment(_inv())
    [(created, updated)] = query(db, "SELECT created_at, updated_at FROM investments")
    assert created and updated
    refs.update_investment(stored.with_changes(notes="later"))
    [(created2, updated2)] = query(db, "SELECT created_at, updated_at FROM investments")
    assert created2 == created and updated2 >= updated


def test_sum_of_many_stored_amounts_is_exact(refs: Repository) -> None:
    refs.add_investments([_inv(amount=Decimal("0.10"), amount_low=None, amount_high=None)] * 500)
    total = sum((i.amount for i in refs.investments()), Decimal(0))
    assert total == Decimal("50.00")


@pytest.mark.parametrize("word", ["huawei", "HUAWEI", "h20", "Nvidia", "60%", "china"])
def test_the_filter_ignores_case_on_every_back_end(sample_repo: Repository, word: str) -> None:
    """A filter word matches whatever its case (LIKE on SQLite, ILIKE on PostgreSQL): the rows
    are those whose names or text hold it, worked out here from the rows themselves."""
    fields = ("company", "region", "supplier", "chip_model", "export_note", "source", "notes")
    fields += ("quote", "status", "source_url", "currency")
    orders = sample_repo.chip_orders()

    def text(order: object, field: str) -> str:
        value = getattr(order, field)
        return str(getattr(value, "value", value) or "").lower()

    expected = [o.id for o in orders if any(word.lower() in text(o, f) for f in fields)]
    assert sample_repo.figure_ids("chip_orders", FigureQuery(text=word)) == expected
    assert expected or word == "60%"  # the sample has these words (and no literal "60%")
