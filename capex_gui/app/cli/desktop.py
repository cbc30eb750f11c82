"""``capex-gui install-desktop`` / ``uninstall-desktop``: the desktop entry for this user."""

from __future__ import annotations

from capex_gui.app.cli.base import command, fail, parser_for
from capex_gui.errors import CapexError

INSTALL_HELP = (
    "Add the app to your desktop's menu, with its icon, and open .capex files with it on "
    "double-click (Linux, for your user only, no root). Writes only under ~/.local/share and "
    "~/.config; capex-gui uninstall-desktop removes it again."
)
UNINSTALL_HELP = (
    "Remove what capex-gui install-desktop wrote: the menu entry, the icons and the .capex "
    "file type of your user (Linux). Files of yours are left alone."
)


def _run(argv: list[str], *, install: bool) -> int:
    name = "install-desktop" if install else "uninstall-desktop"
    parser_for(name, INSTALL_HELP if install else UNINSTALL_HELP).parse_args(argv)
    from capex_gui.app.desktop import install_desktop, uninstall_desktop

    try:
        report = install_desktop() if install else uninstall_desktop()
    except CapexError as exc:
        return fail(str(exc))
    print("\n".join(report.lines()))
    return 0


@command("install-desktop", "desktop entry, icon and .capex file type for your user (Linux)")
def cmd_install_desktop(argv: list[str]) -> int:
    """Desktop entry, icon and .capex file type for this user (Linux)."""
    return _run(argv, install=True)


@command("uninstall-desktop", "remove what install-desktop wrote")
def cmd_uninstall_desktop(argv: list[str]) -> int:
    """Remove what install-desktop wrote."""
    return _run(argv, install=False)
