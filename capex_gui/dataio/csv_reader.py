"""Delimited text tables as spreadsheets and other tools write them, read with stdlib ``csv``.

- Encoding: a BOM decides (UTF-8, UTF-16, UTF-32); without one, UTF-8 when the whole file
  decodes as UTF-8, UTF-16 when every other byte of the start is NUL, else Windows-1252.
- Delimiter: Excel's ``sep=;`` line when there is one, else whichever of comma, semicolon and
  tab splits the first rows into the most rows of the same width (each candidate is parsed by
  ``csv``, so quoted delimiters and newlines count right).
- Decimal commas: in a semicolon file (a European-locale spreadsheet) unless the numbers in its
  first rows use decimal points.
- Title lines above the header are skipped; blank lines anywhere are skipped; each row keeps the
  line it starts on.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from typing import IO, TYPE_CHECKING

from capex_gui.dataio.tabular import (
    PROBE_ROWS,
    HeaderScore,
    TableFileError,
    TableRow,
    find_header,
    header_names,
    is_blank,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

#: Bytes read to sniff the encoding, delimiter and header.
SAMPLE_BYTES = 256 * 1024
#: Longest cell accepted (csv's own limit; a bigger one is a broken file, e.g. a stray quote).
MAX_CELL = csv.field_size_limit()
#: Delimiters tried, in order of preference when they tie.
DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "utf-32": "UTF-32",
    "cp1252": "Windows-1252",
}
_COMMA_DECIMAL = re.compile(r"^[^\d]*\d{1,3}(?:[. \u00a0\u202f]\d{3})*,\d+\D*$")
_POINT_DECIMAL = re.compile(r"^[^\d]*\d+\.\d{1,2}\D*$|^[^\d]*\d{1,3}(?:,\d{3})+\.\d+\D*$")


def _control_ratio(data: bytes) -> float:
    """Share of bytes that no text file has (NUL and other C0 controls but tab, CR, LF, FF)."""
    if not data:
        return 0.0
    bad = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    return bad / len(data)


def detect_encoding(path: Path) -> str:
    """The Python codec to read *path* with; TableFileError for a binary file."""
    with path.open("rb") as handle:
        head = handle.read(SAMPLE_BYTES)
        for bom, codec in _BOMS:
            if head.startswith(bom):
                return codec
        if b"\x00" in head:
            even, odd = head[0::2], head[1::2]
            if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
                return "utf-16-le"
            if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
                return "utf-16-be"
        if _control_ratio(head) > 0.01:
            raise TableFileError(f"{path.name} is not a text table: it looks like a binary file")
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            pass
        else:
            return "utf-8"
        handle.seek(0)
        fallback = codecs.getincrementaldecoder("cp1252")("strict")
        try:
            while chunk := handle.read(1 << 20):
                fallback.decode(chunk)
        except UnicodeDecodeError:
            raise TableFileError(
                f"{path.name} is neither UTF-8 nor Windows-1252 text: save it as UTF-8 CSV"
            ) from None
        return "cp1252"


def _records(text: str, delimiter: str, *, complete: bool) -> list[list[str]]:
    """Rows of *text* split by *delimiter* (the last one dropped unless *complete*)."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    out: list[list[str]] = []
    try:
        for row in reader:
            out.append(row)
            if len(out) > PROBE_ROWS * 4:
                return out
    except csv.Error:
        pass
    if not complete and out:
        out.pop()
    return out


def sniff_delimiter(sample: str, *, complete: bool) -> str:
    """The delimiter that gives the most rows of one width (two columns or more)."""
    best: tuple[int, int, int] = (0, 0, 0)
    chosen = ""
    for rank, delimiter in enumerate(DELIMITERS):
        widths = Counter(
            len(r) for r in _records(sample, delimiter, complete=complete) if not is_blank(r)
        )
        width, count = max(widths.items(), key=lambda kv: (kv[1], kv[0]), default=(0, 0))
        if width < 2:
            continue
        score = (count, width, -rank)
        if score > best:
            best, chosen = score, delimiter
    if not chosen:
        raise TableFileError(
            "this file does not look like a table: no commas, semicolons or tabs separate "
            "its columns"
        )
    return chosen


