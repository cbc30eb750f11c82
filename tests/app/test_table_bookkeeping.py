"""Row bookkeeping that users never see until it goes wrong: undo order, sort, paging, names."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from capex_gui.app.main_window import MainWindow
from capex_gui.models import figure_table_model
from capex_gui.models.figure_table_model import ChipOrderTableModel
from capex_gui.storage.repository import Repository
from capex_gui.store.store import CapexStore
from tests.app.conftest import type_into_cell
from tests.app.test_table_paging import _bulk, held_store


def test_undo_of_a_scattered_delete_puts_each_row_back_in_its_place(
    qtbot: QtBot, sample_repo: Repository
) -> None:
    undo = QUndoStack()
    model = ChipOrderTableModel(CapexStore(sample_repo), undo)
    for _ in range(4):
        model.add_row(None)
    before = [model.id_at(r) for r in range(model.rowCount())]
    model.delete_rows([1, 4, 6])
    undo.undo()
    assert [model.id_at(r) for r in range(model.rowCount())] == before


def test_sorting_keeps_the_selection_on_the_same_records(
    qtbot: QtBot, sample_repo: Repository
) -> None:
    model = ChipOrderTableModel(CapexStore(sample_repo), QUndoStack())
    marked = QPersistentModelIndex(model.index(0, 2))
    record = model.id_at(0)
    model.sort(model.column_index("supplier"), Qt.SortOrder.DescendingOrder)
    assert marked.isValid()
    assert model.id_at(marked.row()) == record
    assert marked.column() == 2


def test_every_record_shows_after_an_add_and_a_delete_in_the_first_page(
    qtbot: QtBot, sample_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(figure_table_model, "ID_PAGE", 5)
    _bulk(sample_repo, 12)
    store, runner = held_store(sample_repo)
    model = ChipOrderTableModel(store, QUndoStack())
    model.add_row(2)  # a new row in the middle of the first page
    model.delete_rows([model.rowCount() - 1])  # the last row of the first page
    runner.release()
    shown = [model.id_at(r) for r in range(model.rowCount())]
    assert sorted(shown) == sorted(o.id for o in sample_repo.chip_orders())


def test_declining_a_new_name_leaves_no_undo_step(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("capex_gui.widgets.delegates.ask_new_reference", lambda *_a: None)
    type_into_cell(qtbot, window.investments_view, 0, "company", "Foo Corp")
    assert window.undo_stack.count() == 0


def test_a_bad_country_leaves_no_company_and_no_undo_step(
    qtbot: QtBot, window: MainWindow, check_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("capex_gui.widgets.delegates.ask_new_reference", lambda *_a: "China")
    type_into_cell(qtbot, window.investments_view, 0, "company", "Foo Corp")
    assert "two-letter ISO country code" in window.statusBar().currentMessage()
    assert "Foo Corp" not in [c.name for c in check_repo.companies()]
    assert window.undo_stack.count() == 0
    assert not window.redo_action.isEnabled()


def test_extra_spaces_in_a_new_name_are_squeezed_before_it_is_created(
    qtbot: QtBot, window: MainWindow, check_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("capex_gui.widgets.delegates.ask_new_reference", lambda *_a: "CN")
    type_into_cell(qtbot, window.investments_view, 0, "company", "  New   Co ")
    assert "New Co" in [c.name for c in check_repo.companies()]
    assert check_repo.get_investment(window.investments_model.id_at(0)).company == "New Co"
