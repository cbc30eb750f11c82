"""Paste report text: the review dialog driven as a person drives it, rows checked on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QMimeData, QPointF, QSettings, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QTableView
from pytestqt.qtbot import QtBot

from capex_gui.app.application import create_application
from capex_gui.app.main_window import MainWindow
from capex_gui.domain.checks import CheckKind, Severity, run_checks
from capex_gui.storage.database import open_database
from capex_gui.storage.facts import read_facts
from capex_gui.storage.repository import Repository
from capex_gui.storage.statements import StatementRepository
from capex_gui.widgets.proposal_review import CURRENT_COLOUR, SPAN_COLOUR, ProposalReviewDialog
from tests.app.conftest import type_text

SEED = Path(__file__).parents[1] / "domain" / "data" / "seed_report.txt"


@pytest.fixture
def empty_path(tmp_path: Path) -> Path:
    path = tmp_path / "empty.capex"
    open_database(path, create=True).close()
    return path


@pytest.fixture
def empty_window(qtbot: QtBot, empty_path: Path, tmp_path: Path) -> Iterator[MainWindow]:
    create_application()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(open_database(empty_path), settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


def _drive(
    qtbot: QtBot, steps: Callable[[ProposalReviewDialog], None]
) -> Callable[[QDialog], bool]:
    """A stand-in for the modal exec: show the dialog, let the test act, report the result."""

    def run(dialog: QDialog) -> bool:
        assert isinstance(dialog, ProposalReviewDialog)
        dialog.setModal(True)  # as exec() makes it: keys go to the dialog, not the window
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=3000)
        steps(dialog)
        return dialog.result() == QDialog.DialogCode.Accepted

    return run


def _select_row(table: QTableView, row: int) -> None:
    """Select one row as a click does (selectRow would extend a selection while Ctrl is held)."""
    index = table.model().index(row, 0)
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    table.selectionModel().setCurrentIndex(index, flags)


def _row_of(dialog: ProposalReviewDialog, kind_label: str) -> int:
    model = dialog.model
    return next(r for r in range(model.rowCount()) if model.proposal(r).kind.label == kind_label)


def test_seed_report_into_an_empty_database_gives_the_sample_totals(
    qtbot: QtBot, empty_window: MainWindow, empty_path: Path, _isolated_home: Path
) -> None:
    window = empty_window
    text = SEED.read_text(encoding="utf-8")
    QGuiApplication.clipboard().setText(text)
    seen: dict[str, object] = {}

    def steps(dialog: ProposalReviewDialog) -> None:
        assert dialog.model.rowCount() == 6
        seen["kinds"] = sorted(dialog.model.proposal(r).kind.value for r in range(6))
        # every proposal's words are highlighted, the current one stronger
        selections = dialog.text_edit.extraSelections()
        colours = {s.format.background().color().name() for s in selections}
        assert colours == {SPAN_COLOUR.name(), CURRENT_COLOUR.name()}
        assert len(selections) == sum(len(dialog.model.proposal(r).spans) for r in range(6))
        dialog.source_edit.setFocus()
        type_text(qtbot, dialog.source_edit, "Financial Times")
        qtbot.keyClick(dialog.source_edit, Qt.Key.Key_Tab)
        type_text(qtbot, dialog.date_edit, "2025-01-22")
        qtbot.keyClick(dialog.date_edit, Qt.Key.Key_Tab)
        type_text(qtbot, dialog.url_edit, "https://www.ft.com/")
        assert dialog.add_button.text() == "&Add 6 rows"
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert dialog.error_label.text() == ""
        assert dialog.result() == QDialog.DialogCode.Accepted

    window.run_dialog = _drive(qtbot, steps)  # type: ignore[method-assign]
    window.reports.paste_report_action.trigger()
    assert seen["kinds"] == ["chip_order", "fx", "headline", "investment", "investment", "share"]

    db = open_database(empty_path)
    try:
        repo = Repository(db.engine)
        invs = repo.investments()
        assert {(i.company, i.year, i.category, i.region, i.amount, i.currency) for i in invs} == {
            ("ByteDance", 2025, "AI chips", "China", Decimal(40 * 10**9), "CNY"),
            ("ByteDance", 2025, "Model-training capacity", "Overseas", Decimal("6.8e9"), "USD"),
        }
        assert all(
            i.source == "Financial Times" and i.source_url == "https://www.ft.com/" for i in invs
        )
        assert all(i.quote and i.quote in text for i in invs)
        (order,) = repo.chip_orders()
        assert (order.supplier, order.chip_model, order.units, order.year) == (
            "Nvidia",
            "H20",
            230_000,
            2024,
        )
        (rate,) = repo.fx_rates()
        assert (rate.currency, rate.year, rate.units_per_usd) == ("CNY", 2025, Decimal("7.27"))
        statements = StatementRepository(repo)
        (head,) = statements.headlines()
        assert (head.amount, head.bound.value) == (Decimal(12 * 10**9), "at_least")
        (share,) = statements.shares()
        assert (share.share, share.origin, share.suppliers) == (
            Decimal("0.6"),
            "domestic",
            ("Huawei", "Cambricon"),
        )
        findings = run_checks(read_facts(db.engine))
    finally:
        db.close()
    (headline,) = [f for f in findings if f.check is CheckKind.HEADLINE]
    assert (
        headline.severity is Severity.OK
        and "12.3B ≥ the headline more than USD 12B" in headline.message
    )
    assert not [f for f in findings if f.severity is Severity.HARD]

    env = {**os.environ, "CAPEX_GUI_HOME": str(_isolated_home)}
    out = subprocess.run(
        [sys.executable, "-m", "capex_gui", "summary", str(empty_path), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    data = json.loads(out.stdout)
    totals = {(t["company"], t["year"]): t["amount"] for t in data["totals"]}
    assert totals[("ByteDance", 2025)] == "12302063273.73"
    dom = {(d["company"], d["year"], d["metric"]): d["share"] for d in data["domestic_share"]}
    assert dom[("ByteDance", 2025, "value")] == 0.6
    assert dom[("ByteDance", 2024, "units")] == 0.0
    checked = subprocess.run(
        [sys.executable, "-m", "capex_gui", "check", str(empty_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "parts sum to USD 12.3B ≥ the headline more than USD 12B: consistent" in checked.stdout

    # one undo step takes every row (and the names it added) out again
    window.undo_stack.undo()
    db = open_database(empty_path)
    try:
        repo = Repository(db.engine)
        assert repo.investments() == [] and repo.chip_orders() == [] and repo.fx_rates() == []
        assert StatementRepository(repo).headlines() == []
        assert repo.companies() == [] and repo.suppliers() == []
    finally:
        db.close()


def test_keyboard_rejects_and_edits_before_adding(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    text = (
        "Meta plans to spend $65bn on AI in 2025, and Microsoft $80bn. "
        "Tencent ordered 10,000 H20 GPUs worth $120 million in 2024."
    )
    before = len(check_repo.investments())

    def steps(dialog: ProposalReviewDialog) -> None:
        table, model = dialog.table, dialog.model
        assert model.rowCount() == 3
        assert [model.is_accepted(r) for r in range(3)] == [True, True, True]
        # Meta's row needs a category and a region: adding says so and keeps the dialog open
        qtbot.keyClick(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert dialog.isVisible()
        assert "still needs: category, region" in dialog.error_label.text()
        # reject Microsoft's row with Delete, Space twice on the order (off and on again)
        assert [model.is_accepted(r) for r in range(3)] == [True, True, True]
        table.setFocus()
        _select_row(table, 1)
        qtbot.keyClick(table, Qt.Key.Key_Delete)
        assert [model.is_accepted(r) for r in range(3)] == [True, False, True]
        _select_row(table, 2)
        qtbot.keyClick(table, Qt.Key.Key_Space)
        assert not model.is_accepted(2)
        qtbot.keyClick(table, Qt.Key.Key_Space)
        assert model.is_accepted(2)
        # the order needs a region; Meta's row a category and a region: type them in
        for row, key, value in (
            (0, "category", "Data centres"),
            (0, "region", "United States"),
            (2, "region", "China"),
        ):
            table.setCurrentIndex(model.index(row, model.column_index(key)))
            qtbot.keyClick(table, Qt.Key.Key_F2)
            editor = QApplication.focusWidget()
            line = editor.lineEdit() if hasattr(editor, "lineEdit") else editor
            line.selectAll()
            type_text(qtbot, line, value)
            qtbot.keyClick(line, Qt.Key.Key_Return)
            qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
        assert model.proposal(0).category == "Data centres"
        # a figure typed wrongly is refused with a reason, the old one kept
        table.setCurrentIndex(model.index(0, model.column_index("figure")))
        qtbot.keyClick(table, Qt.Key.Key_F2)
        line = QApplication.focusWidget()
        line.selectAll()
        type_text(qtbot, line, "lots")
        qtbot.keyClick(line, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
        assert "is not a number" in dialog.error_label.text()
        assert model.proposal(0).amount == Decimal(65 * 10**9)
        dialog.source_edit.setText("Company filings")
        assert [model.is_accepted(r) for r in range(3)] == [True, False, True]
        assert dialog.add_button.text() == "&Add 2 rows"
        qtbot.keyClick(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    window.run_dialog = _drive(qtbot, steps)  # type: ignore[method-assign]
    assert window.reports.open_review(text)
    invs = check_repo.investments()
    assert len(invs) == before + 1
    meta = invs[-1]
    assert (meta.company, meta.category, meta.region, meta.amount) == (
        "Meta",
        "Data centres",
        "United States",
        Decimal(65 * 10**9),
    )
    order = check_repo.chip_orders()[-1]
    assert (order.company, order.units, order.value, order.currency) == (
        "Tencent",
        10_000,
        Decimal(120_000_000),
        "USD",
    )
    assert "Tencent" in {c.name for c in check_repo.companies()}  # added with its country
    assert window.undo_stack.undoText() == "Add 2 rows from report text"


def test_cancel_writes_nothing_and_a_date_must_be_a_date(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    before = (len(check_repo.investments()), len(check_repo.chip_orders()))

    def steps(dialog: ProposalReviewDialog) -> None:
        dialog.date_edit.setFocus()
        type_text(qtbot, dialog.date_edit, "last week")
        qtbot.keyClick(dialog.date_edit, Qt.Key.Key_Tab)
        assert "is not a date" in dialog.error_label.text()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    window.run_dialog = _drive(qtbot, steps)  # type: ignore[method-assign]
    assert not window.reports.open_review(
        "Baidu bought $1.2bn of Huawei Ascend 910B chips this year."
    )
    assert (len(check_repo.investments()), len(check_repo.chip_orders())) == before


def _drag_enter_event(position: QPointF, mime: QMimeData) -> QDragEnterEvent:
    """A copy drag of `mime` entering at `position`, built with what the installed PySide6 has:
    6.12 adds a QPointF constructor and deprecates the QPoint one (a warning, so an error here);
    6.11 (Python 3.11's pin) has only the QPoint one and refuses a QPointF with TypeError."""
    rest = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)
    try:
        return QDragEnterEvent(position, *rest)
    except TypeError:  # no QPointF overload: PySide6 < 6.12
        return QDragEnterEvent(position.toPoint(), *rest)


def test_text_dropped_on_a_table_opens_the_review(qtbot: QtBot, window: MainWindow) -> None:
    opened: list[str] = []

    def steps(dialog: ProposalReviewDialog) -> None:
        opened.append(dialog.text_edit.toPlainText())
        dialog.reject()

    window.run_dialog = _drive(qtbot, steps)  # type: ignore[method-assign]
    mime = QMimeData()
    mime.setText("xAI acquired ~100k Nvidia H100 GPUs in 2024.")
    viewport = window.investments_view.viewport()
    enter = _drag_enter_event(QPointF(viewport.rect().center()), mime)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, drop)
    assert opened == ["xAI acquired ~100k Nvidia H100 GPUs in 2024."]
