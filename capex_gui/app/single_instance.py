"""One running app per user: a second start hands its file to the first and exits.

The first instance listens on a local socket (``QLocalServer``) named after the user, the app id
and ``CAPEX_GUI_HOME`` (so tests and portable copies are separate). A later start connects
(``QLocalSocket``), sends one JSON line ``{"open": "/abs/path"}`` (``null``: just come forward),
waits for ``ok`` and exits. The first instance emits :attr:`SingleInstance.activated` (its window
comes forward) and, with a file, :attr:`SingleInstance.open_requested`. A socket file left by a
crashed instance refuses connections; it is removed with ``QLocalServer.removeServer`` and the
new start takes over.

macOS delivers double-clicked files as ``QFileOpenEvent``; :meth:`SingleInstance.start` also
turns those into ``open_requested``.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
from enum import Enum, auto
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

from capex_gui import APP_ID

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

logger = logging.getLogger(__name__)

#: Same variable as capex_gui.app.paths.HOME_ENV (not imported: that module loads SQLAlchemy).
HOME_ENV = "CAPEX_GUI_HOME"
#: How long a second start waits for the first to answer.
FORWARD_TIMEOUT_MS = 3000
_ACK = b"ok\n"


class Forward(Enum):
    """What happened when a start tried to hand its file to a running instance."""

    DELIVERED = auto()  # the running instance took it
    NO_SERVER = auto()  # nobody listens (no socket, or a stale one from a crash)
    NO_ANSWER = auto()  # something listens but did not acknowledge in time


def server_name() -> str:
    """The local socket name: per user, per app, per ``CAPEX_GUI_HOME``."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no LOGNAME/USER
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    home = os.environ.get(HOME_ENV, "")
    digest = hashlib.sha256(f"{user}\0{home}".encode()).hexdigest()[:16]
    return f"{APP_ID}-{digest}"


def normalize_target(target: str | None) -> str | None:
    """An absolute path (the running instance has another working folder); URLs unchanged."""
    if target is None or "://" in target:
        return target
    return os.path.abspath(os.path.expanduser(target))


class SingleInstance(QObject):
    """The app's claim to be the one running instance for this user.

    Call :meth:`start` with the file to open before opening any database: False means another
    instance took the file and this process should exit with 0.
    """

    #: A file (absolute path or URL) another start, or the OS, asked this instance to open.
    open_requested = Signal(str)
    #: Another start happened (with or without a file): the window should come forward.
    activated = Signal()

    def __init__(self, parent: QObject | None = None, *, name: str | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_new_connection)
        self._buffers: dict[QLocalSocket, QByteArray] = {}
        self._window: QWidget | None = None

    # -- second instance --------------------------------------------------------------------
    def forward(self, target: str | None, timeout_ms: int = FORWARD_TIMEOUT_MS) -> Forward:
        """Try to hand *target* to a running instance (blocking, before the event loop runs)."""
        socket = QLocalSocket(self)
        try:
            socket.connectToServer(self.name)
            if not socket.waitForConnected(timeout_ms):
                return Forward.NO_SERVER
            message = json.dumps({"open": normalize_target(target)}) + "\n"
            socket.write(QByteArray(message.encode("utf-8")))
            if not socket.waitForBytesWritten(timeout_ms):
                return Forward.NO_ANSWER
            reply = b""
            while not reply.endswith(b"\n") and socket.waitForReadyRead(timeout_ms):
                reply += bytes(socket.readAll().data())
            if reply != _ACK:
                logger.warning("the running instance did not answer (%r)", reply)
                return Forward.NO_ANSWER
            socket.disconnectFromServer()
            return Forward.DELIVERED
        finally:
            socket.abort()
            socket.deleteLater()

    def _is_alive(self, timeout_ms: int = 500) -> bool:
        """True if an instance accepts connections on our name."""
        socket = QLocalSocket(self)
        try:
            socket.connectToServer(self.name)
            return socket.waitForConnected(timeout_ms)
        finally:
            socket.abort()
            socket.deleteLater()

    # -- first instance ---------------------------------------------------------------------
    def listen(self) -> bool:
        """Start listening; replaces a socket left by a crashed instance. True on success."""
        if self._server.listen(self.name):
            return True
        in_use = self._server.serverError() == QAbstractSocket.SocketError.AddressInUseError
        # another instance may have started a moment ago; only a dead socket may be removed
        if in_use and not self._is_alive():
            logger.info("removing the stale instance socket %s", self.name)
            QLocalServer.removeServer(self.name)
            if self._server.listen(self.name):
                return True
        logger.warning("single-instance socket unavailable: %s", self._server.errorString())
        return False

    def start(self, target: str | None) -> bool:
        """Hand *target* to a running instance (then return False) or become the instance.

        Returns True when this process should go on and show its window; it then listens, and
        also receives macOS file-open events.
        """
        result = self.forward(target)
        if result is Forward.DELIVERED:
            return False
        if result is Forward.NO_ANSWER:
            logger.warning("another instance is running but does not respond; starting anyway")
            return True
        if not self.listen() and self.forward(target) is Forward.DELIVERED:
            return False  # lost a start-up race to another instance, which now has the file
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        return True

    def is_listening(self) -> bool:
        """True when this process is the instance others hand files to."""
        return self._server.isListening()

    def attach_window(self, window: QWidget) -> None:
        """Bring *window* forward whenever a file (or nothing) is handed over."""
        self._window = window
        self.activated.connect(self._raise_window)

    def close(self) -> None:
        """Stop listening (the socket file is removed) and stop watching file-open events."""
        self._server.close()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def _on_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = QByteArray()
            socket.readyRead.connect(lambda s=socket: self._on_ready_read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _on_ready_read(self, socket: QLocalSocket) -> None:
        buffer = self._buffers.get(socket)
        if buffer is None:
            return
        buffer.append(socket.readAll())
        if buffer.size() > 65536:
            socket.abort()
            return
        if not bytes(buffer.data()).endswith(b"\n"):
            return
        try:
            message = json.loads(bytes(buffer.data()).decode("utf-8"))
            target = message["open"]
            if target is not None and not isinstance(target, str):
                raise TypeError("open must be a string or null")
        except (ValueError, KeyError, TypeError) as exc:
            logger.warning("ignored a malformed message from another instance: %s", exc)
            socket.abort()
            return
        socket.write(QByteArray(_ACK))
        socket.flush()
        self.activated.emit()
        if target:
            self.open_requested.emit(target)

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def _raise_window(self) -> None:
        window = self._window
        if window is None:
            return
        window.show()
        window.setWindowState(
            (window.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive
        )
        window.raise_()
        window.activateWindow()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            target = event.file() or event.url().toString()
            if target:
                self.activated.emit()
                self.open_requested.emit(target)
                return True
        return super().eventFilter(watched, event)
