"""File → Imports…: the recorded imports listed, and one removed whole, as a person would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from capex_gui.app.main_window import MainWindow
from capex_gui.dataio.fields import ImportTable
from capex_gui.dataio.importer import ImportJob, new_references
from capex_gui.dataio.mapping import ColumnMapping
from capex_gui.dataio.tabular import open_table
from capex_gui.storage.repository import Repository
from capex_gui.widgets.imports_dialog import ImportsDialog

#: Test data made up for this test.
ORDERS = (
    "Buyer,Vendor,Units shipped,Year,Region,Country\n"
    "ByteDance,Newchip,100,2025,China,CN\n"
    "Baidu,Nvidia,200,2025,China,\n"
)


def import_file(window: MainWindow, path: Path) -> None:
    """An import as the dialog runs it (check, then write), without the dialog."""
    store = window.store
    assert store is not None
    source = open_table(path)
    job = ImportJob(path, ColumnMapping.guess(ImportTable.CHIP_ORDERS, source.headers))
    from capex_gui.dataio.importer import check_import

    result = check_import(job, store.repo)
    assert result.ok, [e.sentence() for e in result.errors]
    countries = {("supplier", "Newchip"): "US"}
    store.import_rows(job, references=new_references(result.new_names, countries))


def test_an_import_is_listed_and_removed_whole(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    check_repo: Repository,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = len(check_repo.chip_orders())
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, encoding="utf-8")
    import_file(window, path)
    assert len(check_repo.chip_orders()) == before + 2
    assert "Newchip" in {s.name for s in check_repo.suppliers()}
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: window.chip_orders_model.rowCount() == before + 2, timeout=3000)

    assert window.imports_action in window.menuBar().actions()[0].menu().actions()  # File
    window.imports_action.trigger()
    dialog = window.findChild(ImportsDialog, "importsDialog")
    assert dialog is not None and dialog.isVisible()
    table = dialog.table
    assert table.rowCount() == 1
    row = [table.item(0, c).text() for c in range(table.columnCount())]
    assert row[0] == "1" and row[2:5] == ["Chip orders", "2", "orders.csv"]
    assert row[5] == "supplier Newchip"

    # Cancel keeps everything
    asked: list[str] = []

    def answer(choice: QMessageBox.StandardButton):  # type: ignore[no-untyped-def]
        def question(_parent: object, _title: str, text: str, *_a: object) -> object:
            asked.append(text)
            return choice

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert asked and asked[0].startswith("Remove 2 rows of chip orders from orders.csv")
    assert len(check_repo.chip_orders()) == before + 2

    # Yes removes its rows and the supplier it created; the table and the list follow
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert len(check_repo.chip_orders()) == before
    assert "Newchip" not in {s.name for s in check_repo.suppliers()}
    assert "Nvidia" in {s.name for s in check_repo.suppliers()}  # it was there before
    qtbot.waitUntil(lambda: window.chip_orders_model.rowCount() == before, timeout=3000)
    assert dialog.message.text().startswith("Removed 2 rows of chip orders from orders.csv")
    assert table.isHidden() and dialog.empty_label.isVisible()
    assert not dialog.remove_button.isEnabled()
