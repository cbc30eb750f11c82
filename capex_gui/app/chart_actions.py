"""Chart work of the main window: install the charts, export them, copy them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from capex_gui.errors import CapexError

if TYPE_CHECKING:
    from capex_gui.app.main_window import MainWindow
    from capex_gui.export.chart_export import ChartKind, ChartSelection
    from capex_gui.widgets.charts.chart_area import ChartArea


class ChartActions(QObject):
    """The chart area beside the tables and the export/copy actions on it."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._busy_shown = ""  # the status-bar message saying what loads, while it shows

    def install_chart_area(self) -> None:
        """Put the charts beside the tables (imported here: pyqtgraph loads after first paint)."""
        window = self._window
        if window.store is None:
            return
        from capex_gui.widgets.charts.chart_area import ChartArea

        window.store.runner.busy_changed.connect(self._show_busy)  # before the first load
        area = ChartArea(window.store, window.settings, window)
        area.setObjectName("chartArea")
        area.filter_requested.connect(window.apply_chart_filter)
        self._report_first_drawing(area)
        old = window.chart_area
        window.splitter.replaceWidget(window.splitter.indexOf(old), area)
        old.deleteLater()
        window.chart_area = area
        area.setVisible(window.show_charts_action.isChecked())
        # right-click a chart to export or copy it; Ctrl+C copies it while a chart has focus
        chart_copy = QAction("Copy chart", area)
        chart_copy.setShortcut(QKeySequence.StandardKey.Copy)
        chart_copy.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        chart_copy.triggered.connect(self.copy_chart)
        area.addAction(chart_copy)
        for chart in area.charts():
            chart.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            chart.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            chart.addActions([window.export_chart_action, chart_copy, window.export_all_action])
        exports = (window.export_chart_action, window.export_all_action, window.copy_chart_action)
        for action in exports:  # once the figures are there to export
            action.setEnabled(area.data.loaded)

        def enable_exports() -> None:
            for action in exports:
                action.setEnabled(True)

        area.data.loaded_changed.connect(enable_exports)

    def _show_busy(self, what: str) -> None:
        """Say in the status bar what is loading in the background ("Loading the charts…")."""
        bar = self._window.statusBar()
        if what:
            bar.showMessage(what)
        elif bar.currentMessage() == self._busy_shown:
            bar.clearMessage()
        self._busy_shown = what

    def _report_first_drawing(self, area: ChartArea) -> None:
        """Emit the window's ``charts_drawn`` once the chart on show has drawn loaded figures."""
        window = self._window
        chart = area.current_chart()

        def drawn() -> None:
            if getattr(area.data, "loaded", True):
                chart.redrawn.disconnect(drawn)
                window.charts_drawn.emit()

        chart.redrawn.connect(drawn)

    def chart_selection(self, kind: ChartKind | None = None) -> ChartSelection:
        """What the chart on show (or the chart of *kind*) draws: every selector it uses."""
        from capex_gui.widgets.charts.chart_area import ChartArea

        area = self._window.chart_area
        assert isinstance(area, ChartArea)
        return area.selection(kind)

    def export_chart_dialog(self) -> None:
        """Ask how and where, then export the chart on show."""
        from capex_gui.export.chart_export import (
            build_chart,
            chart_facts,
            default_file_name,
            export_selection,
            footnote_for,
        )
        from capex_gui.export.dialog import ExportDialog
        from capex_gui.widgets.charts.chart_area import ChartArea

        window = self._window
        area = window.chart_area
        if not isinstance(area, ChartArea):
            return
        selection = self.chart_selection()
        preview = build_chart(area.data, selection)
        facts = chart_facts(preview, area.data)
        preview.deleteLater()
        dialog = ExportDialog(
            window.settings,
            default_name=default_file_name(selection),
            default_title="",
            footnote=footnote_for(facts),
            parent=window,
        )
        dialog.title_edit.setPlaceholderText(facts.title)
        if not window.run_dialog(dialog) or dialog.request is None:
            return
        request = dialog.request
        try:
            written = export_selection(area.data, selection, request.path, request.options)
        except CapexError as exc:
            QMessageBox.warning(window, "Export chart", f"The chart was not exported.\n\n{exc}")
            return
        window.statusBar().showMessage(f"Exported {written}", 8000)

    def export_all_charts(self) -> None:
        """Write every chart into a chosen folder with the last export's format and size."""
        from capex_gui.export.chart_export import (
            ChartKind,
            build_chart,
            chart_facts,
            default_file_name,
            export_selection,
            footnote_for,
        )
        from capex_gui.export.dialog import (
            KEY_FOLDER,
            KEY_FORMAT,
            KEY_HEIGHT,
            KEY_WIDTH,
            confirm_overwrite,
        )
        from capex_gui.export.render import ExportFormat, ExportOptions
        from capex_gui.widgets.charts.chart_area import ChartArea

        window = self._window
        area = window.chart_area
        if not isinstance(area, ChartArea):
            return
        settings = window.settings
        start = str(settings.value(KEY_FOLDER, "") or window.files.last_folder())
        folder = QFileDialog.getExistingDirectory(window, "Export all charts into", start)
        if not folder:
            return
        fmt = ExportFormat(str(settings.value(KEY_FORMAT, "png")))
        width = int(settings.value(KEY_WIDTH, 1920))  # type: ignore[call-overload]
        height = int(settings.value(KEY_HEIGHT, 1080))  # type: ignore[call-overload]
        kinds = list(ChartKind)
        progress = QProgressDialog("Exporting charts…", "Cancel", 0, len(kinds), window)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        written: list[str] = []
        problems: list[str] = []
        for i, kind in enumerate(kinds):
            if progress.wasCanceled():
                break
            progress.setValue(i)
            selection = self.chart_selection(kind)
            path = Path(folder) / f"{default_file_name(selection)}.{fmt.value}"
            if path.exists() and not confirm_overwrite(window, path):
                continue
            chart = build_chart(area.data, selection)
            options = ExportOptions(
                fmt, width, height, footnote=footnote_for(chart_facts(chart, area.data))
            )
            chart.deleteLater()
            try:
                export_selection(area.data, selection, path, options)
                written.append(path.name)
            except CapexError as exc:
                problems.append(f"{kind.label}: {exc}")
        progress.setValue(len(kinds))
        settings.setValue(KEY_FOLDER, folder)
        message = f"Exported {len(written)} chart{'s' if len(written) != 1 else ''} to {folder}"
        window.statusBar().showMessage(message, 10000)
        if problems:
            QMessageBox.warning(window, "Export all charts", "\n".join(problems))

    def copy_chart(self) -> None:
        """Put the chart on show on the clipboard (PNG and SVG)."""
        from capex_gui.export.chart_export import (
            build_chart,
            chart_facts,
            copy_selection,
            footnote_for,
        )
        from capex_gui.export.render import ExportOptions
        from capex_gui.widgets.charts.chart_area import ChartArea

        window = self._window
        area = window.chart_area
        if not isinstance(area, ChartArea):
            return
        selection = self.chart_selection()
        chart = build_chart(area.data, selection)
        options = ExportOptions(footnote=footnote_for(chart_facts(chart, area.data)))
        chart.deleteLater()
        copy_selection(area.data, selection, options)
        window.statusBar().showMessage("Copied the chart (PNG and SVG)", 4000)
