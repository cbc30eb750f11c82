"""The Checks panel: every reconciliation finding, its rows one click away, exportable as CSV."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from capex_gui.domain.checks import Finding, RowRef, Severity

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtGui import QShowEvent

    from capex_gui.store.checks_model import ChecksModel

AnyIndex = QModelIndex | QPersistentModelIndex

_SEVERITY_TEXT = {Severity.HARD: "✖ inconsistent", Severity.NOTE: "● note", Severity.OK: "✔ ok"}
_SEVERITY_COLOUR = {
    Severity.HARD: QColor("#b3261e"),
    Severity.NOTE: QColor("#8a5a00"),
    Severity.OK: QColor("#2e7d32"),
}
_TABLE_NAMES = {
    "investments": "investment",
    "chip_orders": "chip order",
    "fx_rates": "FX rate",
    "headlines": "headline",
    "stated_shares": "stated share",
}
HEADERS = ("Result", "Check", "What it found", "Rows")


def rows_count_text(rows: tuple[RowRef, ...]) -> str:
    """ "2 investments, 1 FX rate" (what the table shows; a click selects them)."""
    counts: dict[str, int] = {}
    for ref in rows:
        counts[ref.table] = counts.get(ref.table, 0) + 1
    return ", ".join(
        f"{n} {_TABLE_NAMES.get(t, t)}{'s' if n != 1 else ''}" for t, n in counts.items()
    )


def rows_text(rows: tuple[RowRef, ...]) -> str:
    """ "investment #1, #2; headline #1" (ids, as the database and ``check`` name them)."""
    grouped: dict[str, list[int]] = {}
    for ref in rows:
        grouped.setdefault(ref.table, []).append(ref.id)
    return "; ".join(
        f"{_TABLE_NAMES.get(t, t)} " + ", ".join(f"#{i}" for i in ids) for t, ids in grouped.items()
    )


class FindingsTableModel(QAbstractTableModel):
    """Findings as rows: result, check, message and the rows named."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._findings: list[Finding] = []

    def set_findings(self, findings: list[Finding]) -> None:
        """Show *findings* (a reset: the list is short and recomputed as a whole)."""
        self.beginResetModel()
        self._findings = list(findings)
        self.endResetModel()

    def finding(self, row: int) -> Finding:
        """The finding in *row*."""
        return self._findings[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._findings)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        f = self._findings[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (_SEVERITY_TEXT[f.severity], f.check.value, f.message, rows_count_text(f.rows))[
                col
            ]
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 3:
                return f"Row ids: {rows_text(f.rows)}. Click to select them in the tables."
            return f.message
        if role == Qt.ItemDataRole.ForegroundRole and col == 0:
            return QBrush(_SEVERITY_COLOUR[f.severity])
        return None


class ChecksPanel(QWidget):
    """The findings of a ChecksModel; clicking one asks for its rows to be selected."""

    #: The user picked a finding: select these rows in the tables.
    rows_requested = Signal(object)
    #: A message for the status bar.
    message_shown = Signal(str)

    def __init__(self, checks: ChecksModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checksPanel")
        self._checks = checks
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("checksSummary")
        self.export_button = QPushButton("Export C&SV…", self)
        self.export_button.setToolTip("Save the findings as a CSV file")
        self.export_button.clicked.connect(self.export_dialog)
        self.run_button = QPushButton("&Run checks", self)
        self.run_button.setToolTip(
            "Read every figure and run the checks (on a large file this takes a while and memory)"
        )
        self.run_button.clicked.connect(checks.run_now)
        self.model = FindingsTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("checksTable")
        self.table.setAccessibleName("Checks")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 110), (1, 190), (3, 200)):
            self.table.setColumnWidth(col, width)
        self.table.clicked.connect(self._on_activated)
        self.table.activated.connect(self._on_activated)
        top = QHBoxLayout()
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.run_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self._pending: list[Finding] | None = None  # findings not shown yet (panel hidden)
        checks.findings_changed.connect(self._on_findings)
        self._on_findings(checks.findings)

    def _on_findings(self, findings: list[Finding]) -> None:
        if self.isVisible():
            self._show_rows(findings)
        else:  # laying out thousands of wrapped rows nobody sees: when the panel is shown
            self._pending = findings
        hard = sum(1 for f in findings if f.severity is Severity.HARD)
        notes = sum(1 for f in findings if f.severity is Severity.NOTE)
        ok = len(findings) - hard - notes
        self.run_button.setVisible(bool(self._checks.deferred_rows))
        self.summary_label.setWordWrap(True)
        if self._checks.deferred_rows:
            self.summary_label.setText(
                f"Not checked: this file has {self._checks.deferred_rows:,} figures, and the "
                "checks hold every one in memory, so they run only when you ask."
            )
        elif not self._checks.ready:
            self.summary_label.setText("Running the checks…")
        elif not findings:
            self.summary_label.setText("Nothing to check yet: add figures, totals or shares.")
        else:
            self.summary_label.setText(
                f"{hard} inconsistenc{'y' if hard == 1 else 'ies'}, {notes} note"
                f"{'' if notes == 1 else 's'}, {ok} consistent"
            )
        self.export_button.setEnabled(bool(findings))

    def _show_rows(self, findings: list[Finding]) -> None:
        self._pending = None
        self.model.set_findings(findings)
        self.table.resizeRowsToContents()

    def showEvent(self, event: QShowEvent) -> None:
        """Show the findings that arrived while the panel was hidden (Qt hook)."""
        if self._pending is not None:
            self._show_rows(self._pending)
        super().showEvent(event)

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.rows_requested.emit(self.model.finding(index.row()).rows)

    def export_dialog(self) -> None:
        """Ask for a file and write the findings to it."""
        from pathlib import Path

        name, _filter = QFileDialog.getSaveFileName(
            self, "Export checks", "checks.csv", "CSV files (*.csv)"
        )
        if name:
            path = Path(name)
            try:
                write_csv(self._checks.findings, path)
            except OSError as exc:
                self.message_shown.emit(f"Could not write {path}: {exc.strerror}")
                return
            self.message_shown.emit(f"Wrote {len(self._checks.findings)} checks to {path}")


