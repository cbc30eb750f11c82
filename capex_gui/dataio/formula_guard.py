"""Keep spreadsheets from running text as a formula (CSV / formula injection).

A spreadsheet that opens a CSV, or receives pasted text, runs a cell that starts with ``=``,
``+``, ``-`` or ``@`` as a formula (tab and CR lead to the same in some of them), so a
company called ``=HYPERLINK("http://x","y")`` would become a live link. ``neutralise`` puts
an apostrophe in front of such text, which spreadsheets show as the text itself; numbers are
written by the caller as numbers and never pass through here. ``restore`` undoes it on import.
"""

from __future__ import annotations

import re

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


#: A number as the app writes it in a text copy: "-1,234.5", "40,000,000,000", "+3".
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


def neutralise_cell(text: str) -> str:
    """A cell for a text copy (clipboard): numbers stay numbers ("-5" is minus five), any other
    text a spreadsheet would run as a formula gets the apostrophe."""
    if _PLAIN_NUMBER.fullmatch(text):
        return text
    return neutralise(text)
