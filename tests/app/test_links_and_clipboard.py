"""Safe links and clipboard (finding 13): Ctrl+click opens only web links; a text copy never
hands a spreadsheet a formula to run, while numbers stay numbers."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QPalette
from pytestqt.qtbot import QtBot

from capex_gui.app.main_window import MainWindow
from capex_gui.dataio.formula_guard import neutralise_cell
from capex_gui.models.safe_links import is_openable_url
from capex_gui.storage.repository import Repository
from tests.app.conftest import cell, type_into_cell


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    urls: list[str] = []

    def record(url: QUrl) -> bool:
        urls.append(url.toString())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", record)
    return urls


def _ctrl_click(qtbot: QtBot, window: MainWindow, row: int) -> None:
    view = window.investments_view
    index = cell(view, row, "source_url")
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        view.visualRect(index).center(),
    )


@pytest.mark.parametrize(
    "url",
    [
        "file:///bin/sh",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "smb://server/share",
        "/usr/bin/xterm",
        "https://",
    ],
)
def test_ctrl_click_opens_no_url_but_a_web_link(
    qtbot: QtBot, window: MainWindow, check_repo: Repository, opened: list[str], url: str
) -> None:
    view = window.investments_view
    type_into_cell(qtbot, view, 0, "source_url", url)
    assert check_repo.get_investment(window.investments_model.id_at(0)).source_url == url
    _ctrl_click(qtbot, window, 0)
    assert opened == []
    message = window.statusBar().currentMessage()
    assert message.startswith("Not opened:") and "not a web link" in message
    assert view.cell_message.isVisible() and view.cell_message.text() == message
    link = QGuiApplication.palette().color(QPalette.ColorRole.Link)
    assert cell(view, 0, "source_url").data(Qt.ItemDataRole.ForegroundRole) != link
    # a web link in the next row opens
    type_into_cell(qtbot, view, 1, "source_url", "https://example.org/report?id=1")
    _ctrl_click(qtbot, window, 1)
    assert opened == ["https://example.org/report?id=1"]
    assert cell(view, 1, "source_url").data(Qt.ItemDataRole.ForegroundRole) == link


def test_is_openable_url() -> None:
    assert is_openable_url("http://example.org")
    assert is_openable_url("  HTTPS://Example.org/a b".replace(" b", ""))
    for bad in ("", "example.org", "ftp://example.org", "http://", "https://a b.org", "file:/x"):
        assert not is_openable_url(bad), bad


FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3"]


def test_a_text_copy_neutralises_formulas_and_keeps_numbers(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = window.investments_view
    for row, text in enumerate([*FORMULAS[:3]]):
        type_into_cell(qtbot, view, row, "notes", text)
    type_into_cell(qtbot, view, 0, "source", FORMULAS[3])
    type_into_cell(qtbot, view, 1, "source", "-5")
    model = window.investments_model
    cols = [model.column_index(k) for k in ("amount", "source", "notes")]
    selection = QItemSelection()
    for col in cols:
        selection.select(model.index(0, col), model.index(2, col))
    view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = [line.split("\t") for line in QGuiApplication.clipboard().text().split("\n")]
    assert [line[2] for line in lines] == ["'" + f for f in FORMULAS[:3]]
    assert lines[0][1] == "'-2+3"
    assert lines[1][1] == "-5"  # a negative number stays a number
    assert lines[0][0] == "40,000,000,000"  # so do amounts


@pytest.mark.parametrize(
    ("text", "copied"),
    [
        ("=1+1", "'=1+1"),
        ("+41 22 000", "'+41 22 000"),
        ("-", "'-"),
        ("@cmd", "'@cmd"),
        ("\tfoo", "'\tfoo"),
        ("\r=1", "'\r=1"),
        ("-1,234.50", "-1,234.50"),
        ("+3", "+3"),
        ("12", "12"),
        ("ByteDance", "ByteDance"),
        ("", ""),
    ],
)
def test_neutralise_cell(text: str, copied: str) -> None:
    assert neutralise_cell(text) == copied


def test_the_guard_is_qt_free() -> None:
    code = (
        "import sys, capex_gui.dataio.formula_guard, capex_gui.dataio.tsv, "
        "capex_gui.models.provenance, capex_gui.models.safe_links; "
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken')));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
