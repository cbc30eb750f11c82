"""Every chart in every format exported from the window, through the dialog, as a user does it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from capex_gui.app.main_window import MainWindow
from capex_gui.export.dialog import ExportDialog
from tests.export.checks import check_pdf, check_png, check_svg

CHART_LABELS = {
    0: ["Spend by category", "2025", "AI chips"],
    1: ["Chip suppliers by value", "Nvidia", "Huawei", "Cambricon"],
    2: ["Companies compared", "ByteDance"],
}


def _fill_dialog(qtbot: QtBot, fmt: str, path: Path, width: int, height: int) -> None:
    """Act in the modal dialog as a person would: pick the format, type size and file, Save."""
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ExportDialog)
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(fmt))
    for spin, value in ((dialog.width_spin, width), (dialog.height_spin, height)):
        spin.selectAll()
        qtbot.keyClicks(spin, str(value))
        qtbot.keyClick(spin, Qt.Key.Key_Tab)
    dialog.path_edit.selectAll()
    qtbot.keyClicks(dialog.path_edit, str(path))
    assert "Source: Financial Times (reported)" in dialog.footnote_edit.text()
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )


@pytest.mark.parametrize("tab", [0, 1, 2])
@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_export_each_chart_in_each_format_from_the_window(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, tab: int, fmt: str
) -> None:
    area = window.chart_area
    area.tabs.setCurrentIndex(tab)  # type: ignore[attr-defined]
    area.year_combo.setCurrentIndex(area.year_combo.findData(2025))  # type: ignore[attr-defined]
    target = tmp_path / f"chart{tab}.{fmt}"
    QTimer.singleShot(0, lambda: _fill_dialog(qtbot, fmt, target, 1280, 720))
    window.export_chart_action.trigger()
    assert target.exists(), window.statusBar().currentMessage()
    assert f"Exported {target}" in window.statusBar().currentMessage()
    if fmt == "png":
        image = check_png(target, 1280, 720)
        assert image.text("Software").startswith("AI Capex Tracker")
        assert "Financial Times (reported)" in image.text("Sources")
        assert image.text("Currency") == "USD"
    elif fmt == "svg":
        check_svg(target, [*CHART_LABELS[tab], "Source: Financial Times (reported)"], tmp_path)
    else:
        check_pdf(target)


def test_export_is_the_same_whatever_the_window_size(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    shots = []
    for size in ((1280, 800), (900, 700)):
        window.resize(*size)
        target = tmp_path / f"w{size[0]}.png"
        QTimer.singleShot(0, lambda t=target: _fill_dialog(qtbot, "png", t, 800, 600))
        window.export_chart_action.trigger()
        shots.append(check_png(target, 800, 600))  # written, and not blank
    assert shots[0] == shots[1]


def test_copy_chart_puts_an_image_on_the_clipboard(qtbot: QtBot, window: MainWindow) -> None:
    QGuiApplication.clipboard().clear()
    chart = window.chart_area.current_chart()  # type: ignore[attr-defined]
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.hasImage()
    assert bytes(mime.data("image/svg+xml").data()).startswith(b"<?xml")
    image = QGuiApplication.clipboard().image()
    assert (image.width(), image.height()) == (1920, 1080)


def test_export_all_charts_into_a_folder(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.setattr(
        "capex_gui.app.main_window.QFileDialog.getExistingDirectory", lambda *a, **k: str(folder)
    )
    window.export_all_action.trigger()
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 4, names  # spend, suppliers, companies, trend
    assert all(n.endswith(".png") for n in names)
    assert any(n.startswith("spend-") for n in names) and any(
        n.startswith("suppliers-") for n in names
    )
    for name in names:
        check_png(folder / name, 1920, 1080)


def test_context_menu_offers_export_and_copy(window: MainWindow) -> None:
    chart = window.chart_area.current_chart()  # type: ignore[attr-defined]
    texts = [a.text() for a in chart.actions()]
    assert "&Export chart…" in texts and "Copy chart" in texts
