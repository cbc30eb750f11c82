"""File → Import data… driven as a person would: choose a file, adjust a mapping, see the
errors of a bad file, import a good one, see it in the tables and charts, and undo it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QFileDialog, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from capex_gui.app.main_window import MainWindow
from capex_gui.dataio.fields import ImportTable
from capex_gui.domain.aliases import AliasKind, CompanyAlias
from capex_gui.domain.analytics import Metric
from capex_gui.domain.entities import Company
from capex_gui.storage.repository import Repository
from capex_gui.widgets.charts.chart_area import ChartArea
from capex_gui.widgets.import_dialog import ImportDialog
from capex_gui.widgets.import_mapping import BAD_CELL
from capex_gui.widgets.import_problems import COUNTRY_PROMPT
from tests.charts.drawn import bar_tops, wedge
from tests.conftest import BOTH_BACKENDS

#: Chip purchases by six buyers, named by ticker, under a spreadsheet's own headers.
#: Test data made up for this test, not real figures.
SIX_BUYERS = (
    "Buyer,Vendor,Units shipped,Year,Region,Chip\n"
    "MSFT,Nvidia,30000,2025,United States,H100\n"
    "META,Nvidia,25000,2025,United States,H100\n"
    "META,AMD,5000,2025,United States,MI300X\n"
    "BABA,Nvidia,8000,2025,China,H20\n"
    "BABA,Huawei,12000,2025,China,Ascend 910B\n"
    "BIDU,Huawei,6000,2025,China,Ascend 910B\n"
    "0700.HK,Nvidia,7000,2025,China,H20\n"
    "字节跳动,Huawei,4000,2025,China,Ascend 910B\n"
)
TICKERS = {
    "MSFT": "Microsoft",
    "META": "Meta",
    "BABA": "Alibaba",
    "BIDU": "Baidu",
    "0700.HK": "Tencent",
    "字节跳动": "ByteDance",
}


def add_aliases(window: MainWindow) -> None:
    store = window.store
    assert store is not None
    if "Tencent" not in {c.name for c in store.companies()}:
        store.add_company(Company("Tencent", "CN"))
    for alias, company in TICKERS.items():
        if alias.casefold() == company.casefold():
            continue  # META is Meta's own name, in other letters: no alias needed
        kind = AliasKind.NAME if alias == "字节跳动" else AliasKind.TICKER
        store.add_alias(CompanyAlias(company, alias, kind))


def open_dialog(
    qtbot: QtBot, window: MainWindow, path: Path, monkeypatch: pytest.MonkeyPatch
) -> ImportDialog:
    """File → Import data…, then Choose file… (the file dialog answers *path*)."""
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )
    window.import_data_action.trigger()
    dialog = window.data.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dialog)
    return dialog


def wait_idle(qtbot: QtBot, dialog: ImportDialog) -> None:
    qtbot.waitUntil(
        lambda: not dialog._task and dialog.cancel_button.isEnabled() is False, timeout=20_000
    )


def shown_country(dialog: ImportDialog) -> str:
    """The text the first new name's Country cell shows (as its delegate paints it)."""
    table = dialog.names_table
    index = table.model().index(0, 3)
    option = QStyleOptionViewItem()
    table.itemDelegateForIndex(index).initStyleOption(option, index)  # type: ignore[attr-defined]
    return option.text  # type: ignore[attr-defined,no-any-return]


def drawn_wedges(area: ChartArea) -> dict[str, float]:
    """Supplier -> the fraction of the ring its wedge covers (2025, chips by units)."""
    chart = area.supplier_chart
    chart.set_selection(None, 2025, Metric.UNITS)
    chart.ensure_current()
    slices = chart.current_figures().slices
    return {s.supplier: wedge(item).fraction for s, item in zip(slices, chart._wedges, strict=True)}


def drawn_unit_bars(area: ChartArea) -> dict[str, float]:
    """Company -> the height of its chips-ordered bar (2025), under the company's name."""
    chart = area.company_chart
    chart.set_year(2025)
    chart.ensure_current()
    tops = bar_tops(chart._units.firm, chart._units.tint)
    names = {label.x: label.text for label in chart._bottom._bars}
    return {names[x]: top for x, top in tops.items()}


