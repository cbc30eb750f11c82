"""The "Export chart…" dialog: format, size presets, scale, background, title, footnote, file."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWidget,
)

from capex_gui.export.render import ExportFormat, ExportOptions

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

#: name -> (width, height, a4 page)
PRESETS: dict[str, tuple[int, int, bool]] = {
    "16:9 slide (1920 × 1080)": (1920, 1080, False),
    "4:3 slide (1600 × 1200)": (1600, 1200, False),
    "Square (1080 × 1080)": (1080, 1080, False),
    "Small (800 × 600)": (800, 600, False),
    "A4 PDF page (landscape)": (1123, 794, True),
}
CUSTOM = "Custom"

# Remembered between exports (declared once here; the QSettings object is passed in).
KEY_FOLDER = "prefs/export_folder"
KEY_FORMAT = "prefs/export_format"
KEY_WIDTH = "prefs/export_width"
KEY_HEIGHT = "prefs/export_height"
KEY_SCALE = "prefs/export_scale"
KEY_TRANSPARENT = "prefs/export_transparent"


@dataclass(frozen=True)
class ExportRequest:
    """What the user asked for: where, and how."""

    path: Path
    options: ExportOptions


def confirm_overwrite(parent: QWidget | None, path: Path) -> bool:
    """Ask before replacing a file (tests replace this function)."""
    answer = QMessageBox.question(
        parent, "Replace file?", f"{path.name} exists already in {path.parent}.\n\nReplace it?"
    )
    return answer == QMessageBox.StandardButton.Yes


class ExportDialog(QDialog):
    """Collects an ExportRequest; remembers folder, format, size, scale and background."""

    def __init__(
        self,
        settings: QSettings,
        *,
        default_name: str,
        default_title: str = "",
        footnote: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export chart")
        self.setMinimumWidth(640)  # room for the footnote and the file path
        self._settings = settings
        self.format_combo = QComboBox(self)
        self.format_combo.setObjectName("exportFormat")
        for fmt, label in (
            (ExportFormat.PNG, "PNG image"),
            (ExportFormat.SVG, "SVG (vector)"),
            (ExportFormat.PDF, "PDF (vector)"),
        ):
            self.format_combo.addItem(label, fmt.value)
        self.preset_combo = QComboBox(self)
        self.preset_combo.setObjectName("exportPreset")
        self.preset_combo.addItems([*PRESETS, CUSTOM])
        self.width_spin = QSpinBox(self)
        self.width_spin.setObjectName("exportWidth")
        self.height_spin = QSpinBox(self)
        self.height_spin.setObjectName("exportHeight")
        for spin in (self.width_spin, self.height_spin):
            spin.setRange(16, 20000)
            spin.setSuffix(" px")
            spin.setAccelerated(True)
        self.scale_spin = QDoubleSpinBox(self)
        self.scale_spin.setObjectName("exportScale")
        self.scale_spin.setRange(0.25, 8)
        self.scale_spin.setSingleStep(0.5)
        self.scale_spin.setDecimals(2)
        self.scale_spin.setSuffix(" ×")
        self.scale_spin.setToolTip("Pixels per point: 2 × gives crisp images on high-DPI screens")
        self.transparent_check = QCheckBox("Transparent background", self)
        self.transparent_check.setObjectName("exportTransparent")
        self.title_edit = QLineEdit(default_title, self)
        self.title_edit.setObjectName("exportTitle")
        self.title_edit.setPlaceholderText("Optional title above the chart")
        self.footnote_check = QCheckBox("Source footnote", self)
        self.footnote_check.setObjectName("exportFootnoteCheck")
        self.footnote_check.setChecked(True)
        self.footnote_edit = QLineEdit(footnote, self)
        self.footnote_edit.setObjectName("exportFootnote")
        self.footnote_edit.setToolTip("Built from the sources of the rows the chart draws")
        self.footnote_check.toggled.connect(self.footnote_edit.setEnabled)
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("exportPath")
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        size_row = QHBoxLayout()
        size_row.addWidget(self.width_spin)
        size_row.addWidget(QLabel("×", self))
        size_row.addWidget(self.height_spin)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("exportError")
        self.error_label.setStyleSheet("color: #d9534f")
        self.error_label.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("&Format:", self.format_combo)
        form.addRow("&Size:", self.preset_combo)
        form.addRow("", size_row)
        form.addRow("S&cale:", self.scale_spin)
        form.addRow("", self.transparent_check)
        form.addRow("&Title:", self.title_edit)
        form.addRow(self.footnote_check, self.footnote_edit)
        file_label = QLabel("F&ile:", self)
        file_label.setBuddy(self.path_edit)
        form.addRow(file_label, path_row)
        form.addRow(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self._restore(default_name)
        self.preset_combo.currentTextChanged.connect(self._apply_preset)
        self.format_combo.currentIndexChanged.connect(self._on_format_changed)
        self.width_spin.valueChanged.connect(self._sync_preset)
        self.height_spin.valueChanged.connect(self._sync_preset)
        self._on_format_changed()
        self.request: ExportRequest | None = None

    # -- state ------------------------------------------------------------------------------
    def _restore(self, default_name: str) -> None:
        s = self._settings
        fmt = str(s.value(KEY_FORMAT, "png"))
        self.format_combo.setCurrentIndex(max(0, self.format_combo.findData(fmt)))
        self.width_spin.setValue(int(s.value(KEY_WIDTH, 1920)))  # type: ignore[call-overload]
        self.height_spin.setValue(int(s.value(KEY_HEIGHT, 1080)))  # type: ignore[call-overload]
        self.scale_spin.setValue(float(s.value(KEY_SCALE, 1.0)))  # type: ignore[arg-type]
        self.transparent_check.setChecked(str(s.value(KEY_TRANSPARENT, "false")) == "true")
        folder = Path(str(s.value(KEY_FOLDER, "") or Path.home()))
        self.path_edit.setText(str(folder / f"{default_name}.{fmt}"))
        self._sync_preset()

    def _remember(self, request: ExportRequest) -> None:
        s = self._settings
        o = request.options
        s.setValue(KEY_FOLDER, str(request.path.parent))
        s.setValue(KEY_FORMAT, o.format.value)
        s.setValue(KEY_WIDTH, o.width)
        s.setValue(KEY_HEIGHT, o.height)
        s.setValue(KEY_SCALE, o.scale)
        s.setValue(KEY_TRANSPARENT, "true" if o.transparent else "false")

    # -- reactions --------------------------------------------------------------------------
    def current_format(self) -> ExportFormat:
        """The chosen format."""
        return ExportFormat(self.format_combo.currentData())

    def _on_format_changed(self) -> None:
        fmt = self.current_format()
        self.scale_spin.setEnabled(fmt is ExportFormat.PNG)
        path = Path(self.path_edit.text())
        if path.suffix.lower() in (".png", ".svg", ".pdf"):
            self.path_edit.setText(str(path.with_suffix(f".{fmt.value}")))

    def _apply_preset(self, name: str) -> None:
        if name in PRESETS:
            w, h, a4 = PRESETS[name]
            self.width_spin.blockSignals(True)
            self.height_spin.blockSignals(True)
            self.width_spin.setValue(w)
            self.height_spin.setValue(h)
            self.width_spin.blockSignals(False)
            self.height_spin.blockSignals(False)
            if a4:
                self.format_combo.setCurrentIndex(self.format_combo.findData("pdf"))

    def _sync_preset(self) -> None:
        size = (self.width_spin.value(), self.height_spin.value())
        name = next((n for n, (w, h, _a4) in PRESETS.items() if (w, h) == size), CUSTOM)
        self.preset_combo.blockSignals(True)
        self.preset_combo.setCurrentText(name)
        self.preset_combo.blockSignals(False)

    def _browse(self) -> None:
        fmt = self.current_format()
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Export chart",
            self.path_edit.text(),
            f"{fmt.value.upper()} (*.{fmt.value})",
            options=QFileDialog.Option.DontConfirmOverwrite,  # asked on Save instead
        )
        if name:
            self.path_edit.setText(name)

    def build_request(self) -> ExportRequest:
        """The request as the dialog stands (raises CapexError for bad values)."""
        fmt = self.current_format()
        path = Path(self.path_edit.text().strip()).expanduser()
        if not path.suffix:
            path = path.with_suffix(f".{fmt.value}")
        elif path.suffix.lower() != f".{fmt.value}":
            fmt = ExportFormat.from_path(path)
        a4 = (
            self.preset_combo.currentText() == "A4 PDF page (landscape)" and fmt is ExportFormat.PDF
        )
        options = ExportOptions(
            format=fmt,
            width=self.width_spin.value(),
            height=self.height_spin.value(),
            scale=self.scale_spin.value() if fmt is ExportFormat.PNG else 1.0,
            transparent=self.transparent_check.isChecked(),
            title=self.title_edit.text().strip(),
            footnote=self.footnote_edit.text().strip() if self.footnote_check.isChecked() else "",
            a4_page=a4,
        )
        return ExportRequest(path, options)

    def accept(self) -> None:
        """Validate, ask before overwriting, remember the choices."""
        from capex_gui.errors import CapexError

        try:
            request = self.build_request()
        except CapexError as exc:
            self.error_label.setText(str(exc))
            return
        if not str(self.path_edit.text()).strip():
            self.error_label.setText("Choose a file to write")
            return
        if not request.path.parent.is_dir():
            self.error_label.setText(f"The folder {request.path.parent} does not exist")
            return
        if request.path.exists() and not confirm_overwrite(self, request.path):
            return
        self.request = request
        self._remember(request)
        super().accept()

    def with_metadata(self, metadata: dict[str, str]) -> ExportRequest:
        """The accepted request with the chart's metadata attached."""
        assert self.request is not None
        return replace(self.request, options=replace(self.request.options, metadata=metadata))
