"""Awkward files all the way into a database through ``capex-gui import``: a European
spreadsheet's CSV imports every table with no mapping, and each malformed file writes nothing
and names its exact lines (read back through a second connection)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from capex_gui.app.cli import main
from tests.dataio.helpers import BILLION_LAUGHS, binary_junk, replace_part, write_xlsx, zip_bomb
from tests.test_data_cli import TABLES, add_awkward_rows, new_db, sample_db, snapshot

__all__ = ["sample_db"]  # the fixture, used by name

#: Columns a spreadsheet holds as numbers (written with a decimal comma and, for money,
#: thousands points, as a German Excel writes cells formatted #,##0.00).
MONEY = {"Amount", "Low", "High", "Value", "Unit price", "Value (USD)"}
PLAIN_NUMBERS = {"Units per USD"}
DATES = {"Reported on"}


def european(number: str, *, thousands: bool) -> str:
    """'1234567.89' -> '1.234.567,89' (or '1234567,89' without thousands points)."""
    whole, _, fraction = number.partition(".")
    if thousands:
        groups = []
        while len(whole) > 3:
            whole, groups = whole[:-3], [whole[-3:], *groups]
        whole = ".".join([whole, *groups])
    return f"{whole},{fraction}" if fraction else whole


def as_saved_by_a_european_spreadsheet(ours: Path, out: Path) -> Path:
    """Our CSV export, as a spreadsheet in a German locale saves it: a BOM, semicolons,
    decimal commas, thousands points, dd.mm.yyyy dates, CRLF line ends."""
    rows = list(csv.DictReader(io.StringIO(ours.read_text(encoding="utf-8-sig"))))
    headers = list(rows[0])
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        cells = []
        for header in headers:
            value = row[header]
            if value and header in MONEY:
                value = european(value, thousands=True)
            elif value and header in PLAIN_NUMBERS:
                value = european(value, thousands=False)
            elif value and header in DATES:
                value = date.fromisoformat(value).strftime("%d.%m.%Y")
            cells.append(value)
        writer.writerow(cells)
    out.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    return out


def test_a_european_spreadsheets_csv_imports_every_table_with_no_mapping(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_awkward_rows(sample_db)
    target = new_db(tmp_path / "copy.capex")
    for table in TABLES:
        ours = tmp_path / f"{table}.csv"
        assert main(["export-data", str(sample_db), "--table", table, "-o", str(ours)]) == 0
        theirs = as_saved_by_a_european_spreadsheet(ours, tmp_path / f"{table} (de).csv")
        code = main(["import", str(target), str(theirs), "--table", table, "--create-missing"])
        assert code == 0, capsys.readouterr().err
    text = (tmp_path / "investments (de).csv").read_bytes()
    assert text.startswith(b"\xef\xbb\xbfCompany;Period;") and b"\r\n" in text
    assert b";123.456.789.012.345,67;" in text  # the file really is European
    before, after = snapshot(sample_db), snapshot(target)
    for key in before:
        assert after[key] == before[key], key


# -- malformed files: nothing written, the exact lines -----------------------------------------
HEADER = "Buyer,Vendor,Units shipped,Year,Region,Value,Currency\n"
GOOD_ROW = "ByteDance,Nvidia,10,2025,China,1m,USD\n"


def _text(body: str) -> bytes:
    return (HEADER + body).encode("utf-8")


#: name -> (file bytes or a builder, exit code, what stderr must hold, in order)
BAD_FILES: dict[str, tuple[object, int, list[str]]] = {
    "wrong types": (
        _text(GOOD_ROW + GOOD_ROW.replace("10", "ten") + GOOD_ROW.replace("2025", "MMXXV")),
        1,
        ["bad.csv:3, column C “Units shipped”: ", "bad.csv:4, column D “Year”: "],
    ),
    "empty required cell": (
        _text(GOOD_ROW + GOOD_ROW.replace("Nvidia", "")),
        1,
        ["bad.csv:3, column B “Vendor”: the supplier is empty"],
    ),
    "negative and unknown currency": (
        _text(GOOD_ROW.replace("10", "-3") + GOOD_ROW + GOOD_ROW.replace("USD", "ZZZ")),
        1,
        ["bad.csv:2, column C “Units shipped”: ", "bad.csv:4, column G “Currency”: "],
    ),
    "a bad row after a quoted newline": (
        _text('ByteDance,Nvidia,10,2025,China,1m,"US\nD"\n' + GOOD_ROW.replace("1m", "lots")),
        1,
        ["bad.csv:2, column G “Currency”: “US ↵ D” is not", "bad.csv:4, column F “Value”: "],
    ),
    "quote never closed": (
        _text(GOOD_ROW + 'ByteDance,"Nvidia,10,2025,China,1m,USD\n' + GOOD_ROW),
        2,
        ["line 3: a quoted cell is never closed"],
    ),
    "missing required column": (
        b"Buyer,Vendor,Units shipped,Region\nByteDance,Nvidia,10,China\n",
        2,
        ["bad.csv: no column is Year or Period"],
    ),
    "duplicate headers": (
        b"Buyer,Vendor,Units,Units,Year,Region\nByteDance,Nvidia,5,6,2025,China\n",
        2,
        ["bad.csv: columns C “Units” and D “Units” could both be Units"],
    ),
    "0-byte file": (b"", 2, ["bad.csv is empty (0 bytes)"]),
    "binary file": (binary_junk(), 2, ["is not a text table: it looks like a binary file"]),
    "zip bomb": ("zip bomb", 2, ["looks like a zip bomb"]),
    "XML bomb": ("xml bomb", 2, ["XML entity declarations"]),
}


#: Files refused in one sentence (the file itself, not its rows).
ONE_LINERS = {"quote never closed", "0-byte file", "binary file", "zip bomb", "XML bomb"}


def _write_bad(kind: object, folder: Path) -> Path:
    if kind == "zip bomb":
        return zip_bomb(folder / "bad.xlsx")
    if kind == "xml bomb":
        path = write_xlsx(folder / "bad.xlsx", [["Buyer", "Vendor"], ["MSFT", "Nvidia"]])
        return replace_part(path, "xl/worksheets/sheet1.xml", BILLION_LAUGHS)
    assert isinstance(kind, bytes)
    path = folder / "bad.csv"
    path.write_bytes(kind)
    return path


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_malformed_file_writes_nothing_and_names_its_lines(
    name: str, sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content, code, expected = BAD_FILES[name]
    path = _write_bad(content, tmp_path)
    before = snapshot(sample_db)
    assert main(["import", str(sample_db), str(path), "--table", "chip-orders"]) == code
    err = capsys.readouterr().err
    at = 0
    for text in expected:
        found = err.find(text, at)
        assert found >= 0, f"{text!r} not in (or out of order in):\n{err}"
        at = found + len(text)
    assert "nothing" in err.splitlines()[-1]
    # one line per problem, and the last line's sentence (mapping problems add that line too)
    assert err.count("\n") == len(expected) + (0 if name in ONE_LINERS else 1), err
    assert snapshot(sample_db) == before
