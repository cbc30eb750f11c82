"""Read-only files and folders, as a user who really may not write them.

Root may write any file whatever its mode, so these checks run the app as an unprivileged user
(uid 65534, ``nobody``) through ``setpriv``. If privileges cannot be dropped the test fails and
says why; it never skips.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from capex_gui.app.paths import create_sample_database

NOBODY = 65534

#: The window on a file, an edit typed into it, and what the user was shown (one JSON line).
WINDOW = textwrap.dedent(
    """
    import json, sys
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox
    from capex_gui.app.application import create_application
    from capex_gui.app.main_window import MainWindow
    from capex_gui.storage.database import open_database

    shown = []
    QMessageBox.warning = staticmethod(lambda _p, _t, text, *a: shown.append(text))
    app = create_application()
    settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
    window = MainWindow(open_database(sys.argv[1]), settings)
    window.show()
    app.processEvents()
    model = window.investments_model
    model.input_rejected.connect(lambda text, *_: shown.append(text))
    index = model.index(0, model.column_index("notes"))
    saved = model.setData(index, "typed on a read-only file")
    app.processEvents()
    result = {
        "read_only": window.database.read_only,
        "banner": window.read_only_banner.isVisible(),
        "banner_text": window.read_only_banner.text.text(),
        "saved": saved,
        "value": model.data(index),
        "shown": shown,
    }
    window.close()
    print(json.dumps(result), flush=True)
    """
)


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder the unprivileged user can reach (pytest's own temp folders are root's only)."""
    base = Path(tempfile.mkdtemp(prefix="capex-read-only-"))
    base.chmod(0o755)
    (base / "home").mkdir(mode=0o777)
    (base / "home").chmod(0o777)
    try:
        yield base
    finally:
        for path in base.rglob("*"):
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(base)


def as_unprivileged(
    args: list[str], home: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run *args* as uid/gid 65534 with the app's home in *home*."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        pytest.fail(
            "this test must run as root with setpriv (util-linux) installed, to drop to an "
            "unprivileged user: root ignores file modes, so a read-only file cannot be tested as root"
        )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "CAPEX_GUI_HOME": str(home),
        "HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_RUNTIME_DIR": str(home),
        "LANG": "C.UTF-8",
    }
    command = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout)


@pytest.fixture
def can_drop_privileges(shared: Path) -> None:
    probe = as_unprivileged(
        [sys.executable, "-c", "import os, capex_gui.app.cli; print(os.geteuid())"], shared / "home"
    )
    if probe.returncode != 0 or probe.stdout.strip() != str(NOBODY):
        pytest.fail(
            "could not run the app as an unprivileged user (uid 65534); the virtual environment "
            f"and the source must be readable by other users.\n{probe.stderr}"
        )


def _summary(path: Path, home: Path) -> dict[str, object]:
    done = as_unprivileged(
        [sys.executable, "-m", "capex_gui", "summary", str(path), "--json"], home
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return dict(json.loads(done.stdout))


def _window(path: Path, home: Path) -> dict[str, object]:
    done = as_unprivileged([sys.executable, "-c", WINDOW, str(path), str(home / "s.ini")], home)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return dict(json.loads(done.stdout.splitlines()[-1]))


def _assert_refused_and_shown(seen: dict[str, object], reason: str) -> None:
    assert seen["read_only"] is True
    assert seen["banner"] is True and reason in str(seen["banner_text"])
    assert seen["saved"] is False and seen["value"] != "typed on a read-only file"
    assert any("read-only" in m for m in seen["shown"]), seen["shown"]  # type: ignore[union-attr]


@pytest.mark.slow
@pytest.mark.usefixtures("can_drop_privileges")
def test_a_read_only_file_opens_read_only_and_nothing_is_written_beside_it(shared: Path) -> None:
    folder = shared / "writable folder"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)  # the user may write here, but not the file
    path = folder / "locked #1.capex"
    create_sample_database(path).close()
    path.chmod(0o444)
    before = _digests(folder)
    reference = _summary(path, shared / "home")
    assert reference["totals"]
    _assert_refused_and_shown(_window(path, shared / "home"), "you may not write to this file")
    assert _digests(folder) == before  # no -wal, no -shm, the file's bytes as they were


@pytest.mark.slow
@pytest.mark.usefixtures("can_drop_privileges")
def test_a_read_only_folder_still_opens_its_files_read_only(shared: Path) -> None:
    folder = shared / "read-only folder"
    folder.mkdir()
    path = folder / "shared.capex"
    create_sample_database(path).close()
    path.chmod(0o666)  # the file itself is writable; WAL needs the folder too
    folder.chmod(0o555)
    before = _digests(folder)
    assert _summary(path, shared / "home")["totals"]
    _assert_refused_and_shown(_window(path, shared / "home"), "you may not write to its folder")
    assert _digests(folder) == before
    made = as_unprivileged(
        [sys.executable, "-m", "capex_gui", "sample", str(folder / "new.capex")], shared / "home"
    )
    assert made.returncode != 0
    assert made.stderr.count("\n") == 1 and "you may not write to its folder" in made.stderr
    assert _digests(folder) == before
