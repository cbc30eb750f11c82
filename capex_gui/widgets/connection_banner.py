"""The strip above the tables that says the database server cannot be reached right now."""

from __future__ import annotations

from PySide6.QtWidgets import QStyle, QWidget

from capex_gui.widgets.notice_banner import NoticeBanner


class ConnectionBanner(NoticeBanner):
    """Red ("not working") while the server is away; hidden once it is back."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "connection",
            "Connection notice",
            icon=QStyle.StandardPixmap.SP_MessageBoxCritical,
            light=("#fde7e4", "#5f1410"),
            dark=("#8c1d18", "#ffffff"),
            parent=parent,
        )

    def show_lost(self, reason: str) -> None:
        """Say that the server cannot be reached, and what that means for the user's work."""
        self.text.setText(
            "<b>No connection to the database server.</b> Trying again every few seconds. "
            "Until it is back, changes are refused (nothing is pretended saved); every change "
            "you saw saved is on the server."
        )
        self.setToolTip(reason)
        self.show()
