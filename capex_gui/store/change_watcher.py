"""Notices other programs' commits to the open database and has the store announce them.

A QTimer on the GUI thread asks the backend's probe whether anything was committed (on SQLite,
``PRAGMA data_version`` on a connection of the watcher's own: microseconds, no query). Only
then does the store read the change log and announce the changes, which tables and charts
apply as deltas. The interval keeps a change from another window on screen within a second.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from capex_gui.errors import StorageError
from capex_gui.storage.changes import ChangeProbe, change_probe

if TYPE_CHECKING:
    from capex_gui.store.store import CapexStore

logger = logging.getLogger(__name__)

#: How often the probe is asked (ms): well inside the 2 s a change may take to show.
POLL_INTERVAL_MS = 400

#: After the database could not be reached, the pauses before the next tries (seconds): short
#: at first (a server restarting), then every few seconds.
RETRY_PAUSES_S = (0.5, 1.0, 2.0, 4.0)


class ChangeWatcher(QObject):
    """Polls for other programs' commits while it runs."""

    #: The database cannot be reached (a server away, a dropped network): the reason.
    connection_lost = Signal(str)
    #: It can be reached again (after connection_lost).
    connection_restored = Signal()

    def __init__(
        self,
        store: CapexStore,
        parent: QObject | None = None,
        *,
        interval_ms: int = POLL_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._probe: ChangeProbe | None = change_probe(store.repo.engine)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._failed = False
        self._failures = 0
        self._next_try = 0.0

    def start(self) -> None:
        """Begin polling."""
        self._timer.start()

    def stop(self) -> None:
        """Stop polling and release the probe's connection."""
        self._timer.stop()
        if self._probe is not None:
            self._probe.close()
            self._probe = None

    def check(self) -> None:
        """Announce other programs' changes, if the probe saw a commit."""
        if self._probe is None or time.monotonic() < self._next_try:
            return
        try:
            changed = self._probe.changed()
        except StorageError as exc:  # the file went away, the server is away...: say so once
            pause = RETRY_PAUSES_S[min(self._failures, len(RETRY_PAUSES_S) - 1)]
            self._failures += 1
            self._next_try = time.monotonic() + pause
            if not self._failed:
                logger.warning("cannot tell whether the database changed", exc_info=True)
                self._failed = True
                self.connection_lost.emit(str(exc))
            return
        if self._failed:
            self._failed = False
            self._failures = 0
            self.connection_restored.emit()
        if changed:
            self._store.sync_external()
