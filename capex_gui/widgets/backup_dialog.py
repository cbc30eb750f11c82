"""File → Restore from backup…: the backups of the open file, with dates and row counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from capex_gui.storage.backup import BackupInfo, latest_backup

if TYPE_CHECKING:
    from pathlib import Path

COLUMNS = ("Taken", "Investments", "Chip orders", "Note")


def describe_backup(info: BackupInfo) -> str:
    """ "29 Nov 2026 12:05 (3 investments, 4 chip orders)"."""
    when = info.taken.strftime("%d %b %Y %H:%M")
    if not info.readable:
        return f"{when} (cannot be read)"
    return f"{when} ({info.investments:,} investments, {info.chip_orders:,} chip orders)"


class RestoreBackupDialog(QDialog):
    """Lists backups newest first; the user picks one to restore."""

    def __init__(self, backups: list[BackupInfo], label: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("restoreBackupDialog")
        self.setWindowTitle("Restore from backup")
        self._backups = backups
        intro = QLabel(
            f"Backups of <b>{_escape(label)}</b>, newest first. The app takes one each day "
            "you open the file. Restoring replaces the file with the copy you choose; the "
            "current file is backed up first, so a restore can be undone.",
            self,
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(backups), len(COLUMNS), self)
        self.table.setObjectName("backupTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, info in enumerate(backups):
            cells = (
                info.taken.strftime("%d %b %Y  %H:%M:%S"),
                "—" if info.investments is None else f"{info.investments:,}",
                "—" if info.chip_orders is None else f"{info.chip_orders:,}",
                info.note if info.readable else "cannot be read",
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col in (1, 2):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if not info.readable:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                item.setToolTip(str(info.path))
                self.table.setItem(row, col, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.empty = QLabel("No backups of this file yet.", self)
        self.empty.setVisible(not backups)
        self.buttons = QDialogButtonBox(self)
        self.restore_button = self.buttons.addButton(
            "&Restore", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addWidget(self.buttons)
        self.table.itemSelectionChanged.connect(self._update_button)
        self.table.doubleClicked.connect(lambda _i: self.restore_button.click())
        first = next((i for i, b in enumerate(backups) if b.readable), None)
        if first is not None:
            self.table.selectRow(first)
        self._update_button()
        self.resize(560, 360)

    def selected_backup(self) -> BackupInfo | None:
        """The backup chosen (None when none is selected)."""
        rows = {i.row() for i in self.table.selectedIndexes()}
        return self._backups[rows.pop()] if len(rows) == 1 else None

    def _update_button(self) -> None:
        self.restore_button.setEnabled(self.selected_backup() is not None)


def confirm_restore(parent: QWidget | None, info: BackupInfo, label: str) -> bool:
    """Ask before the file is replaced (tests replace this function)."""
    answer = QMessageBox.question(
        parent,
        "Restore from backup",
        f"Replace {label} with the backup taken {describe_backup(info)}?\n\n"
        "The current file is backed up first, so you can undo this by restoring that copy.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def offer_latest_backup(parent: QWidget | None, message: str, folder: Path) -> BackupInfo | None:
    """Tell the user a file is damaged; when a backup exists, offer to restore the newest.

    Returns the backup to restore (None: the user declined, or there is none).
    """
    latest = latest_backup(folder)
    if latest is None:
        QMessageBox.warning(
            parent, "Damaged database", f"{message}.\n\nThere is no backup of this file to restore."
        )
        return None
    answer = QMessageBox.question(
        parent,
        "Damaged database",
        f"{message}.\n\nRestore the latest backup, taken {describe_backup(latest)}? "
        "The damaged file is kept beside the backups.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Yes,
    )
    return latest if answer == QMessageBox.StandardButton.Yes else None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