def write_csv(findings: list[Finding], path: Path) -> None:
    """The findings as CSV (UTF-8 with BOM, so spreadsheets read ¥ and ≈ right)."""
    with path.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(["result", "check", "message", "rows"])
        for f in findings:
            writer.writerow(
                [f.severity.value, f.check.value, _safe(f.message), _safe(rows_text(f.rows))]
            )


def _safe(text: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class ChecksBadge(QToolButton):
    """The status bar's count of findings that need a look; a click shows the panel."""

    def __init__(self, checks: ChecksModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checksBadge")
        self.setAutoRaise(True)
        self.setToolTip("Reconciliation checks (View → Checks)")
        self._checks = checks
        checks.findings_changed.connect(self.update_count)
        self.update_count(checks.findings)

    def update_count(self, findings: list[Finding]) -> None:
        """Show how many findings are inconsistencies or notes."""
        hard = sum(1 for f in findings if f.severity is Severity.HARD)
        notes = sum(1 for f in findings if f.severity is Severity.NOTE)
        n = hard + notes
        if self._checks.deferred_rows:  # too large to check by itself: the panel can run them
            self.setText("Checks off")
            self.setStyleSheet("")
            self.setAccessibleName("Checks are off for this large file")
            self.setToolTip(
                f"Not checked: {self._checks.deferred_rows:,} figures. Click to open the checks "
                "and run them."
            )
            return
        self.setToolTip("Reconciliation checks (View → Checks)")
        if not self._checks.ready:  # the first run is on its way (a large file)
            self.setText("… Checks")
            self.setStyleSheet("")
            self.setAccessibleName("Checks are running")
            return
        if n == 0:
            self.setText("✔ Checks")
            self.setStyleSheet("")
        else:
            self.setText(f"{'✖' if hard else '●'} {n} check{'s' if n != 1 else ''}")
            colour = "#b3261e" if hard else "#8a5a00"
            self.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.setAccessibleName(f"{hard} inconsistencies and {notes} notes")
