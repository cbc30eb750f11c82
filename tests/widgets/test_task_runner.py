"""TaskRunner: one task at a time off the GUI thread; a new task may start the moment the last
one reported, before its thread's own end has been announced."""

from __future__ import annotations

import threading
from typing import Any

from pytestqt.qtbot import QtBot

from capex_gui.dataio.checking import ImportCancelled
from capex_gui.widgets.task_runner import TaskRunner


def test_a_task_started_from_the_last_ones_report_runs_to_its_end(qtbot: QtBot) -> None:
    runner = TaskRunner()
    release = threading.Event()
    results: list[object] = []
    failures: list[object] = []

    def first(_progress: Any, cancelled: Any) -> str:
        while not cancelled():
            release.wait(0.005)
        raise ImportCancelled

    def second(progress: Any, _cancelled: Any) -> str:
        release.wait(10)
        progress(1.0, 1)
        return "second"

    def on_failed(exc: object) -> None:
        failures.append(exc)
        runner.start(second)  # as the dialog does: check again right after a cancel

    runner.failed.connect(on_failed)
    runner.finished.connect(results.append)
    runner.start(first)
    runner.cancel()
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert isinstance(failures[0], ImportCancelled)
    # the first thread's end is announced now, while the second runs: it must not be dropped
    qtbot.wait(50)
    assert runner._thread is not None and runner._thread.isRunning()
    release.set()
    qtbot.waitUntil(lambda: results == ["second"], timeout=5000)
    qtbot.waitUntil(lambda: runner._thread is None, timeout=5000)
