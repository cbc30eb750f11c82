"""The main window driven as a person drives it; every check reads the database afterwards."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from capex_gui.app.edit_actions import PasteChoice
from capex_gui.app.main_window import MainWindow
from capex_gui.domain.entities import ChipOrder, Investment, Status
from capex_gui.domain.parsing import Bound
from capex_gui.models.paste import PastePlan
from capex_gui.storage.repository import Repository
from tests.app.conftest import cell, type_into_cell

B = Decimal(10) ** 9


def _investments(repo: Repository) -> list[Investment]:
    return repo.investments()


def test_window_shows_the_database_and_named_widgets(window: MainWindow) -> None:
    assert "sample.capex" in window.windowTitle()
    for name in ("investmentsTable", "chipOrdersTable", "filterEdit", "chartArea"):
        assert window.findChild(object, name) is not None, name
    assert window.investments_model.rowCount() == 3
    assert window.chip_orders_model.rowCount() == 4
    assert window.count_label.text() == "3 investments"


def test_typing_40bn_stores_forty_billion(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    view = window.investments_view
    row = window.investments_model.row_of(3)  # the 2024 estimate
    assert row is not None
    type_into_cell(qtbot, view, row, "amount", "40bn")
    stored = check_repo.get_investment(3)
    assert stored.amount == 40 * B
    assert cell(view, row, "amount").data() == "40,000,000,000"
    type_into_cell(qtbot, view, row, "amount", "RMB 5.5B")
    assert check_repo.get_investment(3).amount == Decimal("5.5") * B
    assert check_repo.get_investment(3).currency == "CNY"
    type_into_cell(qtbot, view, row, "amount", ">12bn")
    assert check_repo.get_investment(3).bound is Bound.AT_LEAST


def test_forty_is_rejected_with_a_message_and_nothing_written(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    before = check_repo.investments()
    type_into_cell(qtbot, window.investments_view, 0, "amount", "forty")
    assert "not a number" in window.statusBar().currentMessage()
    assert check_repo.investments() == before
    assert window.undo_stack.count() == 0
    assert cell(window.investments_view, 0, "amount").data() == "40,000,000,000"


INVESTMENT_EDITS = [
    ("company", "Baidu", "company", "Baidu"),
    ("period", "2023", "year", 2023),  # a plain year is that calendar year
    ("category", "Power", "category", "Power"),
    ("region", "Overseas", "region", "Overseas"),
    ("amount", "1.2m", "amount", Decimal(1_200_000)),
    ("currency", "EUR", "currency", "EUR"),
    ("bound", "at most", "bound", Bound.AT_MOST),
    ("amount_low", "12bn", "amount_low", None),  # refused: above the amount; checked below
    ("amount_high", "50bn", "amount_high", 50 * B),
    ("status", "confirmed", "status", Status.CONFIRMED),
    ("source", "Reuters", "source", "Reuters"),
    ("source_url", "https://example.org/r", "source_url", "https://example.org/r"),
    ("reported_on", "2025-02-03", "reported_on", date(2025, 2, 3)),
    ("quote", "“about RMB 40 billion”", "quote", "“about RMB 40 billion”"),
    ("notes", "checked twice", "notes", "checked twice"),
]


def test_every_investment_column_is_editable_by_keyboard(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    view = window.investments_view
    for key, text, field, expected in INVESTMENT_EDITS:
        type_into_cell(qtbot, view, 0, key, text)
        stored = check_repo.get_investment(window.investments_model.id_at(0))
        if key == "amount_low":
            assert stored.amount_low is None
            assert "below the low end" in window.statusBar().currentMessage()
            continue
        assert getattr(stored, field) == expected, key
    type_into_cell(qtbot, view, 0, "amount_low", "1m")
    assert check_repo.get_investment(window.investments_model.id_at(0)).amount_low == Decimal(
        1_000_000
    )


CHIP_EDITS = [
    ("company", "Alibaba", "company", "Alibaba"),
    ("period", "2026", "year", 2026),  # a plain year is that calendar year
    ("region", "Overseas", "region", "Overseas"),
    ("supplier", "Cambricon", "supplier", "Cambricon"),
    ("chip_model", "Siyuan 590", "chip_model", "Siyuan 590"),
    ("units", "23万", "units", 230_000),
    ("value", "$1.5bn", "value", Decimal("1.5") * B),
    ("currency", "CNY", "currency", "CNY"),
    ("export_note", "not restricted", "export_note", "not restricted"),
    ("status", "planned", "status", Status.PLANNED),
    ("bound", "exact", "bound", Bound.EXACT),
    ("source", "Company filing", "source", "Company filing"),
    ("source_url", "https://example.org/f", "source_url", "https://example.org/f"),
    ("reported_on", "2026-01-31", "reported_on", date(2026, 1, 31)),
    ("quote", "q", "quote", "q"),
    ("notes", "n", "notes", "n"),
]


def test_every_chip_order_column_is_editable_and_derived_columns_follow(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    window.tabs.setCurrentIndex(1)
    view = window.chip_orders_view
    for key, text, field, expected in CHIP_EDITS:
        type_into_cell(qtbot, view, 0, key, text)
        stored = check_repo.get_chip_order(window.chip_orders_model.id_at(0))
        assert getattr(stored, field) == expected, key
    # derived, read-only columns
    assert cell(view, 0, "unit_price").data() == "CNY 6,521.74"  # 1.5bn / 230,000
    assert cell(view, 0, "origin").data() == "domestic"  # Alibaba (CN) from Cambricon (CN)
    assert not (cell(view, 0, "origin").flags() & Qt.ItemFlag.ItemIsEditable)
    assert "no CNY rate for 2026" in cell(view, 0, "display_value").data()


def test_new_company_typed_in_a_cell_is_created_after_asking_its_country(
    qtbot: QtBot, window: MainWindow, check_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def fake_ask(_parent: object, _kind: object, name: str) -> str:
        asked.append(name)
        return "KR"

    monkeypatch.setattr("capex_gui.widgets.delegates.ask_new_reference", fake_ask)
    type_into_cell(qtbot, window.investments_view, 0, "company", "Naver")
    assert asked == ["Naver"]
    assert ("Naver", "KR") in [(c.name, c.country) for c in check_repo.companies()]
    assert check_repo.get_investment(window.investments_model.id_at(0)).company == "Naver"


def test_add_row_undo_redo(qtbot: QtBot, window: MainWindow, check_repo: Repository) -> None:
    view = window.investments_view
    view.setFocus()
    view.setCurrentIndex(cell(view, 0, "company"))
    qtbot.keyClick(view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(check_repo.investments()) == 4
    assert window.investments_model.rowCount() == 4
    assert view.currentIndex().row() == 1  # appears below the current row, where the user looks
    new = check_repo.get_investment(window.investments_model.id_at(1))
    assert new.currency == "USD" and new.amount == 0
    assert window.undo_action.text() == "&Undo Add row"
    assert window.count_label.text() == "4 investments"
    window.undo_action.trigger()
    assert len(check_repo.investments()) == 3
    assert window.investments_model.rowCount() == 3
    assert window.count_label.text() == "3 investments"
    window.redo_action.trigger()
    assert len(check_repo.investments()) == 4
    assert check_repo.get_investment(new.id or 0) == new


def test_new_row_takes_the_filtered_company_and_year(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    window.year_filter.setCurrentText("2024")
    window.year_filter.activated.emit(window.year_filter.currentIndex())
    window.tabs.setCurrentIndex(1)
    window.add_row_action.trigger()
    orders = check_repo.chip_orders()
    assert len(orders) == 5
    assert orders[-1].year == 2024 and orders[-1].company == "ByteDance"


def test_edit_undo_redo_names_the_step(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    window.tabs.setCurrentIndex(1)
    view = window.chip_orders_view
    row = window.chip_orders_model.row_of(4)
    assert row is not None
    type_into_cell(qtbot, view, row, "units", "250k")
    assert check_repo.get_chip_order(4).units == 250_000
    assert window.undo_action.text() == f"&Undo Edit Units in Chip orders row {row + 1}"
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert check_repo.get_chip_order(4).units == 230_000
    assert cell(view, row, "units").data() == "230,000"
    qtbot.keyClick(
        view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert check_repo.get_chip_order(4).units == 250_000


def test_duplicate_and_delete_several_rows_then_undo(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    window.tabs.setCurrentIndex(1)
    view = window.chip_orders_view
    before = check_repo.chip_orders()
    view.setFocus()
    view.selectRow(0)
    window.duplicate_action.trigger()
    after_dup = check_repo.chip_orders()
    assert len(after_dup) == 5
    assert after_dup[-1].with_changes(id=None) == before[0].with_changes(id=None)
    window.undo_action.trigger()
    assert check_repo.chip_orders() == before
    # select rows 1-3 and press Delete
    view.clearSelection()
    view.setCurrentIndex(cell(view, 1, "company"))
    selection = view.selectionModel()
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    selection.select(
        QItemSelection(cell(view, 1, "company"), cell(view, 3, "company")),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert [o.id for o in check_repo.chip_orders()] == [before[0].id]
    assert window.chip_orders_model.rowCount() == 1
    assert window.undo_action.text() == "&Undo Delete 3 rows"
    window.undo_action.trigger()
    assert check_repo.chip_orders() == before
    assert [window.chip_orders_model.id_at(r) for r in range(4)] == [o.id for o in before]
    window.redo_action.trigger()
    assert len(check_repo.chip_orders()) == 1


SPREADSHEET_BLOCK = (
    "\n".join(
        [
            "ByteDance\t2026\tChina\tHuawei\tAscend 910C\t10k\t¥2bn\tCNY",
            "ByteDance\t2026\tChina\tCambricon\tSiyuan 590\t5,000\t1bn\tCNY",
            "ByteDance\t2026\tOverseas\tNvidia\tH100\t2k\t$0.5bn\tUSD",
            'Baidu\t2026\tChina\tHuawei\tAscend 910B\t"3,000"\t600m\tCNY',
            "Alibaba\t2026\tChina\tNvidia\tH20\t~8k\t\tUSD",
        ]
    )
    + "\n"
)


def test_paste_a_5x8_block_from_a_spreadsheet_is_one_undo_step(
    qtbot: QtBot, window: MainWindow, check_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int] = []

    def overwrite(plan: PastePlan) -> PasteChoice:
        asked.append(len(plan.overwritten_rows))
        return PasteChoice.OVERWRITE

    monkeypatch.setattr(window, "ask_paste_choice", overwrite)
    window.tabs.setCurrentIndex(1)
    view = window.chip_orders_view
    view.setFocus()
    view.setCurrentIndex(cell(view, 0, "company"))
    before = check_repo.chip_orders()
    QGuiApplication.clipboard().setText(SPREADSHEET_BLOCK)
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    after = check_repo.chip_orders()
    assert len(after) == 5  # 4 overwritten + 1 added
    assert [(o.company, o.supplier, o.units, o.value) for o in after] == [
        ("ByteDance", "Huawei", 10_000, 2 * B),
        ("ByteDance", "Cambricon", 5_000, 1 * B),
        ("ByteDance", "Nvidia", 2_000, Decimal("0.5") * B),
        ("Baidu", "Huawei", 3_000, Decimal(600_000_000)),
        ("Alibaba", "Nvidia", 8_000, None),
    ]
    assert after[4].bound is Bound.ABOUT
    assert asked == [4]
    assert window.statusBar().currentMessage().startswith("Pasted 5 rows: 4 overwritten, 1 added")
    assert window.undo_stack.count() == 1
    window.undo_action.trigger()
    assert check_repo.chip_orders() == before


def test_a_bad_cell_in_a_paste_writes_nothing_and_lists_the_errors(
    qtbot: QtBot, window: MainWindow, check_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(window, "show_paste_errors", shown.append)
    window.tabs.setCurrentIndex(1)
    view = window.chip_orders_view
    view.setFocus()
    view.setCurrentIndex(cell(view, 0, "company"))
    before = check_repo.chip_orders()
    bad = SPREADSHEET_BLOCK.replace("10k", "ten thousand").replace(
        "\t2026\tOverseas", "\t20x6\tOverseas"
    )
    QGuiApplication.clipboard().setText(bad)
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert check_repo.chip_orders() == before
    assert len(shown) == 1
    assert "row 1, Units" in shown[0] and "row 3, Period" in shown[0]  # the Year column became Period
    assert window.undo_stack.count() == 0


def test_copy_gives_tab_separated_text(qtbot: QtBot, window: MainWindow) -> None:
    view = window.investments_view
    view.setFocus()
    view.setCurrentIndex(cell(view, 0, "company"))
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    view.selectionModel().select(
        QItemSelection(cell(view, 0, "company"), cell(view, 1, "period")),
        QItemSelectionModel.SelectionFlag.ClearAndSelect,
    )
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "ByteDance\t2025\nByteDance\t2025"


def test_sort_by_clicking_a_header_and_filter_by_typing(qtbot: QtBot, window: MainWindow) -> None:
    view = window.investments_view
    header = view.horizontalHeader()
    amount_col = window.investments_model.column_index("amount")
    x = header.sectionViewportPosition(amount_col) + 5
    from PySide6.QtCore import QPoint

    def in_usd() -> list[Decimal]:  # amounts sort by their value in the display currency
        assert window.store is not None
        fx = window.store.fx_table()
        items = [window.investments_model.item_at(r) for r in range(3)]
        return [fx.convert(i.amount, i.currency, i.year, "USD") for i in items]

    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert in_usd() == sorted(in_usd())
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert in_usd() == sorted(in_usd(), reverse=True)
    window.find_action.trigger()
    qtbot.keyClicks(window.filter_edit, "overseas")
    qtbot.waitUntil(lambda: window.investments_model.rowCount() == 1)
    assert window.investments_model.item_at(0).region == "Overseas"
    assert window.count_label.text() == "1 of 3 investments"
    window.filter_edit.clear()
    qtbot.waitUntil(lambda: window.investments_model.rowCount() == 3)
    window.company_filter.setCurrentText("Baidu")
    window.company_filter.activated.emit(window.company_filter.currentIndex())
    assert window.investments_model.rowCount() == 0


def test_selection_sum_in_display_currency(qtbot: QtBot, window: MainWindow) -> None:
    view = window.investments_view
    view.selectAll()
    assert window.sum_label.text() == "Selected 3: sum USD 15,053,094,910.59"
    window.set_display_currency("CNY")
    assert window.sum_label.text().startswith("Selected 3: sum CNY 109,436,000,000")
    assert (
        window.investments_model.headerData(
            window.investments_model.column_index("display_value"), Qt.Orientation.Horizontal
        )
        == "Value (CNY)"
    )


def test_state_is_restored_when_the_app_reopens(
    qtbot: QtBot, open_window: Callable[[], MainWindow]
) -> None:
    first = open_window()
    first.resize(760, 560)  # the offscreen screen is 800×600: restoreGeometry keeps windows on it
    size = first.size()  # (no smaller than the window's minimum size)
    first.tabs.setCurrentIndex(1)
    first.chip_orders_view.setColumnWidth(4, 233)
    first.splitter.setSizes([600, 400])
    sizes = first.splitter.sizes()
    first.set_display_currency("EUR")
    first.close()
    second = open_window()
    assert second.tabs.currentIndex() == 1
    assert second.chip_orders_view.columnWidth(4) == 233
    assert second.size() == size
    assert second.splitter.sizes() == sizes
    assert second.store is not None and second.store.display_currency == "EUR"
    assert second.currency_combo.currentText() == "EUR"
    assert isinstance(second.settings.value("state/geometry"), QByteArray)


def test_models_pass_the_model_tester(qtmodeltester: object, window: MainWindow) -> None:
    qtmodeltester.check(window.investments_model)  # type: ignore[attr-defined]
    qtmodeltester.check(window.chip_orders_model)  # type: ignore[attr-defined]


def test_chip_order_needs_units_or_value(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    window.tabs.setCurrentIndex(1)
    view = window.chip_orders_view
    row = window.chip_orders_model.row_of(4)  # units only
    assert row is not None
    before = check_repo.get_chip_order(4)
    type_into_cell(qtbot, view, row, "units", "-")
    assert "units, a value, or both" in window.statusBar().currentMessage()
    assert check_repo.get_chip_order(4) == before
    _ = ChipOrder


def test_keyboard_only_entry_of_a_new_chip_order(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    """Ctrl+N, then type each cell and Tab to the next, as a person without a mouse does."""
    from PySide6.QtWidgets import QApplication

    from tests.app.conftest import type_text

    window.tabs.setCurrentIndex(1)
    view = window.chip_orders_view
    view.setFocus()
    view.setCurrentIndex(cell(view, 3, "company"))
    qtbot.keyClick(view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    row = view.currentIndex().row()
    assert row == 4
    for key, text in (
        ("supplier", "Huawei"),
        ("chip_model", "Ascend 910B"),
        ("units", "50k"),
        ("value", "RMB 6bn"),
    ):
        view.setCurrentIndex(cell(view, row, key))
        qtbot.keyClick(view, Qt.Key.Key_F2)
        editor = QApplication.focusWidget()
        assert editor is not None
        line = editor.lineEdit() if hasattr(editor, "lineEdit") else editor  # type: ignore[union-attr]
        line.selectAll()  # type: ignore[union-attr]
        type_text(qtbot, line, text)  # type: ignore[arg-type]
        qtbot.keyClick(line, Qt.Key.Key_Tab)  # type: ignore[arg-type]
        qtbot.waitUntil(lambda ed=line: QApplication.focusWidget() is not ed)
    order = check_repo.get_chip_order(window.chip_orders_model.id_at(row))
    assert (order.supplier, order.chip_model, order.units, order.value, order.currency) == (
        "Huawei",
        "Ascend 910B",
        50_000,
        6 * B,
        "CNY",
    )


def test_new_category_typed_in_a_cell_extends_the_list_after_asking(
    qtbot: QtBot, window: MainWindow, check_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("capex_gui.widgets.delegates.ask_new_reference", lambda *_a: "")
    type_into_cell(qtbot, window.investments_view, 0, "category", "Cooling")
    assert "Cooling" in [c.name for c in check_repo.categories()]
    assert check_repo.get_investment(window.investments_model.id_at(0)).category == "Cooling"


def test_declining_a_new_supplier_changes_nothing(
    qtbot: QtBot, window: MainWindow, check_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("capex_gui.widgets.delegates.ask_new_reference", lambda *_a: None)
    window.tabs.setCurrentIndex(1)
    before = check_repo.chip_orders()
    type_into_cell(qtbot, window.chip_orders_view, 0, "supplier", "Intel")
    assert check_repo.chip_orders() == before
    assert "Intel" not in [s.name for s in check_repo.suppliers()]
    assert "not a known supplier" in window.statusBar().currentMessage()


def test_adding_a_company_from_a_cell_undoes_as_one_step(
    qtbot: QtBot, window: MainWindow, check_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("capex_gui.widgets.delegates.ask_new_reference", lambda *_a: "KR")
    id_ = window.investments_model.id_at(0)
    type_into_cell(qtbot, window.investments_view, 0, "company", "Samsung")
    assert check_repo.get_investment(id_).company == "Samsung"
    assert window.undo_stack.count() == 1
    assert window.undo_action.text() == "&Undo Add company Samsung in Investments row 1"
    window.undo_action.trigger()
    assert check_repo.get_investment(id_).company == "ByteDance"
    assert "Samsung" not in [c.name for c in check_repo.companies()]
    window.redo_action.trigger()
    assert check_repo.get_investment(id_).company == "Samsung"
    assert ("Samsung", "KR") in [(c.name, c.country) for c in check_repo.companies()]
