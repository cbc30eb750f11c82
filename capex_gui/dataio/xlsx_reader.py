"""Excel workbooks (.xlsx), read with openpyxl in read-only mode: streamed and bounded.

Before openpyxl sees the file, its zip directory is checked: too many parts, too much declared
unpacked data, or a part that would unpack to hundreds of times its packed size (a zip bomb)
are refused with a sentence, without unpacking anything. Python's ``zipfile`` never produces
more than a part's declared size, so the check holds even when the sizes lie. XML entity
declarations (billion-laughs bombs) are refused by defusedxml, which openpyxl uses once
installed (a dependency of ours).
"""

from __future__ import annotations

import zipfile
from datetime import timedelta
from typing import TYPE_CHECKING, Any, BinaryIO
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException

from capex_gui.dataio.tabular import (
    PROBE_ROWS,
    Cell,
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

#: Most parts a workbook may have.
MAX_PARTS = 10_000
#: Most bytes all parts may unpack to, together.
MAX_UNPACKED = 2 * 1024**3
#: Most bytes one part that openpyxl reads whole (shared strings, styles...) may unpack to.
MAX_WHOLE_PART = 256 * 1024**2
#: Largest unpacked/packed ratio of a sizeable part; real sheets stay far below it.
MAX_RATIO = 250
#: Parts smaller than this are never called bombs, whatever their ratio.
RATIO_FLOOR = 1024**2


def _mib(n: int) -> str:
    return f"{n / 1024**2:,.0f} MB"


def check_zip(path: Path) -> None:
    """Refuse a zip whose directory promises too much (a zip bomb) before anything is unpacked."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError):
        raise TableFileError(f"{path.name} is not a valid Excel workbook (a damaged zip)") from None
    if len(infos) > MAX_PARTS:
        raise TableFileError(f"{path.name} has {len(infos):,} parts; a workbook has far fewer")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED:
        raise TableFileError(
            f"{path.name} would unpack to {_mib(total)}, more than the {_mib(MAX_UNPACKED)} "
            "this app reads: it was refused unopened (a zip bomb?)"
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise TableFileError(
                f"{path.name} looks like a zip bomb: its part {info.filename} would unpack "
                f"{ratio:,.0f} times over, to {_mib(info.file_size)}; it was refused unopened"
            )
        whole = not info.filename.startswith("xl/worksheets/")
        if whole and info.file_size > MAX_WHOLE_PART:
            raise TableFileError(
                f"{path.name} has a part ({info.filename}) of {_mib(info.file_size)}, more than "
                f"the {_mib(MAX_WHOLE_PART)} this app reads"
            )


def _cell(value: Any) -> Cell:
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, str):
        return value
    return value


class XlsxSource:
    """One worksheet of a workbook, opened for streaming."""

    kind = "XLSX"
    decimal_comma = False

    def __init__(
        self, path: Path, *, sheet: str | None = None, score: HeaderScore | None = None
    ) -> None:
        self.path = path
        check_zip(path)
        self._rows_read = 0
        self._row_total = 0
        with self._workbook() as book:
            names = list(book.sheetnames)
            if sheet is not None and sheet not in names:
                raise TableFileError(f"{path.name} has no sheet called “{sheet}”")
            self.sheet_names: tuple[str, ...] = tuple(names)
            self.sheet = sheet or self._first_sheet_with_data(book)
            probe: list[tuple[Cell, ...]] = []
            lines: list[int] = []
            for line, cells in self._numbered(book):
                probe.append(cells)
                lines.append(line)
                if len(probe) >= PROBE_ROWS:
                    break
        if not probe:
            raise TableFileError(f"the sheet “{self.sheet}” of {path.name} is empty")
        at = find_header(probe, score)
        self.headers = header_names(probe[at])
        self.header_line = lines[at]

    # -- opening ----------------------------------------------------------------------------
    def _workbook(self) -> _Workbook:
        return _Workbook(self.path)

    def _first_sheet_with_data(self, book: _Workbook) -> str:
        for name in book.sheetnames:
            ws = book.book[name]
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            for row in ws.iter_rows(values_only=True):
                if not is_blank(row):
                    return str(name)
        raise TableFileError(f"{self.path.name} has no sheet with any data")

    def _numbered(self, book: _Workbook) -> Iterator[tuple[int, tuple[Cell, ...]]]:
        ws = book.book[self.sheet]
        self._row_total = int(getattr(ws, "max_row", 0) or 0)
        for line, row in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
            self._rows_read = line
            if is_blank(row):
                continue
            yield line, tuple(_cell(v) for v in row)

    # -- reading ----------------------------------------------------------------------------
    def rows(self) -> Iterator[TableRow]:
        """Data rows below the header (blank rows skipped), numbered as Excel numbers them."""
        with self._workbook() as book:
            for line, cells in self._numbered(book):
                if line > self.header_line:
                    yield TableRow(line, cells)
        self._rows_read = 0

    def progress(self) -> float:
        """Share of the sheet's rows read by the running ``rows()`` pass."""
        if not self._row_total:
            return 0.0
        return min(self._rows_read / self._row_total, 1.0)

    def describe(self) -> str:
        """e.g. 'XLSX, sheet “Capex”'."""
        return f"XLSX, sheet “{self.sheet}”"


class _Workbook:
    """openpyxl's read-only workbook as a context manager; its failures become TableFileError."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.book: Any = None
        self._file: BinaryIO | None = None

    @property
    def sheetnames(self) -> list[str]:
        return list(self.book.sheetnames)

    def __enter__(self) -> _Workbook:
        from openpyxl import load_workbook

        # The file is ours to close: when openpyxl fails half-way through reading a workbook it
        # leaves its ZipFile (and so a path's file handle) open.
        try:
            self._file = self.path.open("rb")
            self.book = load_workbook(self._file, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file it cannot read
            if self._file is not None:
                self._file.close()
            if _caused_by(exc, DefusedXmlException):
                raise TableFileError(
                    f"{self.path.name} contains XML entity declarations (an XML bomb?); "
                    "it was refused unread"
                ) from None
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise TableFileError(
                f"{self.path.name} is not an Excel workbook this app can read ({first})"
            ) from None
        return self

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        if self.book is not None:
            self.book.close()
        if self._file is not None:
            self._file.close()
        if exc is not None and _caused_by(exc, DefusedXmlException):
            raise TableFileError(
                f"{self.path.name} contains XML entity declarations (an XML bomb?); it was refused"
            ) from None
        if isinstance(exc, zipfile.BadZipFile | ParseError | KeyError):
            raise TableFileError(f"{self.path.name} is damaged ({exc})") from None


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    """True when *exc* or anything in its chain of causes is a *kind*."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
