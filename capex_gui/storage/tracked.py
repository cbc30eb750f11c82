"""Knowing what other writers did: the repository's change tracking.

Every write transaction takes the write lock as it begins, logs what it changed (see
``changes.py``) and, under the same lock, reads what other writers committed since this
repository last looked. Those changes queue up (``take_changes``) in commit order, ahead of the
write's own, so a window applies everything in the order it happened: its charts' running totals
never pass through a state the database was never in.
"""

from __future__ import annotations

import uuid
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING

from capex_gui.errors import ConnectionLostError
from capex_gui.storage import changes, history
from capex_gui.storage.changes import Change, Entry, Op, Pending

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.orm import Session


class ChangeTracking:
    """Mixin over a class with ``_tx(write=...)``: logged writes, others' changes, snapshots."""

    _snapshot: Session | None
    _pending: list[Change]
    #: Tells this repository's log entries from other writers'.
    origin: str
    #: The last log entry this repository has taken into account.
    seen_seq: int
    #: The log entry of this repository's latest write (0 before the first).
    last_write_seq: int
    #: Who this repository's changes are put down to (``history.database_user``).
    user: str

    def _tx(self, *, write: bool = False) -> AbstractContextManager[Session]:
        """One transaction (the repository provides it)."""
        raise NotImplementedError

    def _start_tracking(self) -> None:
        self.origin = uuid.uuid4().hex
        self._snapshot = None
        self._pending = []
        self.last_write_seq = 0
        with self._tx() as s:
            self.seen_seq = changes.latest_seq(s)
            self.user = history.database_user(s)

    @contextmanager
    def _write(self) -> Iterator[tuple[Session, list[Entry]]]:
        """A write transaction whose changes (appended to the list) are logged as it commits."""
        log: list[Entry] = []
        try:
            with self._tx(write=True) as s:
                yield s, log
                if not log:
                    return
                others = changes.read_since(s, self.seen_seq, self.origin)
                last = changes.record(s, self.origin, log)
                history.record(s, self.user, log)
        except ConnectionLostError:
            # The connection dropped: perhaps while the server committed. Under a new origin,
            # this repository reads such a commit back as another writer's change once the
            # server is reachable, so the window shows whatever the server holds.
            self.origin = uuid.uuid4().hex
            raise
        self._take_in(others)
        self.seen_seq = self.last_write_seq = last

    # -- other writers' changes -------------------------------------------------------------
    def _take_in(self, pending: Pending) -> None:
        if pending.gap:
            self._pending.append(Change(pending.last_seq, "*", Op.RESET))
        else:
            self._pending.extend(pending.changes)
        self.seen_seq = max(self.seen_seq, pending.last_seq)

    def row_history(self, table: str, row_id: int) -> list[history.HistoryEntry]:
        """Every recorded change of one figure or FX rate, oldest first (who, when, what)."""
        with self._tx() as s:
            return history.row_history(s, table, row_id)

    def poll_changes(self) -> None:
        """Read what other writers committed since the last look (queued for take_changes)."""
        with self._tx() as s:
            pending = changes.read_since(s, self.seen_seq, self.origin)
        self._take_in(pending)

    def take_changes(self) -> list[Change]:
        """Other writers' changes not yet handed out, oldest first (a RESET: re-read all)."""
        out, self._pending = self._pending, []
        return out

    @contextmanager
    def snapshot(self) -> Iterator[int]:
        """Reads inside share one transaction; yields the log position they reflect.

        A reader that loads totals here knows which later changes they already include.
        """
        if self._snapshot is not None:
            yield changes.latest_seq(self._snapshot)
            return
        with self._tx() as s:
            self._snapshot = s
            try:
                yield changes.latest_seq(s)
            finally:
                self._snapshot = None
