"""Tab-separated blocks as spreadsheets put them on the clipboard."""

from __future__ import annotations

import csv
import io

from capex_gui.errors import ValidationError

#: Longest cell read from the clipboard (the csv module's own limit).
MAX_CELL_LENGTH = 131_072


def parse_tsv(text: str) -> list[list[str]]:
    """Tab-separated text from a spreadsheet (quoted cells allowed) as rows of cells.

    Raises ValidationError when a cell is longer than MAX_CELL_LENGTH or the quoting is broken.
    """
    text = text.replace("\r\n", "\n").rstrip("\n")
    if not text:
        return []
    try:
        return list(csv.reader(io.StringIO(text), delimiter="\t"))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ValidationError(
                f"a cell on the clipboard is too long (over {MAX_CELL_LENGTH:,} characters)"
            ) from None
        raise ValidationError(f"the clipboard does not hold spreadsheet cells ({exc})") from None
