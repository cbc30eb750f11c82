"""Notices other programs' commits to the open database and has the store announce them.

A QTimer on the GUI thread asks the backend's probe whether anything was committed (on SQLite,
``PRAGMA data_version`` on a connection of the watcher's own: microseconds, no query). Only
then does the store read the change log and announce the changes, which tables and charts
apply as deltas. The interval keeps a change from another window on screen within a second.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from capex_gui.errors import StorageError
from capex_gui.storage.changes import ChangeProbe, change_probe

if TYPE_CHECKING:
    from capex_gui.store.store import CapexStore

logger = logging.getLogger(__name__)

#: How often the probe is asked (ms): well inside the 2 s a change may take to show.
POLL_INTERVAL_MS = 400


class ChangeWatcher(QObject):
    """Polls for other programs' commits while it runs."""

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
        if self._probe is None:
            return
        try:
            changed = self._probe.changed()
        except StorageError:  # the file went away, the disk failed...: say so once, keep going
            if not self._failed:
                logger.warning("cannot tell whether the database changed", exc_info=True)
                self._failed = True
            return
        self._failed = False
        if changed:
            self._store.sync_external()
