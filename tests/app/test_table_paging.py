"""Large tables: the first page of ids at once, the rest (and every sort and filter) read on a
worker; rows read only when they are shown."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from capex_gui.models import figure_table_model
from capex_gui.models.figure_table_model import ChipOrderTableModel
from capex_gui.storage.repository import FigureQuery, Repository
from capex_gui.storage.transactions import transaction
from capex_gui.store.store import CapexStore
from capex_gui.store.workers import SyncRunner


def _bulk(repo: Repository, n: int) -> None:
    now = datetime.now(UTC)
    rows = [
        {
            "company_id": 1,
            "year": 2020 + i % 6,
            "region_id": 1,
            "supplier_id": 1 + i % 3,
            "chip_model": f"M{i}",
            "units": i,
            "value_minor": None,
            "currency": None,
            "export_note": "",
            "status": "reported",
            "bound": "exact",
            "source": "bench",
            "source_url": "",
            "reported_on": None,
            "quote": "",
            "notes": "",
            "created_at": now,
            "updated_at": now,
        }
        for i in range(n)
    ]
    repo.bulk_insert_chip_orders(rows)


class HeldRunner(SyncRunner):
    """Reads at once (a snapshot of now) but hands each result over only when the test says so
    (``release``, newest first with ``newest_first``): what a slow read looks like."""

    def __init__(self, engine: Any) -> None:
        super().__init__(engine)
        self.held: list[tuple[int, Any, Any]] = []

    def _start(self, ticket: int, work: Any) -> None:
        with transaction(self.engine) as session:
            self.held.append((ticket, work(session), None))

    def release(self, *, newest_first: bool = False) -> None:
        held, self.held = self.held, []
        for ticket, result, error in reversed(held) if newest_first else held:
            self._on_finished(ticket, result, error)


def held_store(repo: Repository) -> tuple[CapexStore, HeldRunner]:
    store = CapexStore(repo)
    runner = HeldRunner(repo.engine)
    store.runner = runner
    return store, runner


def shown_ids(model: ChipOrderTableModel) -> list[int]:
    return [model.id_at(r) for r in range(model.rowCount())]


def test_the_first_page_shows_at_once_the_rest_arrives_from_a_worker(
    qtbot: QtBot, sample_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    _bulk(sample_repo, 12_000)
    calls: list[int] = []
    original = sample_repo.chip_orders

    def counting(ids: object = None) -> object:
        result = original(ids)  # type: ignore[arg-type]
        calls.append(len(result))
        return result

    monkeypatch.setattr(sample_repo, "chip_orders", counting)
    store, runner = held_store(sample_repo)
    model = ChipOrderTableModel(store, QUndoStack())
    assert model.rowCount() == figure_table_model.ID_PAGE
    assert model.busy
    assert calls == []  # no row read until one is shown
    assert model.index(10, 0).data() == "ByteDance"
    assert calls == [figure_table_model.FETCH_BLOCK]
    with qtbot.waitSignal(model.busy_changed) as busy:
        runner.release()  # the one read of every id, in order
    assert busy.args == [False]
    assert not model.busy
    assert model.rowCount() == 12_004
    assert shown_ids(model) == sorted(o.id for o in sample_repo.chip_orders())
    assert model.row_of(model.id_at(12_003)) == 12_003  # the last row, without paging


def test_rows_added_and_deleted_while_the_rest_loads_show_once(
    qtbot: QtBot, sample_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(figure_table_model, "ID_PAGE", 3)
    _bulk(sample_repo, 5)
    store, runner = held_store(sample_repo)
    undo = QUndoStack()
    model = ChipOrderTableModel(store, undo)
    assert model.rowCount() == 3
    reading = runner.held[:]  # the read started before the add and the delete
    runner.held.clear()
    model.add_row(0)
    added = model.id_at(1)
    assert model.rowCount() == 4
    deleted = model.id_at(2)
    model.delete_rows([2])
    runner.held = reading
    runner.release()
    ids = shown_ids(model)
    assert len(ids) == len(set(ids)) == sample_repo.count_rows("chip_orders")
    assert ids[1] == added  # where the user put it
    assert deleted not in ids


def test_sorting_keeps_the_old_order_until_the_new_one_is_read(
    qtbot: QtBot, sample_repo: Repository
) -> None:
    store, runner = held_store(sample_repo)
    model = ChipOrderTableModel(store, QUndoStack())
    runner.release()
    before = shown_ids(model)
    model.sort(model.column_index("units"), Qt.SortOrder.DescendingOrder)
    assert model.busy
    assert shown_ids(model) == before  # nothing moved yet: the view can paint and scroll
    model.sort(model.column_index("supplier"), Qt.SortOrder.AscendingOrder)  # changed mind
    runner.release(newest_first=True)  # both reads end, the older last: only the newer counts
    assert not model.busy
    suppliers = [model.item_at(r).supplier for r in range(model.rowCount())]
    assert suppliers == sorted(suppliers)
    assert sorted(shown_ids(model)) == sorted(before)


def test_a_filter_typed_while_rows_load_waits_for_its_own_read(
    qtbot: QtBot, sample_repo: Repository
) -> None:
    store, runner = held_store(sample_repo)
    model = ChipOrderTableModel(store, QUndoStack())
    runner.release()
    everything = model.rowCount()
    model.set_query(FigureQuery(supplier="Huawei"))
    assert model.rowCount() == everything and model.busy
    runner.release()
    shown = [model.item_at(r) for r in range(model.rowCount())]
    assert shown and all(o.supplier == "Huawei" for o in shown)
    assert model.rowCount() < everything


def test_a_sort_before_the_rest_has_loaded_shows_every_row_and_says_so(
    qtbot: QtBot, sample_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sorting a large table in its first second: the sorted order holds every row, and the
    views (the status bar's "N of M" count among them) hear of the rows it adds, not just of
    a new order."""
    monkeypatch.setattr(figure_table_model, "ID_PAGE", 3)
    _bulk(sample_repo, 5)
    store, runner = held_store(sample_repo)
    model = ChipOrderTableModel(store, QUndoStack())
    assert model.rowCount() == 3 and model.busy
    inserted: list[int] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append(last - first + 1))
    model.sort(model.column_index("units"), Qt.SortOrder.DescendingOrder)
    runner.release(newest_first=True)
    total = sample_repo.count_rows("chip_orders")
    assert model.rowCount() == total and sum(inserted) == total - 3
    ids = shown_ids(model)
    assert sorted(ids) == sorted(o.id for o in sample_repo.chip_orders())
    units = [model.item_at(r).units for r in range(model.rowCount())]
    present = [u for u in units if u is not None]
    assert present == sorted(present, reverse=True)
