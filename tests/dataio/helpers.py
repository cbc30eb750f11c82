"""Builders of awkward files (made at test time, never committed) and a one-call reader."""

from __future__ import annotations

import struct
import zipfile
from typing import TYPE_CHECKING, Any

import openpyxl

from capex_gui.dataio.checking import check_file
from capex_gui.dataio.convert import ReferenceNames
from capex_gui.dataio.fields import ImportTable, header_score
from capex_gui.dataio.mapping import ColumnMapping
from capex_gui.dataio.tabular import open_table

if TYPE_CHECKING:
    from pathlib import Path

    from capex_gui.dataio.checking import CheckResult

NAMES = ReferenceNames.of(
    companies=["ByteDance", "Microsoft", "Tencent", "Alibaba"],
    suppliers=["Nvidia", "Huawei", "AMD"],
    categories=["AI chips", "Data centres", "Other"],
    regions=["China", "Overseas", "United States", "Global"],
    aliases=[("MSFT", "Microsoft"), ("0700.HK", "Tencent"), ("字节跳动", "ByteDance")],
)


def fresh_names() -> ReferenceNames:
    """NAMES with no new names remembered yet."""
    return ReferenceNames(NAMES.indexes)


def check(
    path: Path,
    table: ImportTable = ImportTable.CHIP_ORDERS,
    *,
    maps: dict[str, str] | None = None,
    fixed: dict[str, str] | None = None,
) -> CheckResult:
    """Open, guess the mapping (plus *maps* / *fixed*), and check every row."""
    source = open_table(path, score=header_score(table))
    mapping = ColumnMapping.guess(table, source.headers)
    for key, column in (maps or {}).items():
        mapping = mapping.with_option(f"{key}={column}", source.headers, fixed=False)
    for key, value in (fixed or {}).items():
        mapping = mapping.with_fixed(key, value)
    return check_file(source, mapping, fresh_names(), keep=10_000)


def write_text(path: Path, text: str, encoding: str = "utf-8", newline: str = "\n") -> Path:
    """*text* with \\n line ends turned into *newline*, in *encoding*."""
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[Any]], *, sheet: str = "Sheet1") -> Path:
    """A workbook with one sheet holding *rows* (None leaves a cell empty)."""
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"
    book.save(path)
    return path


def replace_part(path: Path, part: str, data: bytes) -> Path:
    """Rewrite the zip at *path* with *part* replaced by *data*."""
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, content in items:
            dst.writestr(info.filename, data if info.filename == part else content)
    return path


def zip_bomb(path: Path, *, unpacked_mb: int = 300) -> Path:
    """A workbook whose sheet unpacks ~1000 times over (made by streaming spaces in)."""
    write_xlsx(path, [["Buyer", "Vendor"], ["MSFT", "Nvidia"]])
    with zipfile.ZipFile(path) as src:
        items = [(info.filename, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for name, content in items:
            if name == "xl/worksheets/sheet1.xml":
                with dst.open(name, "w", force_zip64=True) as part:
                    part.write(content[: -len(b"</worksheet>")])
                    chunk = b" " * (1 << 20)
                    for _ in range(unpacked_mb):
                        part.write(chunk)
                    part.write(b"</worksheet>")
            else:
                dst.writestr(name, content)
    return path


def lie_about_size(path: Path, part: str, size: int) -> Path:
    """Overwrite the unpacked size the zip's directory declares for *part*."""
    data = bytearray(path.read_bytes())
    name = part.encode()
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + name_len]) == name:
            struct.pack_into("<I", data, at + 24, size)
            break
        at = data.find(b"PK\x01\x02", at + 4)
    else:
        raise AssertionError(f"{part} not in {path}")
    # the local header repeats it
    local = data.find(b"PK\x03\x04" + b"")
    while local >= 0:
        name_len = struct.unpack_from("<H", data, local + 26)[0]
        if bytes(data[local + 30 : local + 30 + name_len]) == name:
            struct.pack_into("<I", data, local + 22, size)
            break
        local = data.find(b"PK\x03\x04", local + 4)
    path.write_bytes(bytes(data))
    return path


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>
<c r="B1" t="inlineStr"><is><t>Vendor</t></is></c></row></sheetData></worksheet>"""


def binary_junk() -> bytes:
    """Bytes of a PNG-like binary file: not text, not a table."""
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40
