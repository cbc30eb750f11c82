"""A full disk, for real: a 2 MB tmpfs mounted for the test (the suite runs as root in CI).

An edit or a delete that does not fit is refused in one sentence and the table shows the value
the file holds; once space returns, edits work again and closing leaves one self-contained
file. The test fails, never skips, when it cannot mount the small disk.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from capex_gui.app.cli import main
from capex_gui.app.main_window import MainWindow
from capex_gui.app.paths import create_sample_database
from capex_gui.errors import StorageError
from capex_gui.storage import sqlite
from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository
from tests.app.conftest import type_into_cell


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A 2 MB file system of its own, unmounted afterwards."""
    mount = Path(tempfile.mkdtemp(prefix="capex-full-disk-"))
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        mount.rmdir()
        pytest.fail(
            "could not mount a small tmpfs to fill (the suite must run as root, as CI does): "
            + done.stderr.strip()
        )
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
        mount.rmdir()


def fill(folder: Path) -> Path:
    """Write a file until the disk is full; returns it (delete it to free the space)."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for chunk in (65536, 4096, 512, 1):
            while True:
                try:
                    os.write(fd, b"\0" * chunk)
                except OSError as exc:
                    if exc.errno != errno.ENOSPC:
                        raise
                    break
    finally:
        os.close(fd)
    return filler


def _notes(path: Path) -> list[str]:
    con = sqlite3.connect(sqlite.file_uri(path, mode="rw"), uri=True)
    try:
        return [n for (n,) in con.execute("SELECT notes FROM investments ORDER BY id")]
    finally:
        con.close()


def _integrity(path: Path) -> str:
    con = sqlite3.connect(sqlite.file_uri(path, mode="rw"), uri=True)
    try:
        return str(con.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        con.close()


def test_the_window_on_a_full_disk(qtbot: QtBot, small_disk: Path, tmp_path: Path) -> None:
    path = small_disk / "full #1.capex"
    create_sample_database(path).close()
    window = MainWindow(
        open_database(path), QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view, model = window.investments_view, window.investments_model
    notes = model.column_index("notes")
    before = _notes(path)
    filler = fill(small_disk)

    long_note = "written on a full disk " * 400  # more than a page: the WAL must grow
    type_into_cell(qtbot, view, 0, "notes", long_note)
    assert "disk is full" in window.statusBar().currentMessage()
    assert model.data(model.index(0, notes)) == before[0]  # the cell shows what the file holds
    assert window.undo_stack.count() == 0

    view.selectRow(2)
    window.delete_action.trigger()
    assert "disk is full" in window.statusBar().currentMessage()
    assert model.rowCount() == 3
    assert _notes(path) == before

    filler.unlink()  # space returns
    type_into_cell(qtbot, view, 0, "notes", "saved once there was room")
    assert model.data(model.index(0, notes)) == "saved once there was room"
    view.selectRow(2)
    window.delete_action.trigger()
    assert model.rowCount() == 2
    qtbot.wait(200)  # let the panels that follow the changes settle before the file goes
    window.close()
    assert sorted(p.name for p in small_disk.iterdir()) == [path.name]  # no -wal, no -shm
    assert _integrity(path) == "ok"
    assert _notes(path) == ["saved once there was room", before[1]]


def test_closing_on_a_full_disk_loses_nothing_and_the_file_stands_alone_once_space_returns(
    small_disk: Path,
) -> None:
    path = small_disk / "kept.capex"
    create_sample_database(path).close()
    db = open_database(path)
    repo = Repository(db.engine)
    acknowledged = []
    for n in range(20):  # commits that sit in the WAL
        row = repo.investments()[n % 3]
        repo.update_investment(row.with_changes(notes=f"edit {n} " + "x" * 3000))
        acknowledged.append(n)
    filler = fill(small_disk)
    row = repo.investments()[0]
    with pytest.raises(StorageError, match="disk is full") as refused:
        repo.add_investment(row.with_changes(id=None, notes="y" * 100_000))
    assert "\n" not in str(refused.value)
    db.close()  # may not be able to fold the WAL in: it must not raise, nor lose anything
    filler.unlink()
    db = open_database(path)
    try:
        notes = [i.notes for i in Repository(db.engine).investments()]
    finally:
        db.close()
    assert notes == [f"edit {n} " + "x" * 3000 for n in (18, 19, 17)]
    assert sorted(p.name for p in small_disk.iterdir()) == [path.name]
    assert _integrity(path) == "ok"


def test_the_command_line_on_a_full_disk(
    small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filler = fill(small_disk)
    target = small_disk / "new.capex"
    assert main(["sample", str(target)]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("capex-gui: error: ") and "full" in err, err
    assert sorted(p.name for p in small_disk.iterdir()) == [filler.name]
