"""Files as they come: each awkward or malformed file gives the right rows, or nothing and the
exact lines (or one clear sentence). Every file is made here, at test time."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from capex_gui.dataio.checking import MappingProblem
from capex_gui.dataio.fields import ImportTable
from capex_gui.dataio.tabular import TableFileError, open_table
from capex_gui.domain.entities import ChipOrder, FxRate, Investment, Status
from capex_gui.domain.parsing import Bound
from tests.dataio.helpers import (
    BILLION_LAUGHS,
    binary_junk,
    check,
    lie_about_size,
    replace_part,
    write_text,
    write_xlsx,
    zip_bomb,
)

HEADER = "Buyer,Vendor,Units shipped,Year,Region,Value,Currency\n"
GOOD = HEADER + (
    'MSFT,Nvidia,"1,200",2025,United States,12bn,USD\n字节跳动,Huawei,230k,2025,China,,\n'
)


def orders(result: object) -> list[tuple[str, str, int | None, Decimal | None]]:
    assert result.ok, [e.sentence() for e in result.errors]  # type: ignore[attr-defined]
    return [(o.company, o.supplier, o.units, o.value) for o in result.sample]  # type: ignore[attr-defined]


EXPECTED = [
    ("Microsoft", "Nvidia", 1200, Decimal("12000000000")),
    ("ByteDance", "Huawei", 230_000, None),
]


def lines(result: object) -> list[int]:
    """The lines of a failed check's problems (the check must have failed)."""
    assert not result.ok  # type: ignore[attr-defined]
    return sorted({e.line for e in result.errors})  # type: ignore[attr-defined]


