"""Long work (reading a big file, an import) off the GUI thread, with progress and cancel.

The work is a plain function that takes ``progress(fraction, rows)`` and ``cancelled()``
callables; it never touches a widget. Results come back to the GUI thread by signal. With
``threaded=False`` the work runs at once in the calling thread (tests, tiny files).
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, Signal

if TYPE_CHECKING:
    from collections.abc import Callable

logger = logging.getLogger(__name__)


class _Worker(QThread):
    """Runs one piece of work; reports through the runner's signals (queued to its thread)."""

    def __init__(self, runner: TaskRunner, work: Any) -> None:
        super().__init__(runner)
        self._runner = runner
        self._work = work

    def run(self) -> None:
        self._runner._execute(self._work)


class TaskRunner(QObject):
    """Runs one task at a time; ``finished(result)`` or ``failed(exception)`` at the end."""

    #: (fraction 0..1, rows read so far)
    progressed = Signal(float, int)
    #: The work's return value.
    finished = Signal(object)
    #: The exception the work raised (an ImportCancelled after cancel()).
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None, *, threaded: bool = True) -> None:
        super().__init__(parent)
        self.threaded = threaded
        self._cancel = threading.Event()
        self._thread: _Worker | None = None

    def start(
        self, work: Callable[[Callable[[float, int], None], Callable[[], bool]], Any]
    ) -> None:
        """Run *work(progress, cancelled)*."""
        if self._thread is not None:
            self._thread.wait()  # the last task has reported; its thread is just ending
            self._release(self._thread)
        self._cancel.clear()
        if not self.threaded:
            self._execute(work)
            return
        thread = self._thread = _Worker(self, work)
        # the end of *this* thread: announced later than its report, maybe after the next
        # task has started, which must not be taken for it
        thread.finished.connect(lambda: self._release(thread))
        thread.start()

    def _release(self, thread: _Worker) -> None:
        """Let go of *thread* once it has ended (a later task's thread is left alone)."""
        if self._thread is thread:
            self._thread = None
            thread.deleteLater()

    def cancel(self) -> None:
        """Ask the running task to stop (it stops at its next check, writing nothing)."""
        self._cancel.set()

    def wait(self, msecs: int = 60_000) -> None:
        """Block until the running task ends (closing a dialog mid-task)."""
        if self._thread is not None and self._thread.isRunning():
            self._thread.wait(msecs)

    def _execute(self, work: Any) -> None:
        try:
            result = work(self.progressed.emit, self._cancel.is_set)
        except Exception as exc:  # handed to the GUI thread, which decides what to say
            logger.debug("task failed", exc_info=True)
            self.failed.emit(exc)
        else:
            self.finished.emit(result)