@pytest.mark.parametrize("backend", BOTH_BACKENDS)  # a file, then a team's server database
def test_six_buyers_by_ticker_reach_tables_and_charts_and_undo(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    check_repo: Repository,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_aliases(window)
    path = tmp_path / "shipments.csv"
    path.write_text(SIX_BUYERS, encoding="utf-8")
    before = len(check_repo.chip_orders())
    window.tabs.setCurrentIndex(1)
    dialog = open_dialog(qtbot, window, path, monkeypatch)
    assert dialog.table is ImportTable.CHIP_ORDERS
    mapping = dialog.mapping
    assert mapping is not None
    assert {k: mapping.columns.get(k) for k in ("company", "supplier", "units", "chip_model")} == {
        "company": 0,
        "supplier": 1,
        "units": 2,
        "chip_model": 5,
    }
    assert (
        dialog.summary_label.text()
        == "8 rows can be imported. Type the countries below, then Import."
    )
    # AMD is new: the dialog asks for its country before it imports
    assert dialog.names_table.rowCount() == 1
    assert not dialog.import_button.isEnabled()
    assert shown_country(dialog) == COUNTRY_PROMPT  # the empty cell says what to type
    dialog.names_table.item(0, 3).setText("US")
    assert dialog.import_button.isEnabled()
    assert shown_country(dialog) == "US"
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dialog)
    assert dialog.result() == ImportDialog.DialogCode.Accepted
    assert window.tabs.currentIndex() == 1

    # on disk, through a second connection: the tickers became their companies
    rows = check_repo.chip_orders()[before:]
    assert sorted({o.company for o in rows}) == sorted(TICKERS.values())
    assert sum(o.units or 0 for o in rows) == 97_000
    assert {s.name: s.country for s in check_repo.suppliers()}["AMD"] == "US"  # as typed
    assert window.chip_orders_model.rowCount() == before + 8

    # the charts draw it: wedges and bars read back from their plot items
    area = window.chart_area
    assert isinstance(area, ChartArea)
    qtbot.wait(10)
    totals = {"Nvidia": 70_000, "Huawei": 22_000, "AMD": 5_000}
    assert drawn_wedges(area) == pytest.approx(
        {name: units / 97_000 for name, units in totals.items()}, abs=2e-3
    )
    assert drawn_unit_bars(area) == {
        "Microsoft": 30_000,
        "Meta": 30_000,
        "Alibaba": 20_000,
        "Baidu": 6_000,
        "Tencent": 7_000,
        "ByteDance": 4_000,
    }

    # one undo step takes the whole import away, tables and charts included
    assert window.undo_stack.undoText() == "Import 8 rows from shipments.csv"
    window.undo_stack.undo()
    qtbot.wait(10)
    assert len(check_repo.chip_orders()) == before
    assert "AMD" not in {s.name for s in check_repo.suppliers()}
    assert window.chip_orders_model.rowCount() == before
    assert drawn_unit_bars(area) == {}  # the sample's own orders have no unit counts
    assert drawn_wedges(area) == {}
    window.undo_stack.redo()
    qtbot.wait(10)
    assert len(check_repo.chip_orders()) == before + 8
    assert drawn_unit_bars(area)["Microsoft"] == 30_000
    assert drawn_wedges(area)["AMD"] == pytest.approx(5 / 97, abs=2e-3)


