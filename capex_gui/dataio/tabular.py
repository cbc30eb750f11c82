"""What every table reader gives: a header, typed cells per row, and the line each row is on.

Readers stream: ``rows()`` opens the file afresh and yields one row at a time, so a 50 MB file
never sits in memory. ``open_table`` picks the reader by the file's content, not its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeAlias

from openpyxl.utils import get_column_letter

from capex_gui.errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

#: A cell as a reader gives it: text from CSV; text, numbers, dates or booleans from XLSX.
Cell: TypeAlias = str | int | float | Decimal | datetime | date | time | bool | None

#: Rows looked at to find the header and the shape of the table.
PROBE_ROWS = 50
#: Rows a preview shows.
PREVIEW_ROWS = 20

#: Scores a candidate header row (how many of its cells name a known field).
HeaderScore: TypeAlias = "Callable[[Sequence[str]], int]"


class TableFileError(ValidationError):
    """A file that cannot be read as a table at all (the message says why, in one sentence)."""


@dataclass(frozen=True, slots=True)
class TableRow:
    """One data row: the line (CSV) or row number (XLSX) it starts on, and its cells."""

    line: int
    cells: tuple[Cell, ...]

    def cell(self, index: int) -> Cell:
        """The cell in column *index* (None past the row's end)."""
        return self.cells[index] if index < len(self.cells) else None


class TableSource(Protocol):
    """A table file opened for reading."""

    path: Path
    kind: str  # "CSV" or "XLSX"
    headers: tuple[str, ...]
    header_line: int
    #: Numbers in text cells write the decimal point as a comma ("1.234,5").
    decimal_comma: bool

    def rows(self) -> Iterator[TableRow]:
        """The data rows below the header, read from the file afresh (blank rows skipped)."""
        ...

    def progress(self) -> float:
        """How far the current ``rows()`` pass has read, from 0 to 1."""
        ...

    def describe(self) -> str:
        """One line for the user: kind, encoding or sheet, delimiter."""
        ...


def column_label(index: int, headers: Sequence[str]) -> str:
    """How a column is named in messages: 'C “Amount”' (or just 'C' for a blank header)."""
    letter = get_column_letter(index + 1)
    name = headers[index] if index < len(headers) else ""
    return f"{letter} “{name}”" if name else letter


def is_blank(cells: Sequence[Cell]) -> bool:
    """True for a row with nothing in it but empty cells and spaces."""
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def cell_text(cell: Cell) -> str:
    """A cell as text, the way a header or a message shows it."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime) and cell.time() == time():
        return cell.date().isoformat()
    if isinstance(cell, date | time):
        return cell.isoformat()
    return str(cell)


def header_names(cells: Sequence[Cell]) -> tuple[str, ...]:
    """Header texts with spaces squeezed; trailing blank headers dropped."""
    names = [" ".join(cell_text(c).split()) for c in cells]
    while names and not names[-1]:
        names.pop()
    return tuple(names)


def find_header(probe: Sequence[Sequence[Cell]], score: HeaderScore | None) -> int:
    """Index of the header among the first rows of a table (skipping title lines).

    The header is the first row naming the most known fields (at least two); without such a
    row, the first row as wide as the table whose cells are all text. Raises TableFileError
    when no row looks like a header.
    """
    texts = [header_names(row) for row in probe]
    if score is not None:
        scores = [score(t) for t in texts]
        best = max(scores, default=0)
        if best >= 2:
            return scores.index(best)
    widths = [sum(1 for t in row if t) for row in texts]
    wide = max(widths, default=0)
    if wide < 2:
        raise TableFileError(
            "this file does not look like a table: no row has two or more filled cells"
        )
    for index, row in enumerate(probe):
        filled = [c for c in row if c is not None and cell_text(c).strip()]
        if len(filled) >= max(2, (wide + 1) // 2) and all(isinstance(c, str) for c in filled):
            return index
    raise TableFileError(
        "this file has no header row: the first row of the table should name its columns"
    )


def open_table(
    path: Path | str, *, sheet: str | None = None, score: HeaderScore | None = None
) -> TableSource:
    """Open *path* as a table: XLSX when it is a zip, else delimited text (CSV, TSV).

    Raises TableFileError with a sentence for the user when the file cannot be read as one.
    """
    from capex_gui.dataio.csv_reader import CsvSource
    from capex_gui.dataio.xlsx_reader import XlsxSource

    path = Path(path)
    try:
        with path.open("rb") as handle:
            magic = handle.read(8)
    except FileNotFoundError:
        raise TableFileError(f"there is no file at {path}") from None
    except IsADirectoryError:
        raise TableFileError(f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise TableFileError(f"{path} cannot be read: {exc.strerror or exc}") from None
    if not magic:
        raise TableFileError(f"{path.name} is empty (0 bytes)")
    if magic.startswith(b"PK\x03\x04") or magic.startswith(b"PK\x05\x06"):
        return XlsxSource(path, sheet=sheet, score=score)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableFileError(
            f"{path.name} is an old Excel 97–2003 (.xls) file: save it as .xlsx or CSV first"
        )
    return CsvSource(path, score=score)


__all__ = [
    "Cell",
    "Decimal",
    "TableFileError",
    "TableRow",
    "TableSource",
    "cell_text",
    "column_label",
    "find_header",
    "header_names",
    "is_blank",
    "open_table",
]
