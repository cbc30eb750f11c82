"""Reads off the GUI thread: jobs on a QThreadPool, each in its own connection and transaction.

A job is a plain function of a Session (a storage read: the charts' ledgers, a table's rows in
order, the checks' facts). ``Runner.submit`` runs it on a pool thread inside its own read
transaction (the engine's pool gives each thread its own connection; no Session or connection
is ever shared between threads) and hands the result to the GUI thread by a queued signal.
A newer job for the same purpose supersedes an older one (``cancel``): its result is dropped and
its query interrupted. ``busy_changed`` says what is running, for a progress indication.

Tests swap in :class:`SyncRunner` (``use_threads(False)``), which runs each job at once.
"""

from __future__ import annotations

import gc
import itertools
import logging
import sqlite3
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from capex_gui.errors import StorageError
from capex_gui.storage.transactions import transaction

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Threads reading at once (the machine this runs on may have two cores).
MAX_THREADS = 2

_threads = True


def use_threads(enabled: bool) -> None:
    """Make new runners run jobs on threads (the app) or at once (tests)."""
    global _threads
    _threads = enabled


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = True


@contextmanager
def gc_paused() -> Iterator[None]:
    """No automatic garbage collection inside (a bulk read on a worker thread).

    Reading hundreds of thousands of rows into objects triggers full collections that scan the
    whole heap while holding the GIL: the GUI thread froze for 0.1-0.5 s each at 100,000 rows.
    Nested and concurrent pauses are counted; collection resumes when the last one ends.
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def make_runner(
    engine: Engine, parent: QObject | None = None, *, threads: int = MAX_THREADS
) -> Runner:
    """A threaded runner (with up to *threads* threads), or a synchronous one when threads are
    switched off (tests)."""
    return Runner(engine, parent, threads=threads) if _threads else SyncRunner(engine, parent)


class _Relay(QObject):
    """Lives in the GUI thread; a worker emits, the GUI thread receives (queued)."""

    finished = Signal(int, object, object)  # ticket, result, error


class _Job(QRunnable):
    def __init__(self, runner: Runner, ticket: int, work: Callable[[Session], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._runner = runner
        self._ticket = ticket
        self._work = work

    def run(self) -> None:
        """Run on a pool thread (Qt hook)."""
        result: Any = None
        error: BaseException | None = None
        try:
            if not self._runner.is_cancelled(self._ticket):
                with transaction(self._runner.engine) as session:
                    self._runner.started(self._ticket, session)
                    result = self._work(session)
        except BaseException as exc:  # delivered to the GUI thread, where it is handled
            error = exc
        finally:
            self._runner.ended(self._ticket)
        self._runner.relay.finished.emit(self._ticket, result, error)


class Runner(QObject):
    """Runs read jobs on a thread pool; results come back to the GUI thread by signal."""

    #: What is running ("Loading the charts…"), or "" when nothing is.
    busy_changed = Signal(str)

    def __init__(
        self, engine: Engine, parent: QObject | None = None, *, threads: int = MAX_THREADS
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self.relay = _Relay(self)
        self.relay.finished.connect(self._on_finished)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._tickets = itertools.count(1)
        self._pending: dict[int, tuple[str, Callable[[Any], None], Callable[[Exception], None]]]
        self._pending = {}
        self._lock = threading.Lock()
        self._cancelled: set[int] = set()
        self._connections: dict[int, sqlite3.Connection] = {}

    # -- the GUI thread's side --------------------------------------------------------------
    def submit(
        self,
        label: str,
        work: Callable[[Session], T],
        done: Callable[[T], None],
        failed: Callable[[Exception], None] | None = None,
    ) -> int:
        """Run *work* off the GUI thread; *done* gets its result on the GUI thread (*failed* a
        StorageError). Returns a ticket for ``cancel``."""
        ticket = next(self._tickets)
        self._pending[ticket] = (label, done, failed or _log_failure)
        self._start(ticket, work)
        self._announce()
        return ticket

    def _start(self, ticket: int, work: Callable[[Session], Any]) -> None:
        self._pool.start(_Job(self, ticket, work))

    def cancel(self, ticket: int | None) -> None:
        """Drop a job's result; stop its query if it is running."""
        if ticket is None or ticket not in self._pending:
            return
        self._pending.pop(ticket)
        with self._lock:
            self._cancelled.add(ticket)
            connection = self._connections.get(ticket)
        if connection is not None:
            connection.interrupt()
        self._announce()

    def busy(self) -> str:
        """What is running (labels joined), or ""."""
        labels = list(dict.fromkeys(label for label, _d, _f in self._pending.values() if label))
        return "; ".join(labels)

    def wait(self, msecs: int = -1) -> bool:
        """Wait for running jobs; True when all ended."""
        return bool(self._pool.waitForDone(msecs))

    def shutdown(self, msecs: int = 5000) -> bool:
        """Drop every job's result, interrupt their queries and wait for them to end (before
        the database closes); True when all ended."""
        for ticket in list(self._pending):
            self.cancel(ticket)
        return self.wait(msecs)

    def _announce(self) -> None:
        self.busy_changed.emit(self.busy())

    def _on_finished(self, ticket: int, result: Any, error: BaseException | None) -> None:
        with self._lock:
            self._cancelled.discard(ticket)
        entry = self._pending.pop(ticket, None)
        if entry is None:
            return  # cancelled: superseded by a newer job
        self._announce()
        _label, done, failed = entry
        if error is None:
            done(result)
        elif isinstance(error, StorageError):
            failed(error)
        else:
            raise error  # a bug: the crash handler shows it

    # -- the worker threads' side -----------------------------------------------------------
    def is_cancelled(self, ticket: int) -> bool:
        """True when the job's result is no longer wanted."""
        with self._lock:
            return ticket in self._cancelled

    def started(self, ticket: int, session: Session) -> None:
        """Remember the job's connection, so ``cancel`` can interrupt its query."""
        raw = session.connection().connection.driver_connection
        with self._lock:
            if isinstance(raw, sqlite3.Connection):
                self._connections[ticket] = raw
            if ticket in self._cancelled and isinstance(raw, sqlite3.Connection):
                raw.interrupt()

    def ended(self, ticket: int) -> None:
        """The job left its transaction."""
        with self._lock:
            self._connections.pop(ticket, None)


class SyncRunner(Runner):
    """Runs each job at once, on the calling thread (tests; commands with no event loop)."""

    def _start(self, ticket: int, work: Callable[[Session], Any]) -> None:
        job = _Job(self, ticket, work)
        job.setAutoDelete(False)
        job.run()  # the relay's signal is delivered at once: same thread


def _log_failure(error: Exception) -> None:
    logger.warning("a background read failed: %s", error)
