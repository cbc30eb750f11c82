"""Another window's commits reach this one as exact deltas, in order, and charts stay exact."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from capex_gui.domain.entities import Company, FxRate
from capex_gui.storage import changes
from capex_gui.store.change_watcher import ChangeWatcher
from capex_gui.store.store import CapexStore, RowChange, TableKind
from capex_gui.widgets.charts.chart_data import ChartData
from tests.charts.conftest import assert_same_shares, assert_same_spend, fresh_shares, fresh_spend

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtCore import QObject
    from pytestqt.qtbot import QtBot

    from capex_gui.store.store import Figure

INV, ORD = TableKind.INVESTMENTS, TableKind.CHIP_ORDERS


def _record(store: CapexStore) -> list[RowChange]:
    seen: list[RowChange] = []
    store.rows_changed.connect(seen.append)
    return seen


def _chart_figures_match_a_full_recompute(data: ChartData, store: CapexStore) -> None:
    from capex_gui.domain.analytics import spend_figures, supplier_shares

    fx, cur = store.fx_table(), store.display_currency
    assert_same_spend(spend_figures(data.spend, fx, cur), fresh_spend(store))
    assert_same_shares(
        supplier_shares(data.suppliers, store.countries(), fx, cur), fresh_shares(store)
    )


def test_another_windows_edits_arrive_with_old_and_new_values(
    store: CapexStore, other: CapexStore
) -> None:
    got = _record(store)
    inv = other.repo.investments()[0]
    order = other.repo.chip_orders()[0]
    other.change_rows(INV, edits=[(inv, inv.with_changes(amount=inv.amount + 1))])
    other.delete_rows(ORD, [order.id or 0])
    store.sync_external()
    assert [(c.table, c.external) for c in got] == [(INV, True), (ORD, True)]
    (old, new) = got[0].updated[0]
    assert (old.amount, new.amount) == (inv.amount, inv.amount + 1)
    assert got[1].removed == (order,)
    assert got[0].seq is not None and got[1].seq is not None and got[0].seq < got[1].seq
    store.sync_external()
    assert len(got) == 2  # each change once


def test_names_and_rates_from_another_window_refresh_the_caches(
    qtbot: QtBot, store: CapexStore, other: CapexStore
) -> None:
    assert "Tencent" not in [c.name for c in store.companies()]
    other.add_company(Company("Tencent", "CN"))
    other.set_fx_rate(FxRate("JPY", 2025, Decimal(150)))
    with qtbot.waitSignals([store.references_changed, store.fx_changed]):
        store.sync_external()
    assert "Tencent" in [c.name for c in store.companies()]
    assert store.fx_table().rate("JPY", 2025) == Decimal(150)


def test_charts_stay_equal_to_a_full_recompute_through_interleaved_edits(
    qtbot: QtBot, store: CapexStore, other: CapexStore, owner: QObject
) -> None:
    data = ChartData(store, owner)
    rng = random.Random(7)
    for step in range(60):
        writer = rng.choice([store, other])
        table = rng.choice([INV, ORD])
        rows: list[Figure] = list(
            writer.repo.investments() if table is INV else writer.repo.chip_orders()
        )
        action = rng.random()
        if action < 0.2 or len(rows) < 3:
            writer.add_rows(table, [rng.choice(rows).with_changes(id=None, version=None)])
        elif action < 0.35:
            writer.delete_rows(table, [rng.choice(rows).id or 0])
        else:
            row = rng.choice(rows)
            year = rng.choice([2024, 2025, 2026])
            writer.change_rows(table, edits=[(row, row.with_changes(year=year))])
        if step % 7 == 0:
            store.sync_external()
    store.sync_external()
    _chart_figures_match_a_full_recompute(data, store)


def test_a_change_the_ledgers_already_hold_is_not_counted_twice(
    qtbot: QtBot, store: CapexStore, other: CapexStore, owner: QObject
) -> None:
    inv = other.repo.investments()[0]
    moved = inv.with_changes(amount=inv.amount * 3, year=2030)
    other.change_rows(INV, edits=[(inv, moved)])
    data = ChartData(store, owner)  # reads the ledgers after the commit...
    store.sync_external()  # ...and hears of it only now
    _chart_figures_match_a_full_recompute(data, store)


def test_theirs_is_applied_before_mine_when_my_edit_merged_onto_it(
    qtbot: QtBot, store: CapexStore, other: CapexStore, owner: QObject
) -> None:
    """Totals never pass through a state the database was not in: a group's last row going
    out (my change applied before theirs that brought it in) would drop the group's sum."""
    lone, moving = store.repo.investments()[:2]
    lone_there = other.repo.get_investment(lone.id or 0)
    alone = lone_there.with_changes(category="Power", region="Global")  # a group of one
    other.change_rows(INV, edits=[(lone_there, alone)])
    store.sync_external()
    data = ChartData(store, owner)
    there = other.repo.get_investment(moving.id or 0)
    into_lones_group = there.with_changes(
        year=alone.year,
        company=alone.company,
        category=alone.category,
        region=alone.region,
        currency=alone.currency,
        amount=alone.amount + 1,
        amount_low=None,
        amount_high=None,
    )
    other.change_rows(INV, edits=[(there, into_lones_group)])  # not heard here yet
    store.change_rows(INV, edits=[(moving, moving.with_changes(notes="mine"))])  # merges
    _chart_figures_match_a_full_recompute(data, store)


def test_a_window_that_fell_behind_re_reads_everything(
    qtbot: QtBot,
    store: CapexStore,
    other: CapexStore,
    owner: QObject,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(changes, "KEEP_ENTRIES", 2)
    data = ChartData(store, owner)
    for row in other.repo.investments()[:4]:
        other.change_rows(INV, edits=[(row, row.with_changes(year=2026))])
    with qtbot.waitSignal(store.reloaded):
        store.sync_external()
    _chart_figures_match_a_full_recompute(data, store)


def test_the_watcher_announces_another_programs_commit_within_two_seconds(
    qtbot: QtBot, store: CapexStore, other: CapexStore, owner: QObject
) -> None:
    watcher = ChangeWatcher(store, owner)
    watcher.start()
    try:
        inv = other.repo.investments()[0]
        with qtbot.waitSignal(store.rows_changed, timeout=2000) as got:
            other.change_rows(INV, edits=[(inv, inv.with_changes(notes="from afar"))])
        assert got.args[0].updated[0][1].notes == "from afar"
    finally:
        watcher.stop()


def test_an_import_by_another_program_makes_the_window_re_read_the_table(
    qtbot: QtBot, store: CapexStore, other: CapexStore, owner: QObject, tmp_path: Path
) -> None:
    from capex_gui.dataio.fields import ImportTable
    from capex_gui.dataio.importer import ImportJob, run_import
    from capex_gui.dataio.mapping import ColumnMapping
    from capex_gui.dataio.tabular import open_table
    from capex_gui.storage.imports import remove_import

    data = ChartData(store, owner)
    path = tmp_path / "orders.csv"
    path.write_text("Buyer,Vendor,Units,Year,Region\nByteDance,Nvidia,1200,2025,China\n")
    source = open_table(path)
    job = ImportJob(path, ColumnMapping.guess(ImportTable.CHIP_ORDERS, source.headers))
    outcome = run_import(job, other.repo)
    with qtbot.waitSignal(store.reloaded):
        store.sync_external()
    _chart_figures_match_a_full_recompute(data, store)
    remove_import(other.repo.engine, outcome.record.id)
    with qtbot.waitSignal(store.reloaded):
        store.sync_external()
    _chart_figures_match_a_full_recompute(data, store)
