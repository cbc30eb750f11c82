"""Any name a file system allows names that file and no other, at every entry point.

``#``, ``?`` and ``%41`` used to be read as URI syntax: ``sample 'new#1.capex'`` wrote a file
``new``, ``summary 'report%41.capex'`` read ``reportA.capex``. Here every entry point (the
command line's sample, summary and export-chart; the window's File → Open and Open recent; a
second start handing its file to the running window; and check, imports, export-data, copy,
import, extract, screenshot and generate) gets such names, beside the files they
used to reach instead, which must keep every byte.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from capex_gui.app.main_window import MainWindow
from capex_gui.app.paths import create_sample_database
from capex_gui.app.single_instance import SingleInstance
from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository

NAMES = [
    "new#1.capex",
    "mydata#copy.capex",
    "q1?draft.capex",
    "report%41.capex",
    "two  words .capex",
    'it\'s "quoted".capex',
    "данные 亿元 ñ.capex",
    "R&D;costs=1.capex",
]
#: What the names above used to open or create instead.
DECOYS = ["new", "mydata", "q1", "reportA.capex", "two%20%20words%20.capex"]

#: Runs each command through the real entry point, in one process; prints one JSON line each.
CLI = textwrap.dedent(
    """
    import contextlib, io, json, sys, traceback
    from capex_gui.app.cli import main

    for line in sys.stdin:
        argv = json.loads(line)
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(argv)
        except BaseException:
            code, err = None, io.StringIO(traceback.format_exc())
        print(json.dumps({"code": code, "out": out.getvalue(), "err": err.getvalue()}), flush=True)
    """
)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder holding the decoys: two real databases (with an extra row) and plain files."""
    place = tmp_path / "files"
    place.mkdir()
    for decoy in DECOYS:
        if decoy in ("mydata", "reportA.capex"):
            create_sample_database(place / decoy).close()
            db = open_database(place / decoy)
            repo = Repository(db.engine)
            repo.add_investment(repo.investments()[0].with_changes(id=None, notes="decoy"))
            db.close()
        else:
            (place / decoy).write_text(f"{decoy} is not to be touched")
    return place


def _snapshot(place: Path) -> dict[str, str]:
    return {p.name: _digest(p) for p in place.iterdir()}


def _check_untouched(place: Path, before: dict[str, str], made: list[str]) -> None:
    after = _snapshot(place)
    assert {n: after.get(n) for n in before} == before, "a file the names do not name changed"
    assert sorted(after) == sorted([*before, *made]), "stray files"


