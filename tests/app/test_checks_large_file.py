"""A file too large for the checks to run by themselves: the badge and panel say so, nothing is
read or run behind the user's back, and Run checks runs them (issue 14)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from capex_gui.app.main_window import MainWindow
from capex_gui.store import checks_model
from tests.app.conftest import type_into_cell


@pytest.fixture
def large_window(
    open_window: Callable[[], MainWindow], monkeypatch: pytest.MonkeyPatch
) -> MainWindow:
    """The sample (8 figures) opened as if it were over the automatic limit."""
    monkeypatch.setattr(checks_model, "AUTO_LIMIT", 5)
    return open_window()


def test_a_large_file_says_its_checks_are_off_and_runs_them_when_asked(
    qtbot: QtBot, large_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = large_window.reports
    checks, badge = reports.checks, reports.badge
    assert checks is not None and badge is not None
    assert badge.text() == "Checks off"
    assert "Not checked" in badge.toolTip()
    read: list[int] = []
    monkeypatch.setattr(checks_model, "_read_rows", _counting(checks_model._read_rows, read))
    # an edit does not start a read of every row
    type_into_cell(qtbot, large_window.investments_view, 0, "notes", "edited")
    qtbot.wait(2 * checks.delay_ms + 50)
    assert read == [] and checks.findings == []
    reports.show_checks()
    panel = reports.panel
    assert panel is not None
    assert panel.summary_label.text().startswith("Not checked: this file has ")
    assert panel.run_button.isVisible()
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: checks.ready, timeout=5000)
    assert read == [1]
    assert badge.text() == "✔ Checks"
    assert not panel.run_button.isVisible()
    assert panel.summary_label.text().startswith("0 inconsistencies, 0 notes")


def test_a_file_under_the_limit_checks_itself(qtbot: QtBot, window: MainWindow) -> None:
    reports = window.reports
    assert reports.checks is not None and reports.checks.deferred_rows == 0
    assert reports.badge is not None and reports.badge.text() == "✔ Checks"


def _counting(read: Callable[..., object], calls: list[int]) -> Callable[..., object]:
    def counted(*args: object) -> object:
        calls.append(1)
        return read(*args)

    return counted
