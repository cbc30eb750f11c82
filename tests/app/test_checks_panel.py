"""The Checks panel and its badge: live as figures change, rows one click away, CSV export."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from capex_gui.app.main_window import MainWindow
from capex_gui.domain.checks import CheckKind, Severity
from capex_gui.storage.repository import Repository
from tests.app.conftest import type_into_cell


def _panel_rows(window: MainWindow) -> list[tuple[str, str]]:
    panel = window.reports.panel
    assert panel is not None
    model = panel.model
    return [
        (model.finding(r).severity.value, model.finding(r).check.value)
        for r in range(model.rowCount())
    ]


def test_view_checks_shows_the_sample_as_consistent(qtbot: QtBot, window: MainWindow) -> None:
    badge = window.reports.badge
    assert badge is not None and badge.text() == "✔ Checks"
    assert not window.reports.dock.isVisible()
    window.reports.show_checks_action.trigger()
    assert window.reports.dock.isVisible()
    # the sample's quote "RMB 40 billion, equivalent to $5.5 billion" agrees with its 7.27 rate
    assert ("ok", "implied vs table FX") in _panel_rows(window)
    assert window.reports.panel.summary_label.text().startswith("0 inconsistencies, 0 notes")


def test_a_duplicate_fires_live_selects_its_rows_and_clears_on_undo(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.reports.show_checks()
    view = window.investments_view
    view.setFocus()
    view.selectRow(1)
    qtbot.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # duplicate
    badge = window.reports.badge
    assert badge is not None
    qtbot.waitUntil(lambda: badge.text() == "✖ 1 check", timeout=3000)
    assert ("hard", "duplicates") in _panel_rows(window)
    # click the finding: its two rows are selected in the investments table
    panel = window.reports.panel
    row = next(
        r
        for r in range(panel.model.rowCount())
        if panel.model.finding(r).check is CheckKind.DUPLICATE
    )
    finding = panel.model.finding(row)
    window.tabs.setCurrentIndex(1)
    rect = panel.table.visualRect(panel.model.index(row, 2))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.tabs.currentWidget() is view
    selected = {view.figure_model().id_at(r) for r in view.selected_rows()}
    assert selected == {ref.id for ref in finding.rows}
    # fixing the data clears it: undo the duplicate
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: badge.text() == "✔ Checks", timeout=3000)
    assert ("hard", "duplicates") not in _panel_rows(window)


def test_an_edited_fx_rate_fires_the_implied_rate_check_and_clears(
    qtbot: QtBot, window: MainWindow, check_repo: Repository
) -> None:
    from capex_gui.domain.entities import FxRate
    from capex_gui.store.fx_commands import SetFxRate

    store = window.store
    assert store is not None
    rate = FxRate("CNY", 2025, __import__("decimal").Decimal("7.00"))
    old = store.set_fx_rate(rate)
    window.undo_stack.push(SetFxRate(store, rate, old, done=True))
    badge = window.reports.badge
    assert badge is not None
    qtbot.waitUntil(lambda: badge.text().startswith("✖"), timeout=3000)
    checks = window.reports.checks
    assert checks is not None
    (fx,) = [f for f in checks.findings if f.check is CheckKind.FX and f.severity is Severity.HARD]
    assert "the table's 2025 rate is 7 (-3.7%)" in fx.message
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: badge.text() == "✔ Checks", timeout=3000)


def test_a_missing_source_is_a_note_until_typed(qtbot: QtBot, window: MainWindow) -> None:
    view = window.investments_view
    type_into_cell(qtbot, view, 0, "source", " ")
    badge = window.reports.badge
    assert badge is not None
    qtbot.waitUntil(lambda: badge.text() == "● 1 check", timeout=3000)
    type_into_cell(qtbot, view, 0, "source", "Reuters")
    qtbot.waitUntil(lambda: badge.text() == "✔ Checks", timeout=3000)


def test_export_csv(qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "checks.csv"
    monkeypatch.setattr(
        "capex_gui.widgets.checks_panel.QFileDialog.getSaveFileName",
        lambda *a, **k: (str(target), "CSV files (*.csv)"),
    )
    window.reports.show_checks()
    panel = window.reports.panel
    assert panel is not None
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    with target.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["result", "check", "message", "rows"]
    assert len(rows) == 1 + panel.model.rowCount()
    assert rows[1][0] in {"hard", "note", "ok"}
