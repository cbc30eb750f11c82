"""Keep spreadsheets from running text as a formula (CSV / formula injection).

A spreadsheet that opens a CSV, or receives pasted text, runs a cell that starts with ``=``,
``+``, ``-`` or ``@`` as a formula (tab and CR lead to the same in some of them), so a
company called ``=HYPERLINK("http://x","y")`` would become a live link. ``neutralise`` puts
an apostrophe in front of such text, which spreadsheets show as the text itself; numbers are
written by the caller as numbers and never pass through here. ``restore`` undoes it on import.
"""

from __future__ import annotations

#: First characters that make a spreadsheet read a cell as a formula.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: What goes in front of such text.
PREFIX = "'"


def is_dangerous(text: str) -> bool:
    """True when a spreadsheet would run *text* as a formula."""
    return text.startswith(TRIGGERS)


def neutralise(text: str) -> str:
    """*text*, prefixed with an apostrophe when a spreadsheet would run it."""
    return PREFIX + text if is_dangerous(text) else text


def restore(text: str) -> str:
    """Undo ``neutralise``: drop the apostrophe in front of text that needed one."""
    if text.startswith(PREFIX) and is_dangerous(text[len(PREFIX) :]):
        return text[len(PREFIX) :]
    return text
