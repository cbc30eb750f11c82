"""The strip above the tables that says the open file is read-only, and why."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyle, QWidget

from capex_gui.widgets.notice_banner import NoticeBanner


class ReadOnlyBanner(NoticeBanner):
    """Amber ("take care"): edits to this file are not saved. Hidden when writable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "readOnly",
            "Read-only notice",
            icon=QStyle.StandardPixmap.SP_MessageBoxWarning,
            light=("#fff4ce", "#3d2f00"),
            dark=(Qt.GlobalColor.darkYellow, "#ffffff"),
            parent=parent,
        )

    def show_reason(self, reason: str | None) -> None:
        """Show the banner with *reason* ("you may not write to this file"); None hides it."""
        if reason is None:
            self.hide()
            return
        self.text.setText(
            f"<b>Read-only:</b> {reason}, so changes cannot be saved. "
            "Use <i>File → Save a copy as…</i> to work on a copy you may edit."
        )
        self.setToolTip(f"This database was opened read-only because {reason}.")
        self.show()
