"""The supplier donut: the sample's 60/40 split, notes for what is left out, labels that never
overlap, and shares that always add up."""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from capex_gui.domain.analytics import Metric
from capex_gui.domain.entities import ChipOrder, FxRate, Status, Supplier
from capex_gui.domain.money import exact_sum
from capex_gui.store.store import CapexStore, TableKind
from capex_gui.widgets.charts.supplier_chart import (
    SupplierChartFigures,
    SupplierShareChart,
    rounded_labels,
    spread,
)
from tests.charts.conftest import B, assert_same_shares, fresh_shares, view_to_widget

MakeChart = Callable[[type[SupplierShareChart]], SupplierShareChart]


@pytest.fixture
def chart(show_chart: MakeChart) -> SupplierShareChart:
    made = show_chart(SupplierShareChart)
    made.set_selection("ByteDance", 2025, Metric.VALUE)
    return made


def drawn(chart: SupplierShareChart, qtbot: QtBot) -> SupplierChartFigures:
    qtbot.wait(5)
    assert not chart.stale, "the shown chart did not redraw by itself"
    return chart.current_figures()


def order(
    supplier: str, value: str | None = None, units: int | None = None, **kw: object
) -> ChipOrder:
    fields: dict[str, object] = {
        "company": "ByteDance",
        "year": 2025,
        "region": "China",
        "supplier": supplier,
        "units": units,
        "value": None if value is None else Decimal(value),
        "currency": None if value is None else "CNY",
    }
    fields.update(kw)
    return ChipOrder(**fields)  # type: ignore[arg-type]


def test_sample_bytedance_2025_by_value(chart: SupplierShareChart, qtbot: QtBot) -> None:
    figs = drawn(chart, qtbot)
    shares = figs.shares()
    assert shares == {
        "Cambricon": Decimal("0.3"),
        "Huawei": Decimal("0.3"),
        "Nvidia": Decimal("0.4"),
    }
    assert shares["Huawei"] + shares["Cambricon"] == Decimal("0.6")
    assert figs.domestic == Decimal("0.6")
    assert [s.label for s in figs.slices] == ["30%", "30%", "40%"]
    # domestic wedges first, so the inner ring's domestic arc spans exactly Huawei + Cambricon
    assert [s.domestic for s in figs.slices] == [True, True, False]
    assert figs.slices[1].end == pytest.approx(0.6)
    assert figs.notes == ()
    assert chart.notices() == []
    # estimates (the Huawei/Cambricon split) are hatched; Nvidia is reported
    assert [h.isVisible() for h in chart._hatches] == [True, True, False]
    assert chart._hatches[0].brush().style() == Qt.BrushStyle.BDiagPattern
    assert "· ByteDance · 2025 ·" in chart.title_label.text()


def test_by_units_and_notes_for_orders_without_the_metric(
    chart: SupplierShareChart, store: CapexStore, qtbot: QtBot
) -> None:
    store.add_rows(
        TableKind.CHIP_ORDERS, [order("Nvidia", units=1000), order("Huawei", units=3000)]
    )
    figs = drawn(chart, qtbot)
    assert figs.shares()["Nvidia"] == Decimal("0.4")  # value shares unchanged
    assert chart.notices() == ["2 orders without value not shown"]
    chart.set_selection("ByteDance", 2025, Metric.UNITS)
    figs = drawn(chart, qtbot)
    assert figs.shares() == {"Huawei": Decimal("0.75"), "Nvidia": Decimal("0.25")}
    assert figs.domestic == Decimal("0.75")
    assert chart.notices() == ["3 orders without units not shown"]
    assert "units" in chart.title_label.text()


def test_missing_rate_warns_instead_of_drawing_wrong_shares(
    chart: SupplierShareChart, store: CapexStore, qtbot: QtBot
) -> None:
    store.add_rows(TableKind.CHIP_ORDERS, [order("Nvidia", value="1000000", currency="USD")])
    store.delete_fx_rate("CNY", 2025)
    figs = drawn(chart, qtbot)
    assert figs.blocked
    assert figs.slices == ()  # not "Nvidia 100%" from the one order that could be converted
    assert chart.notices() == ["no CNY rate for 2025: 3 orders not shown"]
    assert chart.notice_label.isVisible()
    assert not any(w.isVisible() for w in chart._ring)
    store.set_fx_rate(FxRate("CNY", 2025, Decimal("7.27")))
    figs = drawn(chart, qtbot)
    assert not figs.blocked and len(figs.slices) == 3 and chart.notices() == []


def test_edits_deletes_and_currency_follow_the_analytics(
    chart: SupplierShareChart, store: CapexStore, qtbot: QtBot
) -> None:
    nvidia = next(o for o in store.repo.chip_orders() if (o.supplier, o.year) == ("Nvidia", 2025))
    store.update_row(TableKind.CHIP_ORDERS, nvidia.with_changes(value=Decimal(24) * B))
    figs = drawn(chart, qtbot)
    assert figs.shares()["Nvidia"] == Decimal("0.5")
    assert figs.domestic == Decimal("0.5")
    fresh = fresh_shares(store)
    assert_same_shares(figs.figures, fresh)
    huawei = next(o for o in store.repo.chip_orders() if o.supplier == "Huawei")
    store.delete_rows(TableKind.CHIP_ORDERS, [huawei.id or 0])
    figs = drawn(chart, qtbot)
    assert set(figs.shares()) == {"Cambricon", "Nvidia"}
    assert_same_shares(figs.figures, fresh_shares(store))
    store.set_display_currency("CNY")
    figs = drawn(chart, qtbot)
    assert figs.currency == "CNY"
    assert {s.supplier: s.amount for s in figs.slices} == {
        "Cambricon": Decimal(12) * B,
        "Nvidia": Decimal(24) * B,
    }
    assert_same_shares(figs.figures, fresh_shares(store))


