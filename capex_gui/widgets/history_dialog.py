"""A row's history: every change, who made it and when, newest first (Edit → Row history…)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from capex_gui.domain.parsing import format_amount
from capex_gui.domain.periods import Period
from capex_gui.errors import field_label
from capex_gui.storage.changes import Op

if TYPE_CHECKING:
    from capex_gui.storage.history import HistoryEntry

COLUMNS = ("When", "Who", "What")


def shown(value: object) -> str:
    """A value as the tables show it."""
    if value is None or value == "":
        return "empty"
    if isinstance(value, Decimal):
        return format_amount(value, compact=True)
    if isinstance(value, Period):
        return value.label
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "value", value))


def describe(entry: HistoryEntry) -> str:
    """What one change did, in words."""
    if entry.op is Op.INSERT:
        return "Added the row"
    if entry.op is Op.DELETE:
        return "Deleted the row"
    parts = [
        f"{field_label(name)}: {shown(old)} → {shown(new)}" for name, old, new in entry.changes()
    ]
    return "; ".join(parts) if parts else "Saved without a change of value"


class HistoryDialog(QDialog):
    """Lists the changes of one row, newest first."""

    def __init__(self, title: str, entries: list[HistoryEntry], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle("Row history")
        intro = QLabel(
            f"Changes of <b>{title}</b>, newest first. Changes from before the app kept "
            "history, and rows added by an import, are not listed.",
            self,
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(entries), len(COLUMNS), self)
        self.table.setObjectName("historyTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        for row, entry in enumerate(reversed(entries)):
            when = entry.changed_at.astimezone().strftime("%d %b %Y %H:%M:%S")
            for col, text in enumerate((when, entry.changed_by, describe(entry))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self.empty = QLabel("No changes of this row are recorded.", self)
        self.empty.setVisible(not entries)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.resize(760, 360)
