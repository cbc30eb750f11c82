"""The export dialog, driven by keyboard and clicks; it remembers choices and asks before overwriting."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from capex_gui.export.dialog import ExportDialog
from capex_gui.export.render import ExportFormat


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)


def _dialog(qtbot: QtBot, settings: QSettings) -> ExportDialog:
    dialog = ExportDialog(
        settings, default_name="spend", default_title="Spend", footnote="Source: FT."
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_choices_make_the_request_and_are_remembered(
    qtbot: QtBot, settings: QSettings, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, settings)
    assert (dialog.width_spin.value(), dialog.height_spin.value()) == (1920, 1080)
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("svg"))
    dialog.preset_combo.setCurrentText("Small (800 × 600)")
    dialog.path_edit.setText(str(tmp_path / "out.svg"))
    dialog.title_edit.selectAll()
    qtbot.keyClicks(dialog.title_edit, "ByteDance spend")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    request = dialog.request
    assert request is not None
    assert request.path == tmp_path / "out.svg"
    o = request.options
    assert (o.format, o.width, o.height, o.title, o.footnote) == (
        ExportFormat.SVG,
        800,
        600,
        "ByteDance spend",
        "Source: FT.",
    )
    again = _dialog(qtbot, settings)
    assert again.current_format() is ExportFormat.SVG
    assert (again.width_spin.value(), again.height_spin.value()) == (800, 600)
    assert Path(again.path_edit.text()).parent == tmp_path


def test_overwrite_asks_first(
    qtbot: QtBot, settings: QSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing = tmp_path / "c.png"
    existing.write_bytes(b"old")
    answers: list[Path] = []

    def say_no(_parent: object, path: Path) -> bool:
        answers.append(path)
        return False

    monkeypatch.setattr("capex_gui.export.dialog.confirm_overwrite", say_no)
    dialog = _dialog(qtbot, settings)
    dialog.path_edit.setText(str(existing))
    dialog.accept()
    assert answers == [existing]
    assert dialog.request is None and dialog.isVisible()


def test_a4_preset_switches_to_pdf_and_bad_folder_is_refused(
    qtbot: QtBot, settings: QSettings, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, settings)
    dialog.preset_combo.setCurrentText("A4 PDF page (landscape)")
    assert dialog.current_format() is ExportFormat.PDF
    dialog.path_edit.setText(str(tmp_path / "missing" / "c.pdf"))
    dialog.accept()
    assert dialog.request is None
    assert "does not exist" in dialog.error_label.text()
    dialog.path_edit.setText(str(tmp_path / "c.pdf"))
    dialog.accept()
    assert dialog.request is not None and dialog.request.options.a4_page