def uses_decimal_comma(rows: list[list[str]]) -> bool:
    """True when numbers in *rows* write decimals with a comma and none with a point."""
    comma = point = 0
    for row in rows:
        for cell in row:
            text = cell.strip()
            if _COMMA_DECIMAL.match(text):
                comma += 1
            elif _POINT_DECIMAL.match(text):
                point += 1
    return comma > 0 or point == 0


class CsvSource:
    """A delimited text file opened for streaming."""

    kind = "CSV"

    def __init__(self, path: Path, *, score: HeaderScore | None = None) -> None:
        self.path = path
        self.encoding = detect_encoding(path)
        self._size = max(path.stat().st_size, 1)
        self._handle: IO[str] | None = None
        with self._open() as handle:
            sample = handle.read(SAMPLE_BYTES)
            complete = not handle.read(1)
        self._skip_lines = 0
        first_line, _, rest = sample.partition("\n")
        hint = first_line.strip().strip('"').lower()
        if hint.startswith("sep=") and len(hint) == 5:
            self.delimiter = first_line.strip().strip('"')[4]
            self._skip_lines = 1
            sample = rest
        else:
            self.delimiter = sniff_delimiter(sample, complete=complete)
        probe = [
            r
            for r in _records(sample, self.delimiter, complete=complete)[:PROBE_ROWS]
            if not is_blank(r)
        ]
        if not probe:
            raise TableFileError(f"{path.name} has no rows")
        at = find_header(probe, score)
        self.headers = header_names(probe[at])
        self._header_index = at
        self.decimal_comma = self.delimiter == ";" and uses_decimal_comma(probe[at + 1 :])
        self.header_line = 0
        for row in self._numbered():
            self.header_line = row.line
            break

    def _open(self) -> IO[str]:
        return self.path.open("r", encoding=self.encoding, newline="", errors="strict")

    def _numbered(self) -> Iterator[TableRow]:
        """Every non-blank record from the header on, with the line it starts on."""
        with self._open() as handle:
            self._handle = handle
            for _ in range(self._skip_lines):
                handle.readline()
            reader = csv.reader(handle, delimiter=self.delimiter, strict=True)
            seen = -1
            last_line = self._skip_lines
            try:
                for record in reader:
                    start = last_line + 1
                    last_line = self._skip_lines + reader.line_num
                    if is_blank(record):
                        continue
                    seen += 1
                    if seen < self._header_index:
                        continue
                    yield TableRow(start, tuple(record))
            except csv.Error as exc:
                raise TableFileError(
                    f"line {last_line + 1}: {_explain_csv_error(str(exc))}"
                ) from None
            except UnicodeDecodeError:
                raise TableFileError(
                    f"{self.path.name} is not readable as {_ENCODING_NAMES[self.encoding]} text "
                    "after its first part: save it as UTF-8 CSV"
                ) from None
            finally:
                self._handle = None

    def rows(self) -> Iterator[TableRow]:
        """Data rows below the header (blank lines skipped)."""
        numbered = self._numbered()
        next(numbered, None)  # the header
        yield from numbered

    def progress(self) -> float:
        """Share of the file read by the running ``rows()`` pass."""
        handle = self._handle
        if handle is None:
            return 0.0
        try:
            return min(handle.buffer.tell() / self._size, 1.0)  # type: ignore[attr-defined]
        except (OSError, ValueError, AttributeError):
            return 0.0

    def describe(self) -> str:
        """e.g. 'CSV, UTF-8 with BOM, semicolon-separated, decimal commas'."""
        parts = [
            "CSV",
            _ENCODING_NAMES.get(self.encoding, self.encoding),
            f"{_DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))}-separated",
        ]
        if self.decimal_comma:
            parts.append("decimal commas")
        return ", ".join(parts)


def _explain_csv_error(message: str) -> str:
    if "unexpected end of data" in message:
        return 'a quoted cell is never closed (a " without its partner)'
    if "expected after" in message:
        return "a quote is followed by more text in the same cell: quote the whole cell"
    if "field larger than field limit" in message:
        return f"a cell is longer than {MAX_CELL:,} characters"
    if "NUL" in message:
        return "the text contains NUL bytes: this is not a text table"
    return f"the file is not valid CSV here ({message})"
