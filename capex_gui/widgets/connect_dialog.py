"""File → Connect to server…: where the team's database is, who you are, and your password.

The dialog stays open until a connection works: a wrong password, an unknown database or an
unreachable server is said in one sentence under the fields, and nothing typed is lost. The
password is kept only if the user ticks "Remember", and then only in the system keyring (the
caller does that); where there is no keyring, the box is off and says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from capex_gui.storage.postgresql import TLS_MODES, ServerDetails

if TYPE_CHECKING:
    from collections.abc import Callable


class ConnectDialog(QDialog):
    """Asks for a server's details and password; accepted once a connection worked."""

    def __init__(
        self,
        details: ServerDetails,
        attempt: Callable[[ServerDetails, str, bool], str | None],
        *,
        keyring_available: bool,
        remember: bool = False,
        message: str = "",
        prompt: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("connectDialog")
        self.setWindowTitle("Connect to server")
        self._attempt = attempt
        self.intro = QLabel(
            prompt
            or "Open your team's shared database on a PostgreSQL server. Ask whoever runs the "
            "server for these details; the first connection sets the database up.",
            self,
        )
        self.intro.setObjectName("connectIntro")
        self.intro.setWordWrap(True)

        self.host = QLineEdit(details.host, self)
        self.host.setObjectName("hostEdit")
        self.host.setPlaceholderText("db.example.org")
        self.host.setToolTip("The server's host name or IP address")
        self.port = QSpinBox(self)
        self.port.setObjectName("portSpin")
        self.port.setRange(1, 65535)
        self.port.setValue(details.port)
        self.port.setToolTip("The port PostgreSQL listens on (5432 unless told otherwise)")
        self.database = QLineEdit(details.database, self)
        self.database.setObjectName("databaseEdit")
        self.database.setPlaceholderText("capex")
        self.database.setToolTip("The name of the team's database on the server")
        self.user = QLineEdit(details.user, self)
        self.user.setObjectName("userEdit")
        self.user.setToolTip("Your user name on the database server")
        self.password = QLineEdit(self)
        self.password.setObjectName("passwordEdit")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setToolTip("Your database password (never stored in the settings)")
        self.remember = QCheckBox(
            "&Remember the password in the system keyring"
            if keyring_available
            else "&Remember the password (no system keyring was found)",
            self,
        )
        self.remember.setObjectName("rememberCheck")
        self.remember.setChecked(remember and keyring_available)
        self.remember.setEnabled(keyring_available)
        self.remember.setToolTip(
            "Keep the password in your system's keyring, so you are not asked again"
            if keyring_available
            else "No system keyring was found, so the password is asked for each time"
        )
        self.tls = QComboBox(self)
        self.tls.setObjectName("tlsCombo")
        for i, (mode, meaning) in enumerate(TLS_MODES.items()):
            self.tls.addItem(mode, mode)
            self.tls.setItemData(i, meaning, Qt.ItemDataRole.ToolTipRole)
        self.tls.setCurrentIndex(max(0, self.tls.findData(details.tls_mode)))
        self.tls.setToolTip("How the connection is encrypted (TLS). " + _tls_help())

        form = QFormLayout()
        for text, field in (
            ("&Host:", self.host),
            ("P&ort:", self.port),
            ("&Database:", self.database),
            ("&User:", self.user),
            ("&Password:", self.password),
            ("", self.remember),
            ("&TLS:", self.tls),
        ):
            form.addRow(text, field)

        self.error = QLabel(message, self)
        self.error.setObjectName("connectError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: palette(bright-text); background: #b3261e; padding: 4px;")
        self.error.setVisible(bool(message))

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Connect")
        self.buttons.accepted.connect(self._try)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        first_empty = next(
            (w for w in (self.host, self.database, self.user, self.password) if not w.text()),
            self.password,
        )
        first_empty.setFocus()

    def details(self) -> ServerDetails:
        """What the fields say."""
        return ServerDetails(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
            tls_mode=str(self.tls.currentData()),
        )

    def show_error(self, message: str) -> None:
        """Say why the connection did not work (the fields keep what was typed)."""
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def _try(self) -> None:
        details = self.details()
        problem = details.problem()
        if problem is None:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                problem = self._attempt(details, self.password.text(), self.remember.isChecked())
            finally:
                QGuiApplication.restoreOverrideCursor()
        if problem is None:
            self.accept()
            return
        self.show_error(problem)
        if "password" in problem.lower():
            self.password.setFocus()
            self.password.selectAll()


def password_prompt(details: ServerDetails) -> str:
    """The dialog's first line when a server asked for a password the app does not have."""
    return (
        f"The server {details.host} asks for the password of {details.user} "
        f"for the database {details.database}."
    )


def refused_password_message(error: str) -> str:
    """What to show under the fields for a PasswordRequiredError's text ('' when the password
    was merely missing: the prompt says what to do)."""
    if "not accepted" in error:
        return "The server did not accept the password it was given; enter it again."
    return ""


def _tls_help() -> str:
    return "prefer encrypts when the server can; require and stronger always encrypt."
