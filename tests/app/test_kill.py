"""Killing the app (SIGKILL) right after accepted edits loses none of them: no Save step exists."""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest

from capex_gui.app.paths import create_sample_database
from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository
from capex_gui.storage.sqlite import file_uri

DRIVER = textwrap.dedent(
    """
    import sys, time
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication
    from PySide6.QtTest import QTest
    from capex_gui.app.application import create_application
    from capex_gui.app.main_window import MainWindow
    from capex_gui.storage.database import open_database
    from capex_gui.widgets import delegates

    delegates.ask_keep_sources = lambda *_a: True  # the user keeps each changed figure's source
    app = create_application()
    window = MainWindow(open_database(sys.argv[1]), QSettings(sys.argv[2], QSettings.Format.IniFormat))
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowActive(window)
    view = window.investments_view
    model = window.investments_model

    def type_into(row, key, text):
        view.setFocus()
        view.setCurrentIndex(model.index(row, model.column_index(key)))
        QTest.keyClick(view, Qt.Key.Key_F2)
        editor = QApplication.focusWidget()
        editor.selectAll()
        QTest.keyClicks(editor, text)
        QTest.keyClick(editor, Qt.Key.Key_Return)
        for _ in range(20):
            app.processEvents()

    type_into(0, "amount", "41bn")
    type_into(1, "notes", "edited before the crash")
    type_into(2, "period", "2023")
    window.add_row_action.trigger()
    app.processEvents()
    print("EDITS DONE", flush=True)
    while True:  # keep running until killed, as a user's app would
        app.processEvents()
        time.sleep(0.01)
    """
)


def test_sigkill_after_edits_loses_nothing(tmp_path: Path) -> None:
    db_path = tmp_path / "k.capex"
    create_sample_database(db_path).close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(db_path), str(tmp_path / "s.ini")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if line.strip() != "EDITS DONE":
                proc.kill()
                raise AssertionError(proc.communicate(timeout=30)[1])
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == -signal.SIGKILL
    db = open_database(db_path)
    try:
        repo = Repository(db.engine)
        rows = repo.investments()
        assert rows[0].amount == 41 * Decimal(10) ** 9
        assert rows[1].notes == "edited before the crash"
        assert rows[2].year == 2023
        assert len(rows) == 4
    finally:
        db.close()


# -- hundreds of kills at random moments ----------------------------------------------------------

#: A fork server: imports everything once, then forks one worker per kill. Each worker opens the
#: file as the window does and streams edits through the store (the window's write path) until
#: the test kills it; it prints BEGIN before and ACK after each edit, with what it wrote.
STREAMER = textwrap.dedent(
    """
    import json, os, random, sys
    from capex_gui.storage import database as database_module
    from capex_gui.storage.database import open_database
    from capex_gui.storage.repository import Repository
    from capex_gui.store.store import CapexStore, TableKind

    from sqlalchemy.orm import configure_mappers

    # everything a first open pays for once per process, paid before forking
    database_module.head_revision()
    configure_mappers()
    warm = open_database(sys.argv[1])
    CapexStore(Repository(warm.engine)).repo.chip_orders()
    warm.close()

    def say(kind, **what):
        os.write(1, (json.dumps({"kind": kind, **what}) + "\\n").encode())

    def stream(path, worker):
        rng = random.Random(worker)
        store = CapexStore(Repository(open_database(path).engine))
        investments = TableKind.INVESTMENTS
        for n in range(10**9):
            token = f"w{worker}-e{n}"
            ids = [i.id for i in store.repo.investments()]
            op = rng.choice(["note", "note", "units", "add", "delete"])
            if op == "delete" and len(ids) <= 3:
                op = "add"
            if op == "note":
                row = store.get(investments, rng.choice(ids))
                say("BEGIN", op=op, id=row.id, value=token)
                store.update_row(investments, row.with_changes(notes=token))
                say("ACK", op=op, id=row.id, value=token)
            elif op == "units":
                order = rng.choice(store.repo.chip_orders())
                units = rng.randint(1, 10**9)
                say("BEGIN", op=op, id=order.id, value=units)
                store.update_row(TableKind.CHIP_ORDERS, order.with_changes(units=units))
                say("ACK", op=op, id=order.id, value=units)
            elif op == "add":
                template = store.get(investments, ids[0])
                say("BEGIN", op=op, value=token)
                (added,) = store.add_rows(investments, [template.with_changes(id=None, notes=token)])
                say("ACK", op=op, id=added.id, value=token)
            else:
                victim = max(ids)
                say("BEGIN", op=op, id=victim)
                store.delete_rows(investments, [victim])
                say("ACK", op=op, id=victim)

    path = sys.argv[1]
    for worker, line in enumerate(sys.stdin):
        pid = os.fork()
        if pid == 0:
            try:
                stream(path, worker)
            except BaseException as exc:
                say("ERROR", error=repr(exc))
            os._exit(1)
        say("PID", pid=pid)
        _, status = os.waitpid(pid, 0)
        say("DEAD", pid=pid, killed=os.WIFSIGNALED(status) and os.WTERMSIG(status) == 9)
    """
)

