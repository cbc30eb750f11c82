"""Periods from files: one Period column, or a Year column plus a Quarter column."""

from __future__ import annotations

from pathlib import Path

from capex_gui.dataio.checking import check_file
from capex_gui.dataio.convert import ReferenceNames
from capex_gui.dataio.fields import ImportTable, header_score
from capex_gui.dataio.mapping import ColumnMapping
from capex_gui.dataio.tabular import open_table
from tests.dataio.helpers import NAMES, write_text


def names() -> ReferenceNames:
    return ReferenceNames(NAMES.indexes, fiscal_ends={"Microsoft": 6})


def read(path: Path) -> object:
    source = open_table(path, score=header_score(ImportTable.INVESTMENTS))
    mapping = ColumnMapping.guess(ImportTable.INVESTMENTS, source.headers)
    return check_file(source, mapping, names(), keep=100)


def test_period_column_uses_each_companys_fiscal_year(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "quarters.csv",
        "Ticker,Fiscal period,Category,Region,Capex,Currency\n"
        "MSFT,FY25 Q3,Data centres,Global,20bn,USD\n"  # June year end: Jan–Mar 2025
        "0700.HK,Q3 2025,AI chips,China,10bn,CNY\n"
        "MSFT,2025–2027,Data centres,Global,80bn,USD\n"
        "MSFT,Q5 2025,Data centres,Global,1bn,USD\n",
    )
    result = read(path)
    got = [(s.company, s.period.months_label, s.year) for s in result.sample]  # type: ignore[attr-defined]
    assert got == [
        ("Microsoft", "Jan–Mar 2025", 2025),
        ("Tencent", "Jul–Sep 2025", 2025),
        ("Microsoft", "Jan 2025–Dec 2027", 2025),
    ]
    assert [s.period.label for s in result.sample] == ["FY2025 Q3", "Q3 2025", "2025–2027"]  # type: ignore[attr-defined]
    assert [(e.line, e.column) for e in result.errors] == [(5, "B “Fiscal period”")]  # type: ignore[attr-defined]


def test_year_and_quarter_columns(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "yq.csv",
        "Company,Year,Quarter,Category,Region,Amount,Currency\n"
        "Tencent,2025,Q1,AI chips,China,1bn,CNY\n"
        "Tencent,2025,2,AI chips,China,1bn,CNY\n"
        "Tencent,2024,,AI chips,China,1bn,CNY\n"
        "Tencent,,Q3,AI chips,China,1bn,CNY\n",
    )
    result = read(path)
    assert [s.period.label for s in result.sample] == ["Q1 2025", "Q2 2025", "2024"]  # type: ignore[attr-defined]
    assert [(e.line, "has no year" in e.reason) for e in result.errors] == [(5, True)]  # type: ignore[attr-defined]


def test_fiscal_year_column_and_new_companys_year_end(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "fy.csv",
        "Company,Fiscal year,Quarter,Fiscal year end,Category,Region,Amount,Currency,Country\n"
        "Graphco,2025,Q1,January,AI chips,Global,1bn,USD,US\n"  # Feb–Apr 2024
        "Graphco,2025,Q2,1,AI chips,Global,1bn,USD,US\n"
        "Graphco,2025,Q3,June,AI chips,Global,1bn,USD,US\n",
    )
    result = read(path)
    assert [s.period.months_label for s in result.sample] == ["Feb–Apr 2024", "May–Jul 2024"]  # type: ignore[attr-defined]
    assert [n.fiscal_year_end for n in result.new_names] == [1]  # type: ignore[attr-defined]
    assert [e.line for e in result.errors] == [4]  # type: ignore[attr-defined]
    assert "ends in month 1 on line 2 but in month 6 here" in result.errors[0].reason  # type: ignore[attr-defined]
