"""Large tables: the model reads ids a page at a time and rows only when they are shown."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from capex_gui.models import figure_table_model
from capex_gui.models.figure_table_model import ChipOrderTableModel
from capex_gui.storage.repository import Repository
from capex_gui.store.store import CapexStore


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


def test_ids_are_paged_and_rows_fetched_on_demand(
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
    store = CapexStore(sample_repo)
    model = ChipOrderTableModel(store, QUndoStack())
    assert model.rowCount() == figure_table_model.ID_PAGE
    assert model.canFetchMore()
    assert calls == []  # no row read until one is shown
    assert model.index(10, 0).data() == "ByteDance"
    assert calls == [figure_table_model.FETCH_BLOCK]
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 12_004
    assert not model.canFetchMore()
    assert len(set(model.id_at(r) for r in range(model.rowCount()))) == 12_004


def test_paging_keeps_rows_added_meanwhile_once(
    qtbot: QtBot, sample_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(figure_table_model, "ID_PAGE", 3)
    _bulk(sample_repo, 5)
    undo = QUndoStack()
    model = ChipOrderTableModel(CapexStore(sample_repo), undo)
    assert model.rowCount() == 3
    model.add_row(0)
    assert model.rowCount() == 4
    model.delete_rows([2])
    while model.canFetchMore():
        model.fetchMore()
    ids = [model.id_at(r) for r in range(model.rowCount())]
    assert len(ids) == len(set(ids)) == sample_repo.count_rows("chip_orders")
