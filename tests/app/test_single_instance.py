"""One instance per user: a second start hands its file to the first (real processes)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtNetwork import QLocalServer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from capex_gui.app.single_instance import (
    Forward,
    SingleInstance,
    normalize_target,
    server_name,
)

#: Runs SingleInstance with a plain QWidget standing in for the main window; prints what it gets.
HARNESS = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget
    from capex_gui.app.single_instance import SingleInstance

    app = QApplication(sys.argv[:1])
    window = QWidget()
    window.setWindowTitle("single-instance harness")
    instance = SingleInstance(app)
    target = sys.argv[1] if len(sys.argv) > 1 else None
    if not instance.start(target):
        print("FORWARDED", flush=True)
        sys.exit(0)
    instance.attach_window(window)
    instance.activated.connect(
        lambda: print("ACTIVATED visible=%s" % window.isVisible(), flush=True)
    )
    instance.open_requested.connect(lambda path: print("OPEN " + path, flush=True))
    window.show()
    print("READY " + (target or ""), flush=True)
    QTimer.singleShot(30000, app.quit)  # never outlive a broken test
    sys.exit(app.exec())
    """
)


def _env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


class Harness:
    """A first instance running in its own process."""

    def __init__(self, *args: str, cwd: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HARNESS, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
            cwd=cwd,
        )

    def line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line:
            self.proc.kill()
            raise AssertionError(f"harness ended: {self.proc.communicate(timeout=30)[1]}")
        return line

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.communicate(timeout=30)


@pytest.fixture
def harnesses(tmp_path: Path) -> Iterator[list[Harness]]:
    started: list[Harness] = []
    yield started
    for h in started:
        h.stop()
    QLocalServer.removeServer(server_name())  # a killed harness leaves its socket file


def _second_start(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", HARNESS, *args],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=cwd,
        timeout=60,
    )


def test_second_start_hands_its_file_to_the_first_and_exits(
    tmp_path: Path, harnesses: list[Harness]
) -> None:
    first = Harness(cwd=tmp_path)
    harnesses.append(first)
    assert first.line() == "READY"

    started = time.monotonic()
    second = _second_start("reports/q3.capex", cwd=tmp_path)  # relative to the second's folder
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "FORWARDED"
    assert time.monotonic() - started < 20

    assert first.line() == "ACTIVATED visible=True"
    assert first.line() == f"OPEN {tmp_path / 'reports' / 'q3.capex'}"

    # a start without a file only brings the running window forward
    assert _second_start(cwd=tmp_path).stdout.strip() == "FORWARDED"
    assert first.line() == "ACTIVATED visible=True"
    assert first.proc.poll() is None


def test_socket_left_by_a_crash_is_taken_over(tmp_path: Path, harnesses: list[Harness]) -> None:
    crashed = Harness(cwd=tmp_path)
    harnesses.append(crashed)
    assert crashed.line() == "READY"
    crashed.proc.send_signal(signal.SIGKILL)
    crashed.proc.wait(timeout=30)

    after = Harness("a.capex", cwd=tmp_path)
    harnesses.append(after)
    assert after.line() == f"READY {'a.capex'}"
    second = _second_start("b.capex", cwd=tmp_path)
    assert second.stdout.strip() == "FORWARDED", second.stderr
    assert after.line().startswith("ACTIVATED")
    assert after.line() == f"OPEN {tmp_path / 'b.capex'}"


def test_server_name_is_per_home_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAPEX_GUI_HOME", "/tmp/one")
    one = server_name()
    monkeypatch.setenv("CAPEX_GUI_HOME", "/tmp/two")
    assert server_name() != one
    assert server_name().startswith("capex-gui-")
    assert len(server_name()) < 40  # Unix socket paths are short


def test_targets_become_absolute_urls_stay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert normalize_target("x.capex") == str(tmp_path / "x.capex")
    assert normalize_target("postgresql://db/capex") == "postgresql://db/capex"
    assert normalize_target(None) is None


def test_in_process_instance_receives_from_a_second_process(
    qtbot: QtBot, qapp: object, tmp_path: Path
) -> None:
    """The receiving side inside the test process, so its signals can be awaited."""
    instance = SingleInstance(None)
    try:
        assert instance.forward("x.capex") is Forward.NO_SERVER
        assert instance.start(None)
        assert instance.is_listening()
        with qtbot.waitSignal(instance.open_requested, timeout=20000) as blocker:
            proc = subprocess.Popen(
                [sys.executable, "-c", HARNESS, "x.capex"],
                stdout=subprocess.PIPE,
                text=True,
                env=_env(),
                cwd=tmp_path,
            )
        assert blocker.args == [str(tmp_path / "x.capex")]
        out, _ = proc.communicate(timeout=30)
        assert proc.returncode == 0 and out.strip() == "FORWARDED"
    finally:
        instance.close()
        instance.deleteLater()


def test_macos_file_open_events_become_open_requests(qtbot: QtBot, qapp: QApplication) -> None:
    """Finder sends a double-clicked file as a QFileOpenEvent to the running app."""
    instance = SingleInstance(None)
    try:
        assert instance.start(None)
        with qtbot.waitSignal(instance.open_requested, timeout=5000) as blocker:
            QApplication.sendEvent(qapp, QFileOpenEvent("/Users/a/q3.capex"))
        assert blocker.args == ["/Users/a/q3.capex"]
    finally:
        instance.close()
        instance.deleteLater()
