"""The figures the charts draw, computed from the sample and from deltas."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from capex_gui.domain.analytics import (
    Metric,
    SpendLedger,
    SupplierLedger,
    spend_figures,
    summarize,
    supplier_shares,
)
from capex_gui.domain.entities import ChipOrder, Countries, FxRate, Investment, Status
from capex_gui.domain.fx import FxTable
from capex_gui.domain.sample import sample_data

B = Decimal(10) ** 9


def _sample_summary(currency: str = "USD") -> object:
    data = sample_data()
    countries = Countries(
        {c.name: c.country for c in data.companies}, {s.name: s.country for s in data.suppliers}
    )
    return summarize(
        list(data.investments),
        list(data.chip_orders),
        countries,
        FxTable.from_rates(data.fx_rates),
        currency,
    )


def test_sample_bytedance_2025_totals() -> None:
    s = _sample_summary()
    totals = {(t.company, t.year): t.amount for t in s.spend.totals}  # type: ignore[attr-defined]
    assert totals[("ByteDance", 2025)].quantize(Decimal("0.01")) == Decimal("12302063273.73")
    rows = {(r.category, r.region, r.year): r.amount for r in s.spend.rows}  # type: ignore[attr-defined]
    assert (rows[("AI chips", "China", 2025)] / B).quantize(Decimal("0.01")) == Decimal("5.50")
    assert rows[("Model-training capacity", "Overseas", 2025)] == Decimal("6.8") * B


def test_sample_domestic_share_is_sixty_percent() -> None:
    s = _sample_summary()
    dom = {(d.company, d.year, d.metric): d.share for d in s.shares.domestic}  # type: ignore[attr-defined]
    assert dom[("ByteDance", 2025, Metric.VALUE)] == Decimal("0.6")
    assert dom[("ByteDance", 2024, Metric.UNITS)] == Decimal(0)
    by_supplier = {
        x.supplier: x.share
        for x in s.shares.shares  # type: ignore[attr-defined]
        if (x.company, x.year, x.metric) == ("ByteDance", 2025, Metric.VALUE)
    }
    assert by_supplier == {
        "Nvidia": Decimal("0.4"),
        "Huawei": Decimal("0.3"),
        "Cambricon": Decimal("0.3"),
    }
    units = [x for x in s.shares.shares if x.metric is Metric.UNITS]  # type: ignore[attr-defined]
    assert [(u.supplier, u.amount) for u in units] == [("Nvidia", Decimal(230_000))]


def test_sample_excludes_the_unpriced_order_with_reason() -> None:
    s = _sample_summary()
    reasons = sorted(e.reason for e in s.excluded)  # type: ignore[attr-defined]
    assert reasons == ["no units", "no units", "no units", "no value"]


def test_missing_rate_is_named_not_treated_as_one() -> None:
    inv = Investment("X", 2026, "AI chips", "China", Decimal(100), "CNY")
    fig = spend_figures(SpendLedger().extend([inv]), FxTable(), "USD")
    assert fig.rows == []
    assert [(f.reason, f.count) for f in fig.shortfalls] == [("no CNY rate for 2026", 1)]
    fig_eur = spend_figures(
        SpendLedger().extend([Investment("X", 2026, "AI chips", "US", Decimal(5), "USD")]),
        FxTable(),
        "EUR",
    )
    assert [f.reason for f in fig_eur.shortfalls] == ["no EUR rate for 2026"]


def test_display_currency_conversion() -> None:
    s = _sample_summary("CNY")
    totals = {(t.company, t.year): t.amount for t in s.spend.totals}  # type: ignore[attr-defined]
    assert totals[("ByteDance", 2025)] == Decimal(40) * B + Decimal("6.8") * B * Decimal("7.27")


orders = st.builds(
    ChipOrder,
    company=st.sampled_from(["A", "B"]),
    year=st.sampled_from([2024, 2025]),
    region=st.just("China"),
    supplier=st.sampled_from(["Huawei", "Nvidia", "Cambricon"]),
    units=st.integers(1, 10**6),
    value=st.integers(1, 10**12).map(Decimal),
    currency=st.sampled_from(["USD", "CNY"]),
    status=st.sampled_from(list(Status)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(orders, min_size=1, max_size=30), st.data())
def test_deltas_equal_recomputation_and_shares_sum_to_one(
    items: list[ChipOrder], data: st.DataObject
) -> None:
    countries = Countries(
        {"A": "CN", "B": "US"}, {"Huawei": "CN", "Nvidia": "US", "Cambricon": "CN"}
    )
    fx = FxTable.from_rates(
        [FxRate("CNY", 2024, Decimal("7.1")), FxRate("CNY", 2025, Decimal("7.27"))]
    )
    ledger = SupplierLedger().extend(items)
    removed = data.draw(st.lists(st.sampled_from(items), unique_by=id, max_size=len(items)))
    for order in removed:
        ledger.add(order, -1)
    kept = [o for o in items if not any(o is r for r in removed)]
    incremental = supplier_shares(ledger, countries, fx, "USD")
    fresh = supplier_shares(SupplierLedger().extend(kept), countries, fx, "USD")
    assert incremental.shares == fresh.shares
    assert incremental.domestic == fresh.domestic
    groups: dict[tuple[str, int, Metric], Decimal] = {}
    for share in incremental.shares:
        key = (share.company, share.year, share.metric)
        groups[key] = groups.get(key, Decimal(0)) + share.share
    for total in groups.values():
        assert abs(total - 1) < Decimal("1e-20")