@pytest.mark.slow
def test_command_line_touches_exactly_the_named_files(folder: Path, _isolated_home: Path) -> None:
    before = _snapshot(folder)
    reference = folder.parent / "reference.capex"
    commands: list[list[str]] = [
        ["sample", str(reference)],
        ["summary", str(reference), "--json"],
    ]
    made: list[str] = []
    for name in NAMES:
        path = str(folder / name)
        chart = f"{Path(name).stem} #chart?%41.png"
        commands += [
            ["sample", path],
            ["summary", path, "--json"],
            ["export-chart", path, "--chart", "spend", "-o", str(folder / chart)],
        ]
        made += [name, chart]
        if not any(c in name for c in "#?%&"):
            continue
        # every other command that names a file, on the names that look like URI syntax
        stem = Path(name).stem
        table, copy, generated, report, shot = (
            f"{stem} #{what}?%41.{ext}"
            for what, ext in (
                ("table", "csv"),
                ("copy", "capex"),
                ("gen", "capex"),
                ("report", "txt"),
                ("shot", "png"),
            )
        )
        (folder / report).write_text("Baidu said it will invest 5 billion yuan in 2025.\n")
        commands += [
            ["check", path],
            ["imports", path],
            ["export-data", path, "--table", "investments", "-o", str(folder / table)],
            ["copy", path, str(folder / copy)],
            ["summary", str(folder / copy), "--json"],  # the sample's figures, copied
            ["import", path, str(folder / table), "--table", "investments"],
            ["extract", "--db", path, str(folder / report)],
            ["screenshot", path, "--width", "640", "--height", "400", "-o", str(folder / shot)],
            ["generate", "--orders", "5", "--investments", "5", str(folder / generated)],
        ]
        made += [table, copy, generated, report, shot]
    stdin = "".join(json.dumps(c) + "\n" for c in commands)
    env = {**os.environ, "CAPEX_GUI_HOME": str(_isolated_home), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", CLI],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(results) == len(commands), done.stderr
    expected_summary = json.loads(results[1]["out"])
    for argv, result in zip(commands, results, strict=True):
        assert result["code"] == 0, (argv, result["err"])
        if argv[0] == "sample":
            assert result["out"].strip() == f"wrote the sample data to {argv[1]}"
        elif argv[0] == "summary":  # the sample's figures, not a decoy's
            assert json.loads(result["out"]) == expected_summary
        elif argv[0] in ("export-chart", "screenshot"):
            assert result["out"].strip() == f"wrote {argv[-1]}"
            assert Path(argv[-1]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        elif argv[0] == "import":  # the sample's three investments, read from that file
            assert result["out"].startswith(
                f"imported 3 rows into investments from {Path(argv[2]).name}"
            )
        elif argv[0] == "extract":
            assert "Baidu, 2025" in result["out"]
    _check_untouched(folder, before, made)


@pytest.fixture
def named_files(folder: Path) -> tuple[Path, dict[str, str]]:
    for name in NAMES:
        create_sample_database(folder / name).close()
        db = open_database(folder / name)
        repo = Repository(db.engine)
        first = repo.investments()[0]
        repo.update_investment(first.with_changes(notes=f"this is {name}"))
        db.close()
    return folder, _snapshot(folder)


def _first_note(window: MainWindow) -> str:
    model = window.investments_model
    return str(model.data(model.index(0, model.column_index("notes"))))


@pytest.mark.slow
def test_window_open_recent_and_hand_over_open_exactly_the_named_file(
    qtbot: QtBot,
    window: MainWindow,
    named_files: tuple[Path, dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    _isolated_home: Path,
) -> None:
    folder, before = named_files
    decoys = {n: d for n, d in before.items() if n in DECOYS}
    # File → Open
    for name in NAMES:
        monkeypatch.setattr(
            "capex_gui.app.main_window.QFileDialog.getOpenFileName",
            lambda *a, n=name, **k: (str(folder / n), ""),
        )
        window.open_action.trigger()
        assert window.database is not None and window.database.path == folder / name
        assert _first_note(window) == f"this is {name}"
    # Open recent
    for name in NAMES[::-1]:
        shown = {  # "&3 /path/R&&D.capex": a mnemonic, then the path with & doubled
            a.text().split(" ", 1)[1].replace("&&", "&"): a for a in window.recent_menu.actions()
        }
        shown[str(folder / name)].trigger()
        assert window.database is not None and window.database.path == folder / name
        assert _first_note(window) == f"this is {name}"
    # a second start (as a double-click does) hands its file to this window
    instance = SingleInstance(None)
    try:
        assert instance.start(None)
        instance.open_requested.connect(window.open_target_or_raise)
        env = {**os.environ, "CAPEX_GUI_HOME": str(_isolated_home), "QT_QPA_PLATFORM": "offscreen"}
        for name in NAMES:
            with qtbot.waitSignal(instance.open_requested, timeout=30000) as blocker:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "capex_gui", name], cwd=folder, env=env
                )
            assert blocker.args == [str(folder / name)]
            assert proc.wait(timeout=60) == 0
            assert window.database is not None and window.database.path == folder / name
            assert _first_note(window) == f"this is {name}"
    finally:
        instance.close()
        instance.deleteLater()
    window.close()
    after = _snapshot(folder)
    assert {n: after[n] for n in decoys} == decoys
    assert sorted(after) == sorted(before)  # no -wal, -shm or stray file left behind


@pytest.mark.slow
def test_a_first_start_opens_and_creates_exactly_the_named_file(
    named_files: tuple[Path, dict[str, str]], _isolated_home: Path
) -> None:
    """``capex-gui NAME`` with no window running (a double-click, a shell) and
    ``capex-gui --new NAME`` open and create that file, as the window's recent list says."""
    from capex_gui.app.application import QUIT_AFTER_ENV, settings_path

    folder, before = named_files
    decoys = {n: d for n, d in before.items() if n in DECOYS}
    env = {
        **os.environ,
        "CAPEX_GUI_HOME": str(_isolated_home),
        "QT_QPA_PLATFORM": "offscreen",
        QUIT_AFTER_ENV: "1500",
    }
    fresh = "fresh #2?%41.capex"
    runs = [[name] for name in ("new#1.capex", "q1?draft.capex", "report%41.capex")]
    runs.append(["--new", fresh])
    for argv in runs:
        done = subprocess.run(
            [sys.executable, "-m", "capex_gui", *argv],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, (argv, done.stderr)
        recent = QSettings(str(settings_path()), QSettings.Format.IniFormat).value(
            "prefs/recent_files"
        )
        first = recent if isinstance(recent, str) else recent[0]
        assert first == str(folder / argv[-1]), argv
    after = _snapshot(folder)
    assert {n: after[n] for n in decoys} == decoys
    assert sorted(after) == sorted([*before, fresh])
    db = open_database(folder / fresh)
    try:
        assert Repository(db.engine).investments() == []  # a new, empty database
    finally:
        db.close()
