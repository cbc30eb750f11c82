"""An import (and its undo) made in one window reaches another window on the same file."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from capex_gui.dataio.fields import ImportTable
from capex_gui.dataio.importer import ImportJob
from capex_gui.dataio.mapping import ColumnMapping
from capex_gui.dataio.tabular import open_table
from capex_gui.store.store import CapexStore
from capex_gui.widgets.charts.chart_data import ChartData


def test_the_other_window_rereads_after_an_import_and_its_removal(
    qtbot: QtBot, store: CapexStore, other: CapexStore, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("Buyer,Vendor,Units,Year,Region\nByteDance,Nvidia,900,2025,China\n")
    source = open_table(path)
    job = ImportJob(path, ColumnMapping.guess(ImportTable.CHIP_ORDERS, source.headers))
    data = ChartData(other, other)
    before = sum(data.suppliers.units.values())
    outcome = store.import_rows(job, references=[])
    with qtbot.waitSignal(other.reloaded, timeout=3000):
        other.sync_external()
    assert sum(data.suppliers.units.values()) == before + 900
    store.remove_import(outcome)
    with qtbot.waitSignal(other.reloaded, timeout=3000):
        other.sync_external()
    assert sum(data.suppliers.units.values()) == before
