"""Linux desktop integration per user, without root: menu entry, icon, ``.capex`` file type.

``capex-gui install-desktop`` writes, under ``$XDG_DATA_HOME`` (default ``~/.local/share``):

- ``applications/capex-gui.desktop``: the menu entry; ``Exec`` runs this installation (the
  ``capex-gui`` script of a pip install, or the bundle's executable) with ``%f``;
- ``icons/hicolor/<N>x<N>/apps/capex-gui.png`` and ``icons/hicolor/scalable/apps/capex-gui.svg``;
- ``mime/packages/capex-gui.xml``: the ``application/x-capex`` type (glob ``*.capex``, and magic:
  the SQLite header with our ``application_id`` at offset 68);

and names ``capex-gui.desktop`` the default for ``application/x-capex`` in
``$XDG_CONFIG_HOME/mimeapps.list`` (default ``~/.config``). Then it refreshes the caches with
``update-mime-database`` and ``update-desktop-database`` where they exist (a missing tool is
reported, never an error). An icon-theme cache is only refreshed if one exists already: creating
one in a per-user theme would hide icons other programs add later without refreshing it.

``capex-gui uninstall-desktop`` removes exactly those files and our line in ``mimeapps.list``,
then refreshes the same caches.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from capex_gui import APP_ID, APP_NAME
from capex_gui.errors import CapexError
from capex_gui.resources import ICON_SIZES, icon_path

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

logger = logging.getLogger(__name__)

DESKTOP_FILE = f"{APP_ID}.desktop"
MIME_TYPE = "application/x-capex"
#: ``PRAGMA application_id`` of a .capex file (storage.sqlite.APPLICATION_ID), for the MIME magic.
SQLITE_APPLICATION_ID = 0x43415058
DEFAULT_APPS_GROUP = "[Default Applications]"
MARKER = f"# Written by {APP_ID} install-desktop; {APP_ID} uninstall-desktop removes it."


class DesktopIntegrationError(CapexError):
    """Desktop integration is not possible here (not a freedesktop desktop, unwritable folder)."""


@dataclass(frozen=True)
class XdgDirs:
    """The per-user base folders of the XDG Base Directory specification."""

    data_home: Path
    config_home: Path

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None) -> XdgDirs:
        """``$XDG_DATA_HOME`` and ``$XDG_CONFIG_HOME``, or their defaults under ``~``."""
        env = os.environ if env is None else env
        home = Path(env.get("HOME") or Path.home())
        data = env.get("XDG_DATA_HOME") or ""
        config = env.get("XDG_CONFIG_HOME") or ""
        # the spec says relative values are invalid and must be ignored
        return cls(
            data_home=Path(data) if os.path.isabs(data) else home / ".local" / "share",
            config_home=Path(config) if os.path.isabs(config) else home / ".config",
        )

    @property
    def applications(self) -> Path:
        """Folder of desktop entries."""
        return self.data_home / "applications"

    @property
    def hicolor(self) -> Path:
        """The per-user hicolor icon theme."""
        return self.data_home / "icons" / "hicolor"

    @property
    def mime(self) -> Path:
        """The per-user shared-mime-info database."""
        return self.data_home / "mime"

    @property
    def desktop_entry(self) -> Path:
        """Our desktop entry."""
        return self.applications / DESKTOP_FILE

    @property
    def mime_package(self) -> Path:
        """Our shared-mime-info package."""
        return self.mime / "packages" / f"{APP_ID}.xml"

    @property
    def mimeapps_list(self) -> Path:
        """The user's default-application choices."""
        return self.config_home / "mimeapps.list"

    def icon_targets(self) -> list[tuple[Path, Path]]:
        """(bundled source, theme target) for every icon file installed."""
        pairs = [
            (icon_path(size), self.hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png")
            for size in ICON_SIZES
        ]
        pairs.append((icon_path(None), self.hicolor / "scalable" / "apps" / f"{APP_ID}.svg"))
        return pairs

    def installed_files(self) -> list[Path]:
        """Every file install writes (mimeapps.list is edited, not owned, so it is not listed)."""
        return [
            self.desktop_entry,
            self.mime_package,
            *(target for _source, target in self.icon_targets()),
        ]


@dataclass
class DesktopReport:
    """What install or uninstall did, for the command line to print."""

    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    edited: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Human-readable lines, one per file or note."""
        return (
            [f"wrote {p}" for p in self.written]
            + [f"removed {p}" for p in self.removed]
            + [f"updated {p}" for p in self.edited]
            + self.notes
        )


# -- what goes in the files ---------------------------------------------------------------------
def is_freedesktop_platform() -> bool:
    """Linux and the BSDs use freedesktop.org desktop entries and MIME packages."""
    return sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd", "dragonfly"))


def launch_command() -> list[str]:
    """The command that starts this installation of the app, as absolute paths.

    The bundle's executable when frozen (PyInstaller); else the ``capex-gui`` script this process
    was started as, the one beside this Python, the one on PATH, or ``python -m capex_gui``.
    """
    if getattr(sys, "frozen", False):
        return [os.path.abspath(sys.executable)]
    names = {APP_ID, f"{APP_ID}.exe"}
    argv0 = sys.argv[0] if sys.argv else ""
    if argv0 and os.path.basename(argv0) in names and os.path.isfile(argv0):
        return [os.path.abspath(argv0)]
    beside = Path(sys.executable).parent / APP_ID
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside.absolute())]
    found = shutil.which(APP_ID)
    if found:
        return [os.path.abspath(found)]
    return [os.path.abspath(sys.executable), "-m", "capex_gui"]


_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def exec_quote(arg: str) -> str:
    """One argument of an ``Exec`` key, quoted as the Desktop Entry spec wants (before the
    string-value escaping of the whole line)."""
    arg = arg.replace("%", "%%")
    if arg and not any(ch in _RESERVED for ch in arg):
        return arg
    escaped = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg)
    return f'"{escaped}"'


def exec_value(command: Sequence[str]) -> str:
    """The ``Exec`` value running *command* on one file (``%f``), escaped for the file."""
    line = " ".join(exec_quote(arg) for arg in command) + " %f"
    return line.replace("\\", "\\\\")


def desktop_entry_text(command: Sequence[str]) -> str:
    """The ``capex-gui.desktop`` file for *command*."""
    try_exec = command[0].replace("\\", "\\\\")
    return "\n".join(
        [
            MARKER,
            "[Desktop Entry]",
            "Type=Application",
            "Version=1.4",
            f"Name={APP_NAME}",
            "GenericName=Investment Tracker",
            "Comment=Track AI-infrastructure investments and chip orders with their sources, "
            "and chart them",
            f"Icon={APP_ID}",
            f"TryExec={try_exec}",
            f"Exec={exec_value(command)}",
            "Terminal=false",
            "StartupNotify=true",
            "Categories=Office;Finance;Qt;",
            f"MimeType={MIME_TYPE};",
            "Keywords=capex;AI;chips;GPU;investment;spending;",
            "",
        ]
    )


def mime_package_text() -> str:
    """The shared-mime-info package declaring ``application/x-capex``."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- {MARKER[2:]} -->
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="{MIME_TYPE}">
    <comment>{APP_NAME} database</comment>
    <sub-class-of type="application/vnd.sqlite3"/>
    <icon name="{APP_ID}"/>
    <glob pattern="*.capex"/>
    <magic priority="60">
      <match type="string" offset="0" value="SQLite format 3\\000">
        <match type="big32" offset="68" value="0x{SQLITE_APPLICATION_ID:08x}"/>
      </match>
    </magic>
  </mime-type>
</mime-info>
"""


# -- mimeapps.list ------------------------------------------------------------------------------
def _group_span(lines: list[str], header: str) -> tuple[int, int] | None:
    """Index of *header* and the index just past its last line, or None if absent."""
    for start, line in enumerate(lines):
        if line.strip() == header:
            end = start + 1
            while end < len(lines) and not lines[end].lstrip().startswith("["):
                end += 1
            return start, end
    return None


def _ids(line: str, key: str) -> list[str]:
    return [d.strip() for d in line[len(key) :].split(";") if d.strip()]


def set_default_application(mimeapps: Path, mime_type: str, desktop_id: str) -> None:
    """Make *desktop_id* the first default for *mime_type*, keeping every other line."""
    lines = mimeapps.read_text(encoding="utf-8").splitlines() if mimeapps.exists() else []
    key = f"{mime_type}="
    span = _group_span(lines, DEFAULT_APPS_GROUP)
    if span is None:
        if lines and lines[-1].strip():
            lines.append("")
        lines += [DEFAULT_APPS_GROUP, f"{key}{desktop_id};"]
    else:
        start, end = span
        for i in range(start + 1, end):
            if lines[i].startswith(key):
                others = [d for d in _ids(lines[i], key) if d != desktop_id]
                lines[i] = key + ";".join([desktop_id, *others]) + ";"
                break
        else:
            while end > start + 1 and not lines[end - 1].strip():
                end -= 1
            lines.insert(end, f"{key}{desktop_id};")
    mimeapps.parent.mkdir(parents=True, exist_ok=True)
    mimeapps.write_text("\n".join(lines) + "\n", encoding="utf-8")


def unset_default_application(mimeapps: Path, mime_type: str, desktop_id: str) -> bool:
    """Take *desktop_id* out of the defaults for *mime_type*; True if the file changed.

    A ``[Default Applications]`` group left empty is dropped, and a file left empty deleted.
    """
    if not mimeapps.exists():
        return False
    lines = mimeapps.read_text(encoding="utf-8").splitlines()
    span = _group_span(lines, DEFAULT_APPS_GROUP)
    if span is None:
        return False
    start, end = span
    key = f"{mime_type}="
    changed = False
    for i in range(start + 1, end):
        if lines[i].startswith(key) and desktop_id in _ids(lines[i], key):
            rest = [d for d in _ids(lines[i], key) if d != desktop_id]
            lines[i] = key + ";".join(rest) + ";" if rest else ""
            changed = True
    if not changed:
        return False
    body = [line for line in lines[start + 1 : end] if line.strip()]
    if body:
        lines[start + 1 : end] = [*body, *([""] if end < len(lines) else [])]
    else:
        del lines[start:end]
    while lines and not lines[-1].strip():
        lines.pop()
    if lines:
        mimeapps.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        mimeapps.unlink()
    return True


# -- caches -------------------------------------------------------------------------------------
def _run_tool(args: list[str]) -> str:
    """Run a cache tool if it is installed; a note saying what happened."""
    tool = shutil.which(args[0])
    if tool is None:
        return f"skipped {args[0]} (not installed)"
    try:
        proc = subprocess.run(
            [tool, *args[1:]], capture_output=True, text=True, timeout=120, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        logger.warning("%s failed: %s", args[0], exc)
        return f"{args[0]} failed: {exc}"
    if proc.returncode != 0:
        logger.warning("%s exited %s: %s", args[0], proc.returncode, proc.stderr.strip())
        return f"{args[0]} exited with {proc.returncode}: {proc.stderr.strip()}"
    return f"ran {' '.join(args)}"


def refresh_caches(dirs: XdgDirs) -> list[str]:
    """Bring the MIME, desktop-entry and icon caches up to date; notes of what ran."""
    notes = []
    if dirs.mime.is_dir():
        notes.append(_run_tool(["update-mime-database", str(dirs.mime)]))
    if dirs.applications.is_dir():
        notes.append(_run_tool(["update-desktop-database", "-q", str(dirs.applications)]))
    if (dirs.hicolor / "icon-theme.cache").exists():
        notes.append(_run_tool(["gtk-update-icon-cache", "-f", "-t", "-q", str(dirs.hicolor)]))
    elif dirs.hicolor.is_dir():
        os.utime(dirs.hicolor)  # icon loaders rescan a theme folder whose time changed
    return notes


def validate_desktop_entry(path: Path) -> str | None:
    """``desktop-file-validate``'s complaints about *path*; None if it passed or is missing."""
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        return None
    proc = subprocess.run([tool, str(path)], capture_output=True, text=True, check=False)
    output = (proc.stdout + proc.stderr).strip()
    return output if proc.returncode != 0 or output else None


# -- install / uninstall ------------------------------------------------------------------------
def _check_platform() -> None:
    if not is_freedesktop_platform():
        raise DesktopIntegrationError(
            "install-desktop is for Linux (freedesktop.org) desktops. On Windows and macOS, "
            "use the standalone app (see packaging/README.md): it registers .capex files itself."
        )


def install_desktop(
    dirs: XdgDirs | None = None, command: Sequence[str] | None = None
) -> DesktopReport:
    """Write the desktop entry, icons and MIME type for this user and refresh the caches."""
    _check_platform()
    dirs = XdgDirs.from_environment() if dirs is None else dirs
    command = launch_command() if command is None else list(command)
    report = DesktopReport()
    try:
        for source, target in dirs.icon_targets():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            report.written.append(target)
        dirs.mime_package.parent.mkdir(parents=True, exist_ok=True)
        dirs.mime_package.write_text(mime_package_text(), encoding="utf-8")
        report.written.append(dirs.mime_package)
        dirs.applications.mkdir(parents=True, exist_ok=True)
        dirs.desktop_entry.write_text(desktop_entry_text(command), encoding="utf-8")
        report.written.append(dirs.desktop_entry)
        set_default_application(dirs.mimeapps_list, MIME_TYPE, DESKTOP_FILE)
        report.edited.append(dirs.mimeapps_list)
    except OSError as exc:
        raise DesktopIntegrationError(f"could not write {exc.filename}: {exc.strerror}") from exc
    problems = validate_desktop_entry(dirs.desktop_entry)
    if problems:
        report.notes.append(f"desktop-file-validate: {problems}")
    report.notes.extend(refresh_caches(dirs))
    report.notes.append(f"{MIME_TYPE} (*.capex) files now open with: {' '.join(command)}")
    return report


def uninstall_desktop(dirs: XdgDirs | None = None) -> DesktopReport:
    """Remove what :func:`install_desktop` wrote and refresh the caches."""
    _check_platform()
    dirs = XdgDirs.from_environment() if dirs is None else dirs
    report = DesktopReport()
    try:
        for path in dirs.installed_files():
            if path.is_file() or path.is_symlink():
                path.unlink()
                report.removed.append(path)
        for _source, target in dirs.icon_targets():
            _remove_empty_dirs(target.parent, stop=dirs.hicolor)
        if unset_default_application(dirs.mimeapps_list, MIME_TYPE, DESKTOP_FILE):
            report.edited.append(dirs.mimeapps_list)
    except OSError as exc:
        raise DesktopIntegrationError(f"could not remove {exc.filename}: {exc.strerror}") from exc
    if not report.removed and not report.edited:
        report.notes.append("nothing to remove: the desktop integration was not installed")
    report.notes.extend(refresh_caches(dirs))
    return report


def _remove_empty_dirs(folder: Path, *, stop: Path) -> None:
    """Remove *folder* and its parents up to (not including) *stop* while they are empty."""
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty, or gone
            return
        folder = folder.parent