def test_bad_file_errors_are_listed_copied_and_saved_and_mapping_fixes(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    check_repo: Repository,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "Who,Vendor,Units shipped,Year,Region\n"
        "ByteDance,Nvidia,100,2025,China\n"
        "ByteDance,Nvidia,lots,2025,China\n"
        "ByteDance,Huawei,5,20x5,China\n",
        encoding="utf-8",
    )
    before = len(check_repo.chip_orders())
    window.tabs.setCurrentIndex(1)
    dialog = open_dialog(qtbot, window, path, monkeypatch)
    assert "no column is Company" in dialog.summary_label.text()
    assert not dialog.import_button.isEnabled()
    # the user picks the column for Company in its combo
    combo = dialog.mapping_editor.combo("company")
    combo.setCurrentIndex(combo.findText("A “Who”"))
    wait_idle(qtbot, dialog)
    assert dialog.summary_label.text() == "2 rows fail; nothing will be imported:"
    lines = [dialog.error_list.item(i).text() for i in range(dialog.error_list.count())]
    assert lines[0].startswith("line 3, column C “Units shipped”:")
    assert lines[1].startswith("line 4, column D “Year”:") and "(found “20x5”)" not in lines[1]
    assert not dialog.import_button.isEnabled()
    # the preview tints the cells that fail (with the reason as tooltip), and choosing a
    # problem in the list selects its cell
    preview = dialog.preview
    lots = preview.item(1, 2)  # line 3, column C
    assert lots is not None and lots.text() == "lots"
    assert lots.background().color() == QColor(BAD_CELL)
    assert "is not a number" in lots.toolTip()
    assert preview.item(0, 2).background().style() == Qt.BrushStyle.NoBrush  # line 2 is fine
    dialog.error_list.setCurrentRow(1)
    assert (preview.currentRow(), preview.currentColumn()) == (2, 3)  # line 4, column D
    dialog.copy_errors(everything=True)
    assert QApplication.clipboard().text().splitlines() == lines
    saved = tmp_path / "problems.csv"
    dialog.save_errors(saved)
    text = saved.read_text(encoding="utf-8-sig").splitlines()
    assert text[0] == "Line,Column,Text found,Reason"
    assert text[1].startswith("3,C “Units shipped”,lots,")
    # a fixed value for a column the file lacks, typed into the mapping
    edit = dialog.mapping_editor.fixed_edit("source")
    qtbot.keyClicks(edit, "Company filings")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    wait_idle(qtbot, dialog)
    assert dialog.mapping is not None and dialog.mapping.fixed == {"source": "Company filings"}
    dialog.reject()
    assert len(check_repo.chip_orders()) == before  # nothing was written

    # the mapping used for an import is remembered for files with the same header
    good = tmp_path / "good.csv"
    good.write_text("Who,Vendor,Units shipped,Year,Region\nByteDance,Nvidia,100,2025,China\n")
    dialog = open_dialog(qtbot, window, good, monkeypatch)
    combo = dialog.mapping_editor.combo("company")
    combo.setCurrentIndex(combo.findText("A “Who”"))
    wait_idle(qtbot, dialog)
    edit = dialog.mapping_editor.fixed_edit("source")
    qtbot.keyClicks(edit, "Company filings")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    wait_idle(qtbot, dialog)
    assert dialog.summary_label.text() == "1 row can be imported."
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dialog)
    assert check_repo.chip_orders()[-1].source == "Company filings"
    same_header = tmp_path / "next month.csv"
    same_header.write_text(good.read_text().replace("100", "200"))
    dialog = open_dialog(qtbot, window, same_header, monkeypatch)
    assert dialog.mapping is not None and dialog.mapping.columns["company"] == 0
    assert dialog.mapping.fixed == {"source": "Company filings"}
    dialog.reject()


def test_cancel_writes_nothing(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    check_repo: Repository,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "many.csv"
    path.write_text("Buyer,Vendor,Units,Year,Region\n" + "ByteDance,Nvidia,1,2025,China\n" * 3_000)
    before = len(check_repo.chip_orders())
    window.tabs.setCurrentIndex(1)
    dialog = open_dialog(qtbot, window, path, monkeypatch)
    assert dialog.summary_label.text() == "3,000 rows can be imported."
    seen: list[tuple[int, bool, bool]] = []

    def on_progress(_fraction: float, rows: int) -> None:
        # the progress bar and its Cancel button show while the import runs
        seen.append((rows, dialog.progress.isVisible(), dialog.cancel_button.isVisible()))
        assert not dialog.mapping_editor.isEnabled() and not dialog.choose_button.isEnabled()
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    dialog.runner.progressed.connect(on_progress)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dialog)
    assert seen and all(bar and cancel for _rows, bar, cancel in seen)
    assert not dialog.cancel_button.isVisible()
    assert dialog.summary_label.text() == "Cancelled: nothing was imported."
    assert dialog.isVisible()
    assert len(check_repo.chip_orders()) == before
    # the file was checked already: Import again takes every row
    assert dialog.import_button.isEnabled() and dialog.mapping_editor.isEnabled()
    dialog.runner.progressed.disconnect(on_progress)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dialog)
    assert dialog.result() == ImportDialog.DialogCode.Accepted
    assert len(check_repo.chip_orders()) == before + 3_000


def test_not_a_table_says_so(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    dialog = open_dialog(qtbot, window, path, monkeypatch)
    assert dialog.summary_label.text() == "empty.csv is empty (0 bytes)."
    assert not dialog.import_button.isEnabled()
    dialog.reject()


def test_export_data_from_the_window(
    window: MainWindow, tmp_path: Path, check_repo: Repository
) -> None:
    out = tmp_path / "orders.xlsx"
    window.tabs.setCurrentIndex(1)
    combo = window.currency_combo  # the display currency, as the user picks it
    combo.setCurrentIndex(combo.findText("CNY"))
    combo.activated.emit(combo.currentIndex())
    assert window.data.write_export("chip-orders", out) == len(check_repo.chip_orders())
    assert "Exported" in window.statusBar().currentMessage()
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    headers = [c.value for c in ws[1]]
    assert "Value (CNY)" in headers and "Value (USD)" not in headers
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    native = [r for r in rows if r[headers.index("Currency")] == "CNY"]
    assert native and all(
        r[headers.index("Value (CNY)")] == r[headers.index("Value")] for r in native
    )