KILLS = 220


class Expected:
    """What the file must hold: every acknowledged edit; an edit in flight may have landed."""

    def __init__(self, path: Path) -> None:
        con = sqlite3.connect(path)
        self.notes = dict(con.execute("SELECT id, notes FROM investments"))
        self.units = dict(con.execute("SELECT id, units FROM chip_orders"))
        con.close()
        self.pending: dict[str, object] | None = None
        self.acked = 0

    def begin(self, event: dict[str, object]) -> None:
        self.pending = event

    def ack(self, event: dict[str, object]) -> None:
        op, id_ = event["op"], event.get("id")
        if op in ("note", "add"):
            self.notes[id_] = event["value"]
        elif op == "units":
            self.units[id_] = event["value"]
        else:
            del self.notes[id_]
        self.pending = None
        self.acked += 1

    def check(self, path: Path) -> None:
        """Compare with the file (read-only: the next worker recovers the WAL itself)."""
        con = sqlite3.connect(file_uri(path, mode="ro"), uri=True)
        try:
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            notes = dict(con.execute("SELECT id, notes FROM investments"))
            units = dict(con.execute("SELECT id, units FROM chip_orders"))
        finally:
            con.close()
        pending = self.pending
        if pending is not None:  # killed mid-edit: either outcome, but whole
            op = pending["op"]
            if op == "note":
                assert notes[pending["id"]] in (self.notes[pending["id"]], pending["value"])
                self.notes[pending["id"]] = notes[pending["id"]]
            elif op == "units":
                assert units[pending["id"]] in (self.units[pending["id"]], pending["value"])
                self.units[pending["id"]] = units[pending["id"]]
            elif op == "add":
                landed = [i for i, n in notes.items() if n == pending["value"]]
                assert len(landed) <= 1
                for i in landed:
                    self.notes[i] = pending["value"]
            elif pending["id"] not in notes:
                del self.notes[pending["id"]]
            self.pending = None
        assert notes == self.notes, "an acknowledged edit is missing"
        assert units == self.units


@pytest.mark.slow
def test_hundreds_of_kills_at_random_moments_lose_no_acknowledged_edit(tmp_path: Path) -> None:
    db_path = tmp_path / "kill #1.capex"
    create_sample_database(db_path).close()
    expected = Expected(db_path)
    rng = random.Random(10)
    events: queue.Queue[dict[str, object]] = queue.Queue()
    started = time.monotonic()
    with subprocess.Popen(
        [sys.executable, "-c", STREAMER, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    ) as server:
        assert server.stdin is not None and server.stdout is not None
        out = server.stdout
        threading.Thread(
            target=lambda: [events.put(json.loads(line)) for line in out], daemon=True
        ).start()

        def next_event() -> dict[str, object]:
            try:
                event = events.get(timeout=30)
            except queue.Empty:
                raise AssertionError("the streaming process stopped answering") from None
            assert event["kind"] != "ERROR", event
            return event

        try:
            for _ in range(KILLS):
                server.stdin.write(b"go\n")
                server.stdin.flush()
                event = next_event()
                assert event["kind"] == "PID"
                pid = int(str(event["pid"]))
                # a random moment: while it opens and recovers the file (one kill in five),
                # else in the middle of its edits, after a random number of them
                if rng.random() < 0.2:
                    time.sleep(rng.uniform(0.0, 0.08))
                else:
                    acks_first = rng.randint(0, 8)
                    while acks_first > 0:
                        event = next_event()
                        if event["kind"] == "BEGIN":
                            expected.begin(event)
                        elif event["kind"] == "ACK":
                            expected.ack(event)
                            acks_first -= 1
                    time.sleep(rng.uniform(0.0, 0.012))
                os.kill(pid, signal.SIGKILL)
                while (event := next_event())["kind"] != "DEAD":
                    if event["kind"] == "BEGIN":
                        expected.begin(event)
                    elif event["kind"] == "ACK":
                        expected.ack(event)
                assert event["killed"], "a worker ended before it was killed"
                expected.check(db_path)
        finally:
            server.stdin.close()
            server.wait(timeout=30)
    elapsed = time.monotonic() - started
    assert expected.acked > KILLS * 2, "too few edits were acknowledged to mean anything"
    print(f"kill test: {KILLS} kill -9s, {expected.acked} acknowledged edits, {elapsed:.1f} s")
