"""``capex-gui install-desktop``: valid menu entry, icons, the .capex MIME type, default app."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from capex_gui.app import desktop
from capex_gui.app.desktop import (
    DESKTOP_FILE,
    MIME_TYPE,
    DesktopIntegrationError,
    XdgDirs,
    exec_quote,
    exec_value,
    install_desktop,
    launch_command,
    set_default_application,
    uninstall_desktop,
    unset_default_application,
)
from capex_gui.app.paths import create_sample_database

ROOT = Path(__file__).resolve().parents[2]
needs_tools = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("desktop-file-validate", "update-mime-database", "xdg-mime")),
    reason="desktop-file-utils, shared-mime-info and xdg-utils are needed (.ci/run installs them)",
)
#: Variables that make xdg-mime ask a specific desktop (GNOME, KDE…) instead of the files.
DESKTOP_VARS = (
    "XDG_CURRENT_DESKTOP",
    "DESKTOP_SESSION",
    "KDE_FULL_SESSION",
    "KDE_SESSION_VERSION",
    "GNOME_DESKTOP_SESSION_ID",
    "MATE_DESKTOP_SESSION_ID",
    "XDG_SESSION_DESKTOP",
)


@pytest.fixture
def xdg(tmp_path: Path) -> XdgDirs:
    return XdgDirs(data_home=tmp_path / "data", config_home=tmp_path / "config")


def xdg_env(dirs: XdgDirs, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DESKTOP_VARS}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(dirs.data_home),
        XDG_CONFIG_HOME=str(dirs.config_home),
    )
    return env


def xdg_mime_default(dirs: XdgDirs, home: Path) -> str:
    proc = subprocess.run(
        ["xdg-mime", "query", "default", MIME_TYPE],
        capture_output=True,
        text=True,
        env=xdg_env(dirs, home),
        timeout=60,
    )
    return proc.stdout.strip()


def qt_mime_type(dirs: XdgDirs, home: Path, path: Path) -> str:
    """What Qt (and so KDE's file manager and our own dialogs) thinks *path* is."""
    code = (
        "import sys; from PySide6.QtCore import QMimeDatabase; "
        "print(QMimeDatabase().mimeTypeForFile(sys.argv[1]).name())"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        env=xdg_env(dirs, home),
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


# -- Exec line ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("arg", "quoted"),
    [
        ("/usr/bin/capex-gui", "/usr/bin/capex-gui"),
        ("/home/a b/capex-gui", '"/home/a b/capex-gui"'),
        ("/opt/$x/capex-gui", '"/opt/\\$x/capex-gui"'),
        ('/opt/"q"/app', '"/opt/\\"q\\"/app"'),
        ("/opt/100%/app", "/opt/100%%/app"),
        ("C:\\app", '"C:\\\\app"'),
    ],
)
def test_exec_arguments_are_quoted_as_the_spec_says(arg: str, quoted: str) -> None:
    assert exec_quote(arg) == quoted


def test_exec_value_escapes_backslashes_again_for_the_file() -> None:
    assert exec_value(["/a b/python", "-m", "capex_gui"]) == '"/a b/python" -m capex_gui %f'
    assert exec_value(["/x\\y"]) == '"/x\\\\\\\\y" %f'


def test_launch_command_is_the_bundle_when_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/capex-gui/capex-gui")
    assert launch_command() == ["/opt/capex-gui/capex-gui"]


def test_launch_command_is_the_script_this_process_started_as(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    script = tmp_path / "bin" / "capex-gui"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["bin/capex-gui", "install-desktop"])
    assert launch_command() == [str(script)]


def test_launch_command_falls_back_to_python_m(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "argv", ["/somewhere/capex_gui/__main__.py"])
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python3"))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert launch_command() == [str(tmp_path / "python3"), "-m", "capex_gui"]


# -- mimeapps.list ------------------------------------------------------------------------------
def test_default_application_keeps_the_users_other_choices(tmp_path: Path) -> None:
    mimeapps = tmp_path / "mimeapps.list"
    original = (
        "[Added Associations]\n"
        "text/plain=gedit.desktop;\n"
        "\n"
        "[Default Applications]\n"
        "text/html=firefox.desktop;\n"
        f"{MIME_TYPE}=other.desktop;\n"
        "\n"
        "[Removed Associations]\n"
        "image/png=gimp.desktop;\n"
    )
    mimeapps.write_text(original)
    set_default_application(mimeapps, MIME_TYPE, DESKTOP_FILE)
    set_default_application(mimeapps, MIME_TYPE, DESKTOP_FILE)  # twice: no duplicate
    text = mimeapps.read_text()
    assert f"{MIME_TYPE}={DESKTOP_FILE};other.desktop;\n" in text
    assert text.count(DESKTOP_FILE) == 1
    assert "text/html=firefox.desktop;" in text and "image/png=gimp.desktop;" in text
    assert unset_default_application(mimeapps, MIME_TYPE, DESKTOP_FILE)
    assert mimeapps.read_text() == original
    assert not unset_default_application(mimeapps, MIME_TYPE, DESKTOP_FILE)


def test_default_application_group_is_added_and_removed_again(tmp_path: Path) -> None:
    mimeapps = tmp_path / "mimeapps.list"
    mimeapps.write_text("[Added Associations]\ntext/plain=gedit.desktop;\n")
    set_default_application(mimeapps, MIME_TYPE, DESKTOP_FILE)
    assert mimeapps.read_text() == (
        "[Added Associations]\ntext/plain=gedit.desktop;\n\n"
        f"[Default Applications]\n{MIME_TYPE}={DESKTOP_FILE};\n"
    )
    unset_default_application(mimeapps, MIME_TYPE, DESKTOP_FILE)
    assert mimeapps.read_text() == "[Added Associations]\ntext/plain=gedit.desktop;\n"


# -- install / uninstall ------------------------------------------------------------------------
@needs_tools
def test_install_writes_valid_files_and_makes_the_app_the_default(
    xdg: XdgDirs, tmp_path: Path
) -> None:
    command = [str(ROOT / ".venv" / "bin" / "capex-gui")]
    report = install_desktop(xdg, command)

    assert set(report.written) == set(xdg.installed_files())
    assert all(p.is_file() for p in xdg.installed_files())
    entry = xdg.desktop_entry.read_text()
    assert f"Exec={command[0]} %f\n" in entry
    assert f"MimeType={MIME_TYPE};\n" in entry
    assert "Icon=capex-gui\n" in entry
    proc = subprocess.run(
        ["desktop-file-validate", str(xdg.desktop_entry)], capture_output=True, text=True
    )
    assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout + proc.stderr
    assert xdg_mime_default(xdg, tmp_path) == DESKTOP_FILE
    # the MIME database knows the type by name and, for a file without the extension, by content
    assert (xdg.mime / "application" / "x-capex.xml").is_file()
    assert qt_mime_type(xdg, tmp_path, tmp_path / "report.capex") == MIME_TYPE
    ours = tmp_path / "renamed-database"
    create_sample_database(ours).close()
    assert qt_mime_type(xdg, tmp_path, ours) == MIME_TYPE
    other = tmp_path / "someone-elses-database"
    sqlite3.connect(other).execute("create table t (x)").connection.close()
    assert qt_mime_type(xdg, tmp_path, other) == "application/vnd.sqlite3"
    assert any("update-mime-database" in note for note in report.notes)
    assert not any("desktop-file-validate" in note for note in report.notes)


@needs_tools
def test_uninstall_removes_exactly_what_install_wrote(xdg: XdgDirs, tmp_path: Path) -> None:
    xdg.applications.mkdir(parents=True)
    neighbour = xdg.applications / "other.desktop"
    neighbour.write_text("[Desktop Entry]\nType=Application\nName=Other\nExec=other\n")
    xdg.config_home.mkdir(parents=True)
    xdg.mimeapps_list.write_text("[Default Applications]\ntext/plain=other.desktop;\n")
    install_desktop(xdg, ["/opt/capex-gui/capex-gui"])

    report = uninstall_desktop(xdg)

    assert set(report.removed) == set(xdg.installed_files())
    assert not any(p.exists() for p in xdg.installed_files())
    assert neighbour.exists()
    assert xdg.mimeapps_list.read_text() == "[Default Applications]\ntext/plain=other.desktop;\n"
    assert not list(xdg.hicolor.rglob("*.png"))
    assert not (xdg.mime / "application" / "x-capex.xml").exists()
    assert xdg_mime_default(xdg, tmp_path) == ""
    again = uninstall_desktop(xdg)
    assert not again.removed and "nothing to remove" in again.lines()[0]


def test_missing_cache_tools_are_reported_not_fatal(
    xdg: XdgDirs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    report = install_desktop(xdg, ["/opt/capex-gui/capex-gui"])
    assert xdg.desktop_entry.is_file()
    assert "skipped update-mime-database (not installed)" in report.notes
    uninstall_desktop(xdg)
    assert not xdg.desktop_entry.exists()


def test_other_platforms_are_told_to_use_the_bundle(
    xdg: XdgDirs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(desktop.sys, "platform", "win32")
    with pytest.raises(DesktopIntegrationError, match="standalone app"):
        install_desktop(xdg)
    assert not xdg.data_home.exists()


def test_xdg_dirs_default_under_home_and_ignore_relative_values() -> None:
    dirs = XdgDirs.from_environment({"HOME": "/home/u", "XDG_DATA_HOME": "relative/dir"})
    assert dirs.data_home == Path("/home/u/.local/share")
    assert dirs.config_home == Path("/home/u/.config")


@needs_tools
def test_command_line_install_and_uninstall(xdg: XdgDirs, tmp_path: Path) -> None:
    """As a user runs it: ``python -m capex_gui install-desktop`` names the capex-gui script."""
    env = xdg_env(xdg, tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "capex_gui", "install-desktop"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert f"wrote {xdg.desktop_entry}" in proc.stdout
    script = Path(sys.executable).parent / "capex-gui"
    if script.exists():  # an installed (pip / editable) app has its script beside python
        assert f"Exec={script} %f" in xdg.desktop_entry.read_text()
    assert xdg_mime_default(xdg, tmp_path) == DESKTOP_FILE
    proc = subprocess.run(
        [sys.executable, "-m", "capex_gui", "uninstall-desktop"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert f"removed {xdg.desktop_entry}" in proc.stdout
    assert not xdg.desktop_entry.exists()