def test_tooltip_and_click(chart: SupplierShareChart, qtbot: QtBot) -> None:
    figs = chart.current_figures()
    nvidia = next(s for s in figs.slices if s.supplier == "Nvidia")
    middle = (nvidia.start + nvidia.end) / 2
    angle = math.pi / 2 - 2 * math.pi * middle
    x, y = 0.85 * math.cos(angle), 0.85 * math.sin(angle)
    text = chart.tooltip_at(x, y)
    assert text is not None
    assert "Nvidia" in text and "40% of 2025 (imported)" in text
    assert "CNY" not in text and "USD 2,200,8" in text  # exact, in the display currency
    assert "Source: Financial Times (reported)" in text
    assert chart.tooltip_at(0.0, 0.0) is None  # the hole
    inner = chart.tooltip_at(0.0, 0.57)  # 12 o'clock on the inner ring: domestic
    assert inner is not None and inner.startswith("<b>Domestic</b>: 60%")
    point = view_to_widget(chart.plot_widget, chart.view, x, y)
    with qtbot.waitSignal(chart.segment_clicked) as signal:
        qtbot.mouseClick(chart.plot_widget.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert signal.args[0] == {
        "table": "chip_orders",
        "company": "ByteDance",
        "year": 2025,
        "category": None,
        "region": None,
        "supplier": "Nvidia",
    }


def _boxes_overlap(chart: SupplierShareChart) -> list[tuple[int, int]]:
    rects = [label.sceneBoundingRect() for label in chart._labels if label.isVisible()]
    return [
        (i, j)
        for i in range(len(rects))
        for j in range(i + 1, len(rects))
        if rects[i].intersects(rects[j])
    ]


@pytest.mark.parametrize("size", [(1920, 1080), (800, 600), (520, 420)])
def test_many_small_suppliers_labels_never_overlap(
    chart: SupplierShareChart, store: CapexStore, qtbot: QtBot, size: tuple[int, int]
) -> None:
    names = [f"Maker {i:02d}" for i in range(14)]
    for name in names:
        store.add_supplier(Supplier(name, "CN" if len(name) % 2 else "US"))
    store.add_rows(
        TableKind.CHIP_ORDERS,
        [order(name, value=str((i + 1) * 10**8)) for i, name in enumerate(names)],
    )
    chart.window().resize(*size)
    figs = drawn(chart, qtbot)
    qtbot.wait(5)
    assert len(figs.slices) == 17
    assert _boxes_overlap(chart) == []
    view_rect = chart.view.sceneBoundingRect()
    for label in chart._labels:
        if label.isVisible():
            assert view_rect.contains(label.sceneBoundingRect()), "a label is clipped"
    placed = chart.placed_labels()
    hidden = 17 - len(placed)
    if hidden:
        assert chart.notices()[-1] == f"{hidden} small suppliers not labelled (hover to see)"
    assert sum(float(s.share) for s in figs.slices) == pytest.approx(1.0)


def test_rounded_labels_add_up_to_100() -> None:
    thirds = [Decimal(1) / 3] * 3
    assert rounded_labels(thirds) == ["33.4%", "33.3%", "33.3%"]
    assert rounded_labels([Decimal("0.6"), Decimal("0.4")]) == ["60%", "40%"]


def test_spread_keeps_gaps_and_bounds() -> None:
    ys = spread([1.0, 0.99, 0.98, -0.9, -0.95], gap=0.2, lo=-1.0, hi=1.0)
    assert all(a - b >= 0.2 - 1e-12 for a, b in itertools.pairwise(ys))
    assert ys[0] <= 1.0 and ys[-1] >= -1.0


@pytest.mark.parametrize("seed", range(6))
def test_shares_always_sum_to_one(
    chart: SupplierShareChart, store: CapexStore, qtbot: QtBot, seed: int
) -> None:
    """Random adds, edits and deletes (seeded, so a failure replays): after each one the chart
    equals the analytics read afresh, shares sum to 1 and the labels to exactly 100%."""
    rng = random.Random(seed)
    suppliers = ["Huawei", "Cambricon", "Nvidia"]
    for _step in range(12):
        current = [o for o in store.repo.chip_orders() if o.year == 2025]
        action = rng.choice(["add", "add", "update", "delete"]) if current else "add"
        supplier = rng.choice(suppliers)
        value = Decimal(rng.randint(0, 10**6)) * 1000
        status = rng.choice([Status.REPORTED, Status.ESTIMATE])
        if action == "add":
            store.add_rows(
                TableKind.CHIP_ORDERS, [order(supplier, value=str(value), status=status)]
            )
        elif action == "update":
            target = rng.choice(current)
            store.update_row(
                TableKind.CHIP_ORDERS,
                target.with_changes(supplier=supplier, value=value, currency="CNY", status=status),
            )
        else:
            store.delete_rows(TableKind.CHIP_ORDERS, [rng.choice(current).id or 0])
        figs = drawn(chart, qtbot)
        assert_same_shares(figs.figures, fresh_shares(store))
        total = exact_sum(
            [o.value or Decimal(0) for o in store.repo.chip_orders() if o.year == 2025]
        )
        if total:
            assert figs.slices
            assert abs(exact_sum([s.share for s in figs.slices]) - 1) < Decimal("1e-50")
            assert sum(Decimal(s.label.rstrip("%")) for s in figs.slices) == 100
            assert figs.slices[-1].end == pytest.approx(1.0)
        else:
            assert figs.slices == ()