# -- encodings -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom"],
)
def test_unicode_encodings(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(prefix + GOOD.encode(encoding))
    assert orders(check(path)) == EXPECTED


def test_excel_unicode_text_is_utf16_with_tabs(tmp_path: Path) -> None:
    path = tmp_path / "orders.txt"
    text = GOOD.replace(",", "\t").replace('"1\t200"', "1200").replace("\n", "\r\n")
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    assert orders(check(path)) == EXPECTED


def test_windows_1252_fallback(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "cp1252.csv",
        HEADER + "Société Générale,Nvidia,10,2025,Overseas,€5m,\n",
        encoding="cp1252",
    )
    result = check(path)
    assert result.ok
    order = result.sample[0]
    assert isinstance(order, ChipOrder)
    assert (order.company, order.value, order.currency) == (
        "Société Générale",
        Decimal(5_000_000),
        "EUR",
    )
    assert [n.name for n in result.new_names] == ["Société Générale"]


def test_crlf_line_ends(tmp_path: Path) -> None:
    path = write_text(tmp_path / "crlf.csv", GOOD, newline="\r\n")
    assert orders(check(path)) == EXPECTED


# -- delimiters, quotes, layout --------------------------------------------------------------
def test_semicolons_and_tabs_are_sniffed(tmp_path: Path) -> None:
    semi = write_text(tmp_path / "semi.csv", GOOD.replace(",", ";").replace('"1;200"', "1200"))
    tabs = write_text(tmp_path / "tabs.tsv", GOOD.replace(",", "\t").replace('"1\t200"', "1200"))
    assert orders(check(semi)) == EXPECTED
    assert orders(check(tabs)) == EXPECTED


def test_quoted_newlines_and_delimiters_keep_line_numbers(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "quoted.csv",
        "Buyer,Vendor,Units,Year,Region,Notes\n"
        'MSFT,Nvidia,10,2025,Overseas,"first line\nsecond, with a comma"\n'
        "MSFT,Nvidia,lots,2025,Overseas,x\n",
    )
    result = check(path)
    assert lines(result) == [4]  # the bad row starts on line 4 (the note spans lines 2-3)
    good = check(write_text(tmp_path / "ok.csv", path.read_text().replace("lots", "5")))
    assert good.sample[0].notes == "first line\nsecond, with a comma"  # type: ignore[union-attr]


def test_blank_lines_anywhere_and_trailing(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "blank.csv", HEADER + "\n" + GOOD.split("\n", 1)[1] + ",,,,,,\n\n\n"
    )
    assert orders(check(path)) == EXPECTED


def test_title_lines_above_the_header(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "titled.csv",
        "Chip shipments (test data)\nCompiled 2025-03-01,,\n\n" + GOOD,
    )
    source = open_table(path)
    assert source.header_line == 4
    result = check(path)
    assert orders(result) == EXPECTED


def test_title_lines_shift_error_line_numbers(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "titled.csv",
        "My table\n\n" + HEADER + "MSFT,Nvidia,1,2025,Overseas,,\nMSFT,Nvidia,x,2025,Overseas,,\n",
    )
    assert lines(check(path)) == [5]


def test_excel_sep_line(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "sep.csv", "sep=|\n" + GOOD.replace(",", "|").replace('"1|200"', "1200")
    )
    assert orders(check(path)) == EXPECTED


def test_header_case_spaces_and_punctuation(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "odd.csv",
        GOOD.replace("Buyer", "  BUYER ").replace("Units shipped", "units_SHIPPED"),
    )
    assert orders(check(path)) == EXPECTED


def test_extra_and_short_rows(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "ragged.csv",
        HEADER + "MSFT,Nvidia,5,2025,Overseas,1m,USD,surplus,cells\nMSFT,Nvidia,7,2025,Overseas\n",
    )
    result = check(path)
    assert [(o.units, o.value) for o in result.sample] == [  # type: ignore[union-attr]
        (5, Decimal(1_000_000)),
        (7, None),
    ]


def test_european_spreadsheet_needs_no_mapping(tmp_path: Path) -> None:
    path = tmp_path / "euro.csv"
    text = (
        "Käufer;Buyer;Vendor;Units shipped;Year;Region;Value;Currency\n"
        "x;MSFT;Nvidia;1.200;2025;United States;1.234.567,89;EUR\n"
        "y;0700.HK;Huawei;3,0;2025;China;12,5;CNY\n"
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    source = open_table(path)
    assert source.decimal_comma
    result = check(path)
    assert [(o.company, o.units, o.value) for o in result.sample] == [  # type: ignore[union-attr]
        ("Microsoft", 1200, Decimal("1234567.89")),
        ("Tencent", 3, Decimal("12.5")),
    ]


def test_semicolon_file_with_decimal_points(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "points.csv",
        HEADER.replace(",", ";") + "MSFT;Nvidia;12;2025;Overseas;1234.5;USD\n",
    )
    assert not open_table(path).decimal_comma
    assert check(path).sample[0].value == Decimal("1234.5")  # type: ignore[union-attr]


# -- bad content: nothing, and the exact lines ----------------------------------------------
def test_wrong_types_report_every_line(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "types.csv",
        HEADER
        + "MSFT,Nvidia,10,2025,Overseas,1m,USD\n"
        + "MSFT,Nvidia,ten,2025,Overseas,1m,USD\n"  # 3: units
        + "MSFT,Nvidia,10,twenty,Overseas,1m,USD\n"  # 4: year
        + "MSFT,Nvidia,10,2025,Overseas,1m,USD\n"
        + "MSFT,Nvidia,10,2025,Overseas,lots,USD\n"  # 6: value
        + "MSFT,Nvidia,-5,2025,Overseas,,\n",  # 7: negative
    )
    result = check(path)
    assert lines(result) == [3, 4, 6, 7]
    assert result.rows == 2
    by_line = {e.line: e for e in result.errors}
    assert by_line[3].column == "C “Units shipped”" and by_line[3].text == "ten"
    assert by_line[4].column == "D “Year”" and "not a year" in by_line[4].reason
    assert by_line[6].column == "F “Value”"
    assert "negative" in by_line[7].reason


def test_empty_required_cell(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "empty.csv", HEADER + "MSFT,,10,2025,Overseas,,\nMSFT,Nvidia,10,,Overseas,,\n"
    )
    result = check(path)
    assert [(e.line, e.column, e.reason) for e in result.errors] == [
        (2, "B “Vendor”", "the supplier is empty"),
        (3, "D “Year”", "the year is empty"),
    ]


def test_entity_rules_are_row_errors(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "rules.csv",
        HEADER + "MSFT,Nvidia,,2025,Overseas,,\nMSFT,Nvidia,5,1989,Overseas,,\n",
    )
    result = check(path)
    assert lines(result) == [2, 3]
    assert "units, a value, or both" in result.errors[0].reason
    assert "between 1990 and 2100" in result.errors[1].reason


def test_currency_conflicts_and_unknown_codes(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "cur.csv",
        HEADER + "MSFT,Nvidia,1,2025,Overseas,RMB 5bn,USD\n"
        "MSFT,Nvidia,1,2025,Overseas,5bn,ZZZ\n"
        "MSFT,Nvidia,1,2025,Overseas,5bn,\n",
    )
    result = check(path)
    reasons = {e.line: e.reason for e in result.errors}
    assert reasons == {
        2: "the figure is in CNY but the currency is USD",
        3: "“ZZZ” is not a currency code this app knows",
        4: "no currency: add a Currency column or a fixed value, or write it in the figure "
        "(USD 40bn)",
    }


def test_fixed_values_fill_missing_columns(tmp_path: Path) -> None:
    path = write_text(tmp_path / "fixed.csv", "Buyer,Vendor,Qty,Value\nMSFT,Nvidia,5,2bn\n")
    with pytest.raises(MappingProblem, match=r"no column is Region.*no column is Year or Period"):
        check(path)
    result = check(
        path,
        fixed={
            "year": "2025",
            "region": "Overseas",
            "currency": "USD",
            "source": "Company filings",
        },
    )
    order = result.sample[0]
    assert isinstance(order, ChipOrder)
    assert (order.year, order.region, order.currency, order.source) == (
        2025,
        "Overseas",
        "USD",
        "Company filings",
    )


def test_missing_required_column(tmp_path: Path) -> None:
    path = write_text(tmp_path / "noyear.csv", "Buyer,Vendor,Units,Region\nMSFT,Nvidia,5,China\n")
    with pytest.raises(
        MappingProblem, match="no column is Year or Period: choose one, or give a fixed"
    ):
        check(path)


def test_duplicate_headers_must_be_chosen(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "dup.csv", "Buyer,Vendor,Units,Units,Year,Region\nMSFT,Nvidia,5,6,2025,China\n"
    )
    with pytest.raises(MappingProblem, match="columns C “Units” and D “Units” could both be Units"):
        check(path)
    assert check(path, maps={"units": "D"}).sample[0].units == 6  # type: ignore[union-attr]


def test_dates_as_text_and_numbers(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "dates.csv",
        HEADER.strip()
        + ",Date\n"
        + "MSFT,Nvidia,1,2025,Overseas,,,2025-02-10\n"
        + "MSFT,Nvidia,1,2025,Overseas,,,10.02.2025\n"
        + "MSFT,Nvidia,1,2025,Overseas,,,45698\n"
        + "MSFT,Nvidia,1,2025,Overseas,,,13/02/2025\n"
        + "MSFT,Nvidia,1,2025,Overseas,,,03/04/2025\n",
    )
    result = check(path)
    assert [s.reported_on for s in result.sample] == [  # type: ignore[union-attr]
        date(2025, 2, 10),
        date(2025, 2, 10),
        date(2025, 2, 10),
        date(2025, 2, 13),
    ]
    assert [(e.line, "ambiguous" in e.reason) for e in result.errors] == [(6, True)]


def test_qualifiers_and_status(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "q.csv",
        "Buyer,Vendor,Units,Year,Region,Qualifier,Status\n"
        "MSFT,Nvidia,~5k,2025,Overseas,,estimate\n"
        "MSFT,Nvidia,5k,2025,Overseas,at least,Planned\n"
        "MSFT,Nvidia,>5k,2025,Overseas,about,\n"
        "MSFT,Nvidia,5k,2025,Overseas,,rumour\n",
    )
    result = check(path)
    assert [(s.bound, s.status) for s in result.sample] == [  # type: ignore[union-attr]
        (Bound.ABOUT, Status.ESTIMATE),
        (Bound.AT_LEAST, Status.PLANNED),
    ]
    assert lines(result) == [4, 5]


# -- not a table at all ----------------------------------------------------------------------
def test_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(TableFileError, match=r"^empty.csv is empty \(0 bytes\)$"):
        open_table(path)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "picture.csv"
    path.write_bytes(binary_junk())
    with pytest.raises(TableFileError, match="is not a text table: it looks like a binary file"):
        open_table(path)


def test_prose_is_not_a_table(tmp_path: Path) -> None:
    path = write_text(tmp_path / "letter.txt", "Dear colleague\nhere are the figures\nBest\n")
    with pytest.raises(TableFileError, match="does not look like a table"):
        open_table(path)


def test_quote_never_closed(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "quote.csv",
        HEADER + "MSFT,Nvidia,1,2025,Overseas,,\n"
        'MSFT,"Nvidia,1,2025,Overseas,,\nMSFT,Nvidia,1,2025,Overseas,,\n',
    )
    with pytest.raises(TableFileError, match=r"^line 3: a quoted cell is never closed"):
        check(path)


def test_old_excel_file(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500)
    with pytest.raises(TableFileError, match=r"old Excel 97–2003 \(.xls\) file"):
        open_table(path)


def test_a_zip_that_is_no_workbook(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(TableFileError, match="is not an Excel workbook this app can read"):
        open_table(path)


def test_truncated_workbook(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "cut.xlsx", [["Buyer", "Vendor"], ["MSFT", "Nvidia"]])
    path.write_bytes(path.read_bytes()[:-300])
    with pytest.raises(TableFileError, match="not a valid Excel workbook"):
        open_table(path)


# -- XLSX ------------------------------------------------------------------------------------
def test_xlsx_typed_cells_numbers_as_text_and_dates(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "typed.xlsx",
        [
            ["Capex tracker export (test data)"],
            [],
            ["Buyer", "Vendor", "Units shipped", "Year", "Region", "Value", "Currency", "Date"],
            [
                "MSFT",
                "Nvidia",
                1200,
                2025,
                "United States",
                12_000_000_000.5,
                "USD",
                datetime(2025, 2, 10),
            ],
            ["0700.HK", "Huawei", "230,000", "2025", "China", "RMB 16bn", None, "2025-03-01"],
            ["MSFT", "Nvidia", 12.5, 2025, "Overseas", None, None, None],
        ],
    )
    result = check(path)
    assert [(s.company, s.units, s.value, s.currency, s.reported_on) for s in result.sample] == [  # type: ignore[union-attr]
        ("Microsoft", 1200, Decimal("12000000000.5"), "USD", date(2025, 2, 10)),
        ("Tencent", 230_000, Decimal(16_000_000_000), "CNY", date(2025, 3, 1)),
    ]
    assert [(e.line, e.column) for e in result.errors] == [(6, "C “Units shipped”")]


def test_xlsx_float_noise_is_cents(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "float.xlsx",
        [
            ["Company", "Year", "Category", "Region", "Amount", "Currency"],
            ["MSFT", 2025, "Other", "Global", 0.1 + 0.2, "USD"],
            ["MSFT", 2025, "Other", "Global", 1.005, "USD"],
        ],
    )
    result = check(path, ImportTable.INVESTMENTS)
    assert [s.amount for s in result.sample] == [Decimal("0.3")]  # type: ignore[union-attr]
    assert lines(result) == [3]
    assert "more than two decimal places" in result.errors[0].reason


def test_zip_bomb_is_refused_unopened(tmp_path: Path) -> None:
    path = zip_bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 2_000_000
    with pytest.raises(TableFileError, match=r"looks like a zip bomb.*refused unopened"):
        open_table(path)


def test_zip_that_lies_about_its_size_never_unpacks_more(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "liar.xlsx", [["Buyer", "Vendor"], ["MSFT", "Nvidia"]])
    lie_about_size(path, "xl/worksheets/sheet1.xml", 10)
    with pytest.raises(TableFileError):
        check(path)


def test_zip_declaring_a_huge_part_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "huge.xlsx", [["Buyer", "Vendor"], ["MSFT", "Nvidia"]])
    lie_about_size(path, "xl/styles.xml", 3 * 1024**3)
    with pytest.raises(TableFileError, match="would unpack to"):
        open_table(path)


def test_xml_bomb_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "laughs.xlsx", [["Buyer", "Vendor"], ["MSFT", "Nvidia"]])
    replace_part(path, "xl/worksheets/sheet1.xml", BILLION_LAUGHS)
    with pytest.raises(TableFileError, match="XML entity declarations"):
        check(path)


def test_xlsx_sheet_with_header_lower_down(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "low.xlsx",
        [
            ["Report"],
            ["as of", "2025"],
            [],
            ["Currency", "Year", "Rate", "Note"],
            ["CNY", 2025, 7.1884, "test rate"],
            ["JPY", 2025, "abc", ""],
        ],
    )
    result = check(path, ImportTable.FX_RATES)
    assert result.sample == [FxRate("CNY", 2025, Decimal("7.1884"), "test rate")]
    assert [(e.line, e.column) for e in result.errors] == [(6, "C “Rate”")]


def test_investment_amounts_with_units_and_ranges(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "inv.csv",
        "Ticker,FY,Type,Region,Capex,Low,High,Quote\n"
        "MSFT,2025,Data centres,Global,~$80bn,$75bn,$85bn,'=SUM(1)\n"
        "0700.HK,2025,AI chips,China,400亿元,,,\n"
        "MSFT,2025,Data centres,Global,$80bn,RMB 1bn,,\n",
    )
    result = check(path, ImportTable.INVESTMENTS)
    first, second = result.sample
    assert isinstance(first, Investment) and isinstance(second, Investment)
    assert (first.amount, first.bound, first.amount_low, first.amount_high, first.quote) == (
        Decimal(80_000_000_000),
        Bound.ABOUT,
        Decimal(75_000_000_000),
        Decimal(85_000_000_000),
        "=SUM(1)",
    )
    assert (second.company, second.amount, second.currency) == (
        "Tencent",
        Decimal(40_000_000_000),
        "CNY",
    )
    assert [(e.line, e.column) for e in result.errors] == [(4, "F “Low”")]


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("0.01", "JPY"),
        ("12.5", "JPY"),
        ("0.5", None),
        ("40000000000", "USD"),
        ("007", None),
        ("1234567.891", "USD"),
        ("12.30", "EUR"),
        ("0", "USD"),
        ("999999999999999.99", "USD"),
    ],
)
def test_fast_path_for_plain_numbers_agrees_with_the_parser(
    text: str, currency: str | None
) -> None:
    from capex_gui.dataio.values import amount_value
    from capex_gui.domain.parsing import parse_amount
    from capex_gui.errors import ValidationError

    try:
        expected = parse_amount(text, default_currency=currency)
    except ValidationError:
        with pytest.raises(ValidationError):
            amount_value(text, currency=currency)
    else:
        assert amount_value(text, currency=currency) == expected
